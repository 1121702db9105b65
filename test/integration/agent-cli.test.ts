// The `cofre` command end to end against real restic (0.14 and 0.18) and a real REST server with
// Basic Auth: import a realistic Backrest config, back up, check what Backrest would see with raw
// restic, export it back, survive a damaged config file, and report a wrong password clearly.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { generateTree, makeTempDir, rawRestic, removeDir, resticBinaries, restRepoEnv, startRestServer, type RestServer } from '../fixtures/index.js';

const restUser = 'batatais';
const restPassword = 'Rest-Secret-7391';
const repoPassword = 'Repo-Secret-5528';

const run = runCli;

describe.each(resticBinaries)('cofre CLI with restic $label', (restic) => {
  let server: RestServer;
  let dir: string;
  let hookServer: Server;
  let hookUrl: string;
  const hookBodies: string[] = [];
  let dataDir: string;
  let source: string;
  let common: string[];

  beforeAll(async () => {
    server = await startRestServer({ users: { [restUser]: restPassword } });
    dir = await makeTempDir('agent-cli');
    dataDir = join(dir, 'cofre');
    source = join(dir, 'home', 'ana', 'Documentos');
    await mkdir(source, { recursive: true });
    await generateTree(source, { files: 40, dirs: 4, depth: 2, seed: 7, unicode: true });
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hookBodies.push(`${req.method} ${req.url} ${body}`);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
    common = ['--data-dir', dataDir, '--restic', restic.bin, '--policy', join(dir, 'no-policy.json')];
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => hookServer.close(() => resolve()));
    await server.close();
    await removeDir(dir);
  });

  it('imports a Backrest config, moving every secret out of config.json', async () => {
    const backrest = {
      modno: 12,
      version: 6,
      instance: 'pc-financeiro-01',
      repos: [{
        id: 'financeiro',
        uri: server.repoUri('financeiro'),
        password: repoPassword,
        env: [`RESTIC_REST_USERNAME=${restUser}`, `RESTIC_REST_PASSWORD=${restPassword}`],
        flags: [],
        autoInitialize: true,
        autoUnlock: true,
        prunePolicy: { schedule: { cron: '0 3 * * 0', clock: 'CLOCK_LOCAL' }, maxUnusedPercent: 10 },
        checkPolicy: { schedule: { maxFrequencyDays: 30, clock: 'CLOCK_LAST_RUN_TIME' }, readDataSubsetPercent: 5 },
      }],
      plans: [{
        id: 'documentos',
        repo: 'financeiro',
        paths: [source],
        excludes: ['*.tmp'],
        schedule: { cron: '0 12 * * 1-5', clock: 'CLOCK_LOCAL' },
        retention: { policyTimeBucketed: { daily: 7, weekly: 4, monthly: 6 } },
        hooks: [{ conditions: ['CONDITION_SNAPSHOT_SUCCESS'], actionWebhook: { webhookUrl: hookUrl, method: 'POST', template: 'plan={{ .Plan.Id }} snap={{ .SnapshotId }}' } }],
      }],
      auth: { disabled: true },
      sync: { identity: { keyId: 'abc' } },
      futureBackrestField: { kept: true },
    };
    const file = join(dir, 'backrest-config.json');
    await writeFile(file, JSON.stringify(backrest, null, 2));
    const result = await run([...common, 'config', 'import-backrest', file]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Importação concluída: 1 repositório adicionado, 1 plano adicionado.');
    const saved = await readFile(join(dataDir, 'config.json'), 'utf8');
    expect(saved).not.toContain(repoPassword);
    expect(saved).not.toContain(restPassword);
    expect(JSON.parse(saved).sync).toEqual({ identity: { keyId: 'abc' } });
  });

  it('backs up through the CLI with the tags Backrest expects', async () => {
    const result = await run([...common, 'backup', 'documentos', '--json']);
    expect(result.code, result.out + result.err).toBe(0);
    const finished = JSON.parse(result.out) as { status: string; snapshotId: string };
    expect(finished.status).toBe('success');
    expect(finished.snapshotId).toMatch(/^[0-9a-f]{8,64}$/);

    const raw = await rawRestic(restic.bin, ['snapshots', '--json'], {
      ...restRepoEnv(restic, server.repoUri('financeiro'), { user: restUser, password: restPassword }),
      RESTIC_PASSWORD: repoPassword,
    });
    const snapshots = JSON.parse(raw.stdout) as Array<{ id: string; tags: string[]; paths: string[] }>;
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.tags).toEqual(expect.arrayContaining(['plan:documentos', 'created-by:pc-financeiro-01']));
    expect(snapshots[0]!.id.startsWith(finished.snapshotId.slice(0, 8))).toBe(true);
    await expect.poll(() => hookBodies.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(hookBodies[0]).toContain('plan=documentos');
  });

  it('reports status, history and snapshots in Portuguese and JSON', async () => {
    const status = await run([...common, 'status']);
    expect(status.code).toBe(0);
    expect(status.out).toContain('Plano documentos (financeiro)');
    expect(status.out).toMatch(/último backup: há/);

    const history = JSON.parse((await run([...common, 'history', '--json'])).out) as { items: Array<{ type: string; status: string; planId: string }> };
    expect(history.items.some((op) => op.type === 'backup' && op.status === 'success' && op.planId === 'documentos')).toBe(true);

    const snapshots = JSON.parse((await run([...common, 'snapshots', '--json'])).out) as Array<{ planId: string }>;
    expect(snapshots.map((s) => s.planId)).toEqual(['documentos']);
  });

  it('exports a file Backrest accepts, without passwords unless asked', async () => {
    const out = join(dir, 'export.json');
    expect((await run([...common, 'config', 'export-backrest', out])).code).toBe(0);
    const exported = JSON.parse(await readFile(out, 'utf8'));
    expect(exported.version).toBe(6);
    expect(exported.instance).toBe('pc-financeiro-01');
    expect(exported.futureBackrestField).toEqual({ kept: true });
    expect(exported.plans[0].id).toBe('documentos');
    expect(JSON.stringify(exported)).not.toContain(repoPassword);

    const withSecrets = join(dir, 'export-secrets.json');
    expect((await run([...common, 'config', 'export-backrest', withSecrets, '--include-secrets'])).code).toBe(0);
    expect(JSON.parse(await readFile(withSecrets, 'utf8')).repos[0].password).toBe(repoPassword);
  });

  it('keeps working from the last good copy when config.json is damaged', async () => {
    const configFile = join(dataDir, 'config.json');
    const good = await readFile(configFile, 'utf8');
    await writeFile(configFile, good.slice(0, good.length / 2));
    const validate = await run([...common, 'config', 'validate']);
    expect(validate.code).toBe(1);
    expect(validate.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const status = await run([...common, 'status', '--json']);
    expect(JSON.parse(status.out).plans.map((p: { planId: string }) => p.planId)).toEqual(['documentos']);
  });

  it('says the repository password is wrong, without printing any secret', async () => {
    const secretsFile = join(dataDir, 'secrets.json');
    const secrets = await readFile(secretsFile, 'utf8');
    await writeFile(secretsFile, secrets.replace(repoPassword, 'Wrong-Password-0001'));
    try {
      const result = await run([...common, 'backup', 'documentos']);
      expect(result.code).toBe(1);
      expect(result.out + result.err).toMatch(/senha do repositório está errada/);
      for (const secret of [repoPassword, restPassword, 'Wrong-Password-0001']) expect(result.out + result.err).not.toContain(secret);
      const log = await readFile(join(dataDir, 'logs', 'cofre.log'), 'utf8');
      for (const secret of [repoPassword, restPassword, 'Wrong-Password-0001']) expect(log).not.toContain(secret);
    } finally {
      await writeFile(secretsFile, secrets);
    }
  });

  it('rejects bad usage with exit code 2 and a helpful message', async () => {
    const unknown = await run([...common, 'fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Comando desconhecido "fly"/);
    const missing = await run([...common, 'backup']);
    expect(missing.code).toBe(2);
    const badFlag = await run([...common, 'status', '--colour']);
    expect(badFlag.code).toBe(2);
  });
});
