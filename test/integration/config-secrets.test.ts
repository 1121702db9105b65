// A Backrest config imported into Cofre still opens the real repository: secrets leave
// config.json, come back from the secret store after a restart, survive a damaged config file,
// and an export with secrets is enough for restic on its own.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBackrest, importBackrest } from '../../electron/core/config/backrest-io.js';
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
    expect(withSecrets).toMatchObject({ version: 6, instance: 'pc-financeiro', sync: backrest.sync, notYetKnown: backrest.notYetKnown });
    const without = await exportBackrest(recovered.config, secrets, { includeSecrets: false });
    for (const secret of [repoPassword, restPass]) expect(without).not.toContain(secret);
  });
});
