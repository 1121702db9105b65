import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hookSchema } from '../config/backrest-schema.js';
import { runHooks, type HookRunResult, type HookVars } from './run-hooks.js';
import { shellEscape } from './vars.js';

const posix = process.platform !== 'win32';
const vars: HookVars = {
  plan: { id: 'docs', paths: ['/home/ana'] },
  repo: { id: 'office', uri: 'rest:https://ana:repo-http-pw@backup.example.com/ana' },
  snapshotId: 'abc123',
  durationMs: 1500,
};
const command = (text: string, conditions = ['CONDITION_SNAPSHOT_SUCCESS']) => hookSchema.parse({ conditions, actionCommand: { command: text } });

describe.runIf(posix)('runHooks with command actions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cofre-hooks-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a command with the rendered template and the event in its environment', async () => {
    const out = join(dir, 'vars.txt');
    const saved = process.env.RESTIC_PASSWORD;
    process.env.RESTIC_PASSWORD = 'agent-env-secret';
    try {
      const hook = command(
        `echo "{{ .Plan.Id }} {{ .SnapshotId }} {{ .Repo.Uri }} {{ .Duration }}" > ${shellEscape(out)}\n` +
          `echo "$COFRE_CONDITION $COFRE_PLAN_ID $COFRE_SNAPSHOT_ID $COFRE_REPO_URI [$RESTIC_PASSWORD]" >> ${shellEscape(out)}`,
      );
      const results = await runHooks([hook], 'CONDITION_SNAPSHOT_SUCCESS', vars);
      expect(results).toMatchObject([{ status: 'success', action: 'actionCommand', target: 'sh' }]);
      expect((await readFile(out, 'utf8')).split('\n')).toEqual([
        'docs abc123 rest:https://backup.example.com/ana 1.5s',
        'CONDITION_SNAPSHOT_SUCCESS docs abc123 rest:https://backup.example.com/ana []',
        '',
      ]);
    } finally {
      if (saved === undefined) delete process.env.RESTIC_PASSWORD;
      else process.env.RESTIC_PASSWORD = saved;
    }
  });

  it('honours a #! line to choose the interpreter, as Backrest does', async () => {
    const out = join(dir, 'node.txt');
    const hook = command(`#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(out)}, 'plan={{ .Plan.Id }}');`);
    const [result] = await runHooks([hook], 'CONDITION_SNAPSHOT_SUCCESS', vars);
    expect(result?.status).toBe('success');
    expect(await readFile(out, 'utf8')).toBe('plan=docs');
  });

  it('records a failing command instead of throwing, with its output and secrets masked', async () => {
    const recorded: HookRunResult[] = [];
    const logged: string[] = [];
    const hook = command('echo "connecting with hunter2-password"; echo "boom" >&2; exit 3', ['CONDITION_ANY_ERROR']);
    const results = await runHooks([hook], 'CONDITION_SNAPSHOT_ERROR', { ...vars, error: 'server unreachable' }, {
      record: (r) => recorded.push(r),
      log: (line) => logged.push(line),
      secrets: ['hunter2-password'],
      locale: 'en',
    });
    expect(results).toHaveLength(1);
    expect(recorded).toEqual(results);
    expect(recorded[0]).toMatchObject({
      status: 'failure',
      code: 'hooks.failed.exitCode',
      message: 'The hook command ended with exit code 3.',
      condition: 'CONDITION_SNAPSHOT_ERROR',
    });
    expect(recorded[0]!.detail).toContain('boom');
    expect(JSON.stringify(recorded)).not.toContain('hunter2');
    expect(recorded[0]!.detail).toContain('connecting with ***');
    expect(logged.join('\n')).toContain('failure');
  });

  it('stops a command that runs past its deadline and reports it', async () => {
    const started = Date.now();
    const [result] = await runHooks([command('sleep 30 & sleep 30; wait')], 'CONDITION_SNAPSHOT_SUCCESS', vars, {
      commandTimeoutMs: 300,
      locale: 'en',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ status: 'failure', code: 'hooks.failed.timeout' });
  });

  it('skips unsupported actions and hooks of other events without failing', async () => {
    const recorded: HookRunResult[] = [];
    const hooks = [
      hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_SUCCESS'], actionTelegram: { botToken: '123:secret-bot-token', chatId: '42' } }),
      hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_SUCCESS'] }),
      command('exit 1', ['CONDITION_SNAPSHOT_START']),
    ];
    const results = await runHooks(hooks, 'CONDITION_SNAPSHOT_SUCCESS', vars, { record: (r) => recorded.push(r), locale: 'pt-BR' });
    expect(results.map((r) => [r.index, r.status, r.code])).toEqual([
      [0, 'unsupported', 'hooks.unsupported'],
      [1, 'unsupported', 'hooks.noAction'],
    ]);
    expect(results[0]!.message).toBe('Ganchos do tipo "actionTelegram" não são suportados pelo Cofre; este foi ignorado.');
    expect(recorded).toHaveLength(2);
    expect(JSON.stringify(results)).not.toContain('secret-bot-token');
  });

  it('records a malformed template as a hook failure', async () => {
    const [result] = await runHooks([command('echo {{ if .Error }}')], 'CONDITION_SNAPSHOT_SUCCESS', vars, { locale: 'en' });
    expect(result).toMatchObject({ status: 'failure', code: 'hooks.failed.template' });
  });

  it('survives a record callback that throws, and runs the remaining hooks', async () => {
    const out = join(dir, 'second.txt');
    const results = await runHooks(
      [command('exit 2'), command(`echo ok > ${shellEscape(out)}`)],
      'CONDITION_SNAPSHOT_SUCCESS',
      vars,
      {
        record: () => {
          throw new Error('history is closed');
        },
      },
    );
    expect(results.map((r) => r.status)).toEqual(['failure', 'success']);
    expect(await readFile(out, 'utf8')).toBe('ok\n');
  });
});
