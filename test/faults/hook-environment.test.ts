// Regression tests (issue 15, "secrets of every kind"): a command hook inherited the agent's whole
// environment, so COFRE_TECHNICIAN_PASSWORD (and anything else the session exported) reached a
// history row any end user can read. Hooks now get a minimal, explicit environment, and every
// secret the process knows is masked in their output and in the agent's log.
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLog } from '../../electron/core/agent/log.js';
import { hookSchema } from '../../electron/core/config/backrest-schema.js';
import { runHooks, type HookVars } from '../../electron/core/hooks/run-hooks.js';
import { recordFigure } from '../support/figures.js';

const posix = process.platform !== 'win32';
const vars: HookVars = { plan: { id: 'docs', paths: ['/home/ana'] }, repo: { id: 'office', uri: 'rest:https://backup.example.com/ana' } };
const failingHook = (script: string) => hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_ERROR'], actionCommand: { command: script } });

const planted = {
  COFRE_TECHNICIAN_PASSWORD: 'tech-pw-4c1f9e',
  COFRE_SERVE_TOKEN: 'serve-token-77aa01',
  RESTIC_PASSWORD: 'repo-pw-0b9d2e',
  AWS_SECRET_ACCESS_KEY: 'aws-key-5e5e5e',
  SOME_SESSION_VARIABLE: 'session-value-a1a1a1',
};
const saved = new Map<string, string | undefined>();
function plant(): void {
  for (const [key, value] of Object.entries(planted)) {
    saved.set(key, process.env[key]);
    process.env[key] = value;
  }
}
afterEach(() => {
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  saved.clear();
});

describe.runIf(posix)('command hooks and the secrets of the process', () => {
  it('a hook sees only PATH, HOME, the language and the hook variables', async () => {
    plant();
    const [result] = await runHooks([failingHook('env | sort; exit 1')], 'CONDITION_SNAPSHOT_ERROR', vars);
    expect(result!.status).toBe('failure');
    const names = (result!.detail ?? '').split('\n').map((line) => line.split('=')[0]!).filter(Boolean);
    for (const key of Object.keys(planted)) expect(names).not.toContain(key);
    for (const value of Object.values(planted)) expect(result!.detail).not.toContain(value);
    expect(names).toContain('PATH');
    expect(names).toContain('COFRE_PLAN_ID');
    const allowed = /^(PATH|HOME|USER|LOGNAME|LANG|LC_ALL|LC_CTYPE|TZ|TMPDIR|PWD|SHLVL|_|OLDPWD|COFRE_[A-Z_]+)$/;
    expect(names.filter((name) => !allowed.test(name))).toEqual([]);
    recordFigure('hardening', { name: 'hook environment: planted secret variables kept out', kind: 'secret', tried: Object.keys(planted).length, held: Object.keys(planted).filter((k) => !names.includes(k)).length });
  });

  it('a secret the process knows is masked even when a hook prints it from elsewhere', async () => {
    plant();
    // The hook cannot read the variable any more, so it prints the value as literal text.
    const [result] = await runHooks([failingHook(`echo "${planted.COFRE_TECHNICIAN_PASSWORD} ${planted.COFRE_SERVE_TOKEN}"; exit 1`)], 'CONDITION_SNAPSHOT_ERROR', vars);
    expect(result!.detail).toBeDefined();
    expect(result!.detail).not.toContain(planted.COFRE_TECHNICIAN_PASSWORD);
    expect(result!.detail).not.toContain(planted.COFRE_SERVE_TOKEN);
  });

  it('the agent log masks the technician password and serve token from the environment', () => {
    plant();
    const log = new AgentLog({ file: null });
    log.info(`login with ${planted.COFRE_TECHNICIAN_PASSWORD} via ${planted.COFRE_SERVE_TOKEN}`);
    const text = log.scrub(`again ${planted.COFRE_TECHNICIAN_PASSWORD}`);
    expect(text).not.toContain(planted.COFRE_TECHNICIAN_PASSWORD);
    return log.tail(5).then((lines) => {
      expect(lines.join('\n')).not.toContain(planted.COFRE_TECHNICIAN_PASSWORD);
      expect(lines.join('\n')).not.toContain(planted.COFRE_SERVE_TOKEN);
      recordFigure('hardening', { name: 'log and history: process secrets masked', kind: 'secret', tried: 2, held: 2 });
    });
  });
});
