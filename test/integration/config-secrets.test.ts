// A Backrest config imported into Cofre still opens the real repository: secrets leave
// config.json, come back from the secret store after a restart, survive a damaged config file,
// and an export with secrets is enough for restic on its own. A Backrest 1.10.1 (version 4) file
// with REST credentials in env backs up through the real REST server and exports in the form its
// Backrest accepts; enrollment writes a config Backrest accepts (guid learned, no autoInitialize).
import { promises as fs, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { runCli } from './run-cli.js';
import { exportBackrest, importBackrest } from '../../electron/core/config/backrest-io.js';
import { validateConfig } from '../../electron/core/config/validate.js';
import { toRepoTarget } from '../../electron/core/config/repo-secrets.js';
import { ConfigStore } from '../../electron/core/config/store.js';
import { FileSecretStore } from '../../electron/core/secrets/file-secret-store.js';
import type { RepoTarget } from '../../electron/core/restic/types.js';
import { makeTempDir, rawRestic, removeDir, restRepoEnv, resticBinaries, startRestServer, withUrlCredentials, type ResticBinary, type RestServer } from '../fixtures/index.js';

const restUser = 'backup';
const restPass = 'nginx:p@ss/wörd';
const repoPassword = 'senha-do-repositório';

let server: RestServer;
let dir: string;

beforeAll(async () => {
  server = await startRestServer({ users: { [restUser]: restPass } });
  dir = await makeTempDir('config-secrets');
});
afterAll(async () => {
  await server?.close();
  await removeDir(dir);
});

function envFor(binary: ResticBinary, target: RepoTarget): Record<string, string> {
  const credentials = target.restUsername && target.restPassword ? { user: target.restUsername, password: target.restPassword } : undefined;
  return { ...target.env, ...restRepoEnv(binary, target.uri, credentials), RESTIC_PASSWORD: target.password, RESTIC_CACHE_DIR: path.join(dir, 'cache') };
}

describe.each(resticBinaries)('Backrest config with secrets, restic $label', (binary) => {
  it('imports, backs up with secrets from the store, recovers from a damaged config and exports', async () => {
    const home = path.join(dir, binary.label);
    const data = path.join(home, 'data');
    await fs.mkdir(data, { recursive: true });
    await fs.writeFile(path.join(data, 'planilha.txt'), 'orçamento 2026\n');
    const repoName = `financeiro-${binary.label.replace('.', '')}`;
    const backrest = {
      modno: 12,
      version: 6,
      instance: 'pc-financeiro',
      repos: [{
        id: 'financeiro',
        uri: withUrlCredentials(server.repoUri(repoName), restUser, restPass),
        password: repoPassword,
        env: ['RESTIC_PACK_SIZE=16'],
        autoUnlock: true,
        prunePolicy: { schedule: { maxFrequencyDays: 30 }, maxUnusedPercent: 10 },
      }],
      plans: [{ id: 'documentos', repo: 'financeiro', paths: [data], schedule: { cron: '0 12 * * *' }, retention: { policyKeepLastN: 5 } }],
      sync: { identity: { keyid: 'k1' } },
      notYetKnown: { x: 1 },
    };

    const configPath = path.join(home, 'cofre', 'config.json');
    const secretsPath = path.join(home, 'cofre', 'secrets.json');
    const imported = await importBackrest(JSON.stringify(backrest), new FileSecretStore(secretsPath));
    expect(imported.movedSecrets).toBe(2);
    const store = new ConfigStore({ path: configPath, secrets: new FileSecretStore(secretsPath) });
    await store.load();
    await store.update(imported.config, 0);
    const onDisk = await fs.readFile(configPath, 'utf8');
    for (const secret of [repoPassword, restPass, encodeURIComponent(restPass)]) expect(onDisk).not.toContain(secret);

    // A restart: new store objects, secrets come from the secret file.
    const secrets = new FileSecretStore(secretsPath);
    const restarted = new ConfigStore({ path: configPath, secrets });
    const loaded = await restarted.load();
    const target = await toRepoTarget(loaded.config.repos[0]!, secrets);
    expect(target).toMatchObject({ uri: server.repoUri(repoName), restUsername: restUser, restPassword: restPass, password: repoPassword });
    const env = envFor(binary, target);
    await rawRestic(binary.bin, ['init'], env);
    await rawRestic(binary.bin, ['backup', '--json', data, '--tag', 'plan:documentos', '--tag', `created-by:${loaded.config.instance}`], env);

    // config.json truncated on disk: the last good copy is used and the repository still opens.
    await fs.writeFile(configPath, onDisk.slice(0, 40));
    const recovered = await new ConfigStore({ path: configPath, secrets }).load();
    expect(recovered.problem?.code).toBe('config.recovered');
    expect(recovered.config.plans[0]?.paths).toEqual([data]);
    const again = envFor(binary, await toRepoTarget(recovered.config.repos[0]!, secrets));
    const snapshots = JSON.parse((await rawRestic(binary.bin, ['snapshots', '--json'], again)).stdout) as Array<{ tags?: string[] }>;
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.tags).toEqual(expect.arrayContaining(['plan:documentos', 'created-by:pc-financeiro']));

    // An export with secrets is a Backrest file restic can use as is; without secrets it holds none.
    const withSecrets = JSON.parse(await exportBackrest(recovered.config, secrets, { includeSecrets: true }));
    const repo = withSecrets.repos[0] as { uri: string; password: string; env: string[] };
    const exportedEnv = Object.fromEntries(repo.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    const direct = binary.label === '0.14'
      ? { RESTIC_REPOSITORY: withUrlCredentials(repo.uri, exportedEnv.RESTIC_REST_USERNAME!, exportedEnv.RESTIC_REST_PASSWORD!) }
      : { ...exportedEnv, RESTIC_REPOSITORY: repo.uri };
    await rawRestic(binary.bin, ['snapshots', '--json'], { ...direct, RESTIC_PASSWORD: repo.password, RESTIC_CACHE_DIR: path.join(dir, 'cache') });
    // `keyid` (the proto field name) is read as Backrest reads it (`keyId`); Cofre's own file keeps
    // it, but an identity Backrest 1.13+ cannot read (not ed25519) does not reach an export.
    expect(recovered.config['sync']).toEqual({ identity: { keyId: 'k1' } });
    expect(withSecrets).toMatchObject({ version: 6, instance: 'pc-financeiro', sync: {}, notYetKnown: backrest.notYetKnown });
    expect(withSecrets.sync.identity).toBeUndefined();
    const without = await exportBackrest(recovered.config, secrets, { includeSecrets: false });
    for (const secret of [repoPassword, restPass]) expect(without).not.toContain(secret);
  });
});

const fieldV4 = readFileSync(new URL('../fixtures/backrest/backrest-1.10.1.json', import.meta.url), 'utf8');

describe.each(resticBinaries)('Backrest 1.10.1 config (version 4), restic $label', (binary) => {
  it('imports with REST credentials in env, backs up through the REST server, exports for 1.10 and 1.13', async () => {
    const home = path.join(dir, `v4-${binary.label}`);
    const data = path.join(home, 'Compras');
    await fs.mkdir(data, { recursive: true });
    await fs.writeFile(path.join(data, 'pedido.txt'), 'pedido 42\n');
    const json = JSON.parse(fieldV4);
    const repoName = `compras-${binary.label.replace('.', '')}`;
    json.repos[0].uri = server.repoUri(repoName);
    json.repos[0].env = [`RESTIC_REST_USERNAME=${restUser}`, `RESTIC_REST_PASSWORD=${restPass}`];
    json.repos[0].password = repoPassword;
    json.plans[0].paths = [data];

    const secretsPath = path.join(home, 'secrets.json');
    const secrets = new FileSecretStore(secretsPath);
    const store = new ConfigStore({ path: path.join(home, 'config.json'), secrets });
    await store.load();
    const { config } = await importBackrest(JSON.stringify(json), secrets);
    await store.update(config, 0);
    const onDisk = await fs.readFile(path.join(home, 'config.json'), 'utf8');
    expect(JSON.parse(onDisk).version).toBe(4);
    for (const secret of [repoPassword, restPass, 'AbCdEf.gotify-token-compras', 'discord-secret-path', 'EC PRIVATE']) expect(onDisk).not.toContain(secret);

    const target = await toRepoTarget(store.get().repos[0]!, secrets);
    expect(target).toMatchObject({ uri: server.repoUri(repoName), restUsername: restUser, restPassword: restPass, password: repoPassword });
    const env = envFor(binary, target);
    await rawRestic(binary.bin, ['init'], env);
    await rawRestic(binary.bin, ['backup', '--json', data, '--tag', 'plan:compras-documentos', '--tag', `created-by:${store.get().instance}`], env);

    // For the Backrest it came from (1.10): version 4, its ECDSA identity and every secret back.
    const for110 = JSON.parse(await exportBackrest(store.get(), secrets, { includeSecrets: true, target: '1.10' }));
    expect(for110.version).toBe(4);
    expect(for110.sync.identity.keyId).toMatch(/^ecdsa\./);
    expect(for110.repos[0].hooks[0].actionGotify.token).toBe('AbCdEf.gotify-token-compras');
    expect(validateConfig(for110, 'en', { fillGuids: false }).fields).toEqual([]);
    const exportedEnv = Object.fromEntries((for110.repos[0].env as string[]).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    const direct = binary.label === '0.14'
      ? { RESTIC_REPOSITORY: withUrlCredentials(for110.repos[0].uri, exportedEnv.RESTIC_REST_USERNAME!, exportedEnv.RESTIC_REST_PASSWORD!) }
      : { ...exportedEnv, RESTIC_REPOSITORY: for110.repos[0].uri };
    const listed = JSON.parse((await rawRestic(binary.bin, ['snapshots', '--json'], { ...direct, RESTIC_PASSWORD: for110.repos[0].password, RESTIC_CACHE_DIR: path.join(dir, 'cache') })).stdout) as unknown[];
    expect(listed).toHaveLength(1);

    // For 1.13+: version 6 with migration 006 applied (the ECDSA identity 1.13 would reject is gone).
    const for113 = JSON.parse(await exportBackrest(store.get(), secrets, { includeSecrets: false, target: '1.13' }));
    expect(for113.version).toBe(6);
    expect(for113.sync.identity).toBeUndefined();
    expect(validateConfig(for113, 'en', { fillGuids: false }).fields).toEqual([]);
    expect(JSON.stringify(for113)).not.toMatch(/gotify-token|discord-secret-path|Compras#2025|nginx:p@ss/);
  });
});

describe('enrollment against the real REST server', () => {
  it('writes a repository Backrest accepts: the guid learned from the repository, autoInitialize dropped', async () => {
    const home = path.join(dir, 'enroll');
    await fs.mkdir(path.join(home, 'Documentos'), { recursive: true });
    await fs.writeFile(path.join(home, 'Documentos', 'a.txt'), 'a\n');
    const policyPath = path.join(home, 'policy.json');
    await fs.writeFile(policyPath, JSON.stringify({ enrollment: { uriTemplate: server.repoUri('enroll-{hostname}'), restUsername: restUser, restPassword: restPass, paths: ['{home}/Documentos'] } }));
    const binary = resticBinaries[resticBinaries.length - 1]!;
    const agent = await Agent.create({
      configPath: path.join(home, 'config.json'), policyPath, dataDir: home, cacheDir: path.join(home, 'cache'),
      secrets: new FileSecretStore(path.join(home, 'secrets.json')), resticBinary: binary.bin, locale: 'en', hostname: 'pc-enroll', homeDir: home,
    });
    try {
      const result = await agent.call('enroll', { password: repoPassword }, agent.createSession());
      expect(result.ok, JSON.stringify(result)).toBe(true);
      const saved = JSON.parse(await fs.readFile(path.join(home, 'config.json'), 'utf8'));
      const repo = saved.repos.find((r: { id: string }) => r.id === 'cofre');
      expect(repo.guid).toMatch(/^[0-9a-f]{64}$/);
      expect(repo.autoInitialize).toBeUndefined();
      expect(validateConfig(saved, 'en', { fillGuids: false }).fields).toEqual([]);
      const exported = await agent.call('exportBackrest', { includeSecrets: false, target: '1.10' }, agent.createSession({ technician: true }));
      expect(exported.ok, JSON.stringify(exported)).toBe(true);
    } finally {
      await agent.shutdown(20_000);
    }
  });
});

describe('cofre config export-backrest --backrest', () => {
  it('chooses the Backrest release, writes the file 0600 and refuses an unknown release with exit 2', async () => {
    const home = path.join(dir, 'cli-export');
    await fs.mkdir(home, { recursive: true });
    const input = path.join(home, 'backrest.json');
    await fs.writeFile(input, fieldV4);
    const common = ['--data-dir', path.join(home, 'cofre'), '--policy', path.join(home, 'no-policy.json'), '--lang', 'en'];
    expect((await runCli([...common, 'config', 'import-backrest', input])).code).toBe(0);
    const out110 = path.join(home, 'for-110.json');
    await fs.writeFile(out110, 'old content', { mode: 0o644 });
    const run110 = await runCli([...common, 'config', 'export-backrest', out110, '--backrest', '1.10']);
    expect(run110.code, run110.err).toBe(0);
    expect(JSON.parse(await fs.readFile(out110, 'utf8')).version).toBe(4);
    if (process.platform !== 'win32') expect((await fs.stat(out110)).mode & 0o777).toBe(0o600);
    const out113 = path.join(home, 'for-113.json');
    expect((await runCli([...common, 'config', 'export-backrest', out113, '--backrest', '1.13', '--include-secrets'])).code).toBe(0);
    const json = JSON.parse(await fs.readFile(out113, 'utf8'));
    expect(json.version).toBe(6);
    expect(json.repos[0].password).toBe('Compras#2025-repo');
    const bad = await runCli([...common, 'config', 'export-backrest', '--backrest', '2.0']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--backrest 2\.0/);
    expect((await runCli([...common, '--help'])).out).toMatch(/--backrest 1\.10\|1\.13\|current/);
  });
});

describe('hooks with secrets in the secret store', () => {
  it('a webhook whose URL carries a token runs with the real URL, though config.json holds only a reference', async () => {
    const home = path.join(dir, 'hook-secret');
    const data = path.join(home, 'dados');
    await fs.mkdir(data, { recursive: true });
    await fs.writeFile(path.join(data, 'x.txt'), 'x\n');
    const received: string[] = [];
    const hookServer = createServer((req, res) => {
      received.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/ping?token=hook-token-123`;
    try {
      const backrest = {
        version: 4,
        instance: 'pc-hook',
        repos: [{ id: 'r', uri: server.repoUri('hook-secret'), password: repoPassword, env: [`RESTIC_REST_USERNAME=${restUser}`, `RESTIC_REST_PASSWORD=${restPass}`], autoInitialize: true }],
        plans: [{ id: 'p', repo: 'r', paths: [data], hooks: [{ conditions: ['CONDITION_SNAPSHOT_SUCCESS'], actionWebhook: { webhookUrl: hookUrl, method: 'GET' } }] }],
      };
      const input = path.join(home, 'backrest.json');
      await fs.writeFile(input, JSON.stringify(backrest));
      const binary = resticBinaries[resticBinaries.length - 1]!;
      const common = ['--data-dir', path.join(home, 'cofre'), '--policy', path.join(home, 'no-policy.json'), '--restic', binary.bin, '--lang', 'en'];
      expect((await runCli([...common, 'config', 'import-backrest', input])).code).toBe(0);
      const saved = await fs.readFile(path.join(home, 'cofre', 'config.json'), 'utf8');
      expect(saved).not.toContain('hook-token-123');
      expect(saved).toContain('cofre-secret:hook/');
      const backup = await runCli([...common, 'backup', 'p']);
      expect(backup.code, backup.err + backup.out).toBe(0);
      await expect.poll(() => received, { timeout: 10_000 }).toEqual(['/ping?token=hook-token-123']);
    } finally {
      await new Promise<void>((resolve) => hookServer.close(() => resolve()));
    }
  });
});
