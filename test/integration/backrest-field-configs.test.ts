// A Batatais machine adopted as it is: the version-4 config.json of a Backrest 1.10 client (REST
// credentials in the repo env, the server name as ${VAR} in the uri, shell-split flags), and the
// same machine on Backrest 1.14 (version 6, with a Telegram hook only 1.13+ knows), are imported
// with `cofre`, back up through nginx TLS + Basic Auth to the real rest-server with restic 0.14,
// 0.18 and 0.19.1, and are exported again for their own Backrest (version 4 for 1.10, 6 for 1.13+;
// no secret unless asked). And an import whose
// file uses the guide's REST_RESTIC_* names shows the diagnostics in the preview (`--dry-run`).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { validateConfig } from '../../electron/core/config/validate.js';
import { MemorySecretStore } from '../../electron/core/secrets/secret-store.js';
import { makeTempDir, rawRestic, removeDir, repoRoot, startRestServer, startTlsProxy, type RestServer, type TlsProxy } from '../fixtures/index.js';
import { runCli } from './run-cli.js';

const resticVersions = [
  { label: '0.14', bin: '/usr/bin/restic' },
  { label: '0.18', bin: join(repoRoot, '.tools', 'restic-0.18', 'usr', 'bin', 'restic') },
  { label: '0.19.1', bin: join(repoRoot, '.tools', 'restic-0.19', 'usr', 'bin', 'restic') },
].filter((v) => existsSync(v.bin));
// Assertions on the server side use a restic that reads RESTIC_REST_* and RESTIC_CACERT (>= 0.16.1).
const rawBin = resticVersions.filter((v) => v.label !== '0.14').at(-1)?.bin ?? '/usr/bin/restic';
const fieldFile = readFileSync(join(repoRoot, 'test', 'fixtures', 'backrest', 'field', 'backrest-v4-batatais-rest-nginx.json'), 'utf8');
const nginxUser = 'backup';
const nginxPassword = 'nginx-shared-pass';
const repoPassword = 'Financeiro#Repo-2025';

const lines = [
  { name: 'Backrest 1.10 (version 4)', version: 4, target: '1.10', telegram: false },
  { name: 'Backrest 1.14 (version 6)', version: 6, target: '1.13', telegram: true },
] as const;
const matrix = resticVersions.flatMap((restic) => lines.map((line) => ({ ...line, restic: restic.label, bin: restic.bin })));

describe.each(matrix)('$name field config on the real stack, restic $restic', ({ version, target, telegram, restic, bin }) => {
  let dir: string;
  let server: RestServer;
  let proxy: TlsProxy;
  let source: string;
  let common: string[];
  let hostEnv: Record<string, string>;

  beforeAll(async () => {
    dir = await makeTempDir(`field-v${version}-${restic}`);
    // As in Batatais: rest-server --no-auth, nginx in front doing TLS and Basic Auth.
    server = await startRestServer({ dataDir: join(dir, 'server') });
    proxy = await startTlsProxy({ upstream: server, users: { [nginxUser]: nginxPassword } });
    hostEnv = { COFRE_TEST_BACKUP_HOST: `localhost:${proxy.port}` };
    // Backrest and Cofre expand ${VAR} from their own process environment; runCli's env only
    // reaches the command line parser, the agent reads process.env.
    process.env.COFRE_TEST_BACKUP_HOST = hostEnv.COFRE_TEST_BACKUP_HOST;
    source = join(dir, 'Financeiro');
    await mkdir(join(source, 'notas'), { recursive: true });
    await writeFile(join(source, 'notas', 'nf-0001.txt'), 'nota fiscal 1\n');
    await writeFile(join(source, 'planilha.tmp'), 'excluded by the plan\n');
    common = ['--data-dir', join(dir, 'cofre'), '--restic', bin, '--policy', join(dir, 'no-policy.json')];
  }, 60_000);

  afterAll(async () => {
    delete process.env.COFRE_TEST_BACKUP_HOST;
    await proxy?.close();
    await server?.close();
    if (dir) await removeDir(dir);
  });

  it('imports with the CLI, backs up through nginx TLS + Basic Auth, exports for its own Backrest', async () => {
    // The repository exists on the server, as on a machine Backrest has been backing up for months.
    const rawEnv = {
      RESTIC_REPOSITORY: proxy.repoUri('financeiro'),
      RESTIC_PASSWORD: repoPassword,
      RESTIC_REST_USERNAME: nginxUser,
      RESTIC_REST_PASSWORD: nginxPassword,
      RESTIC_CACERT: proxy.ca.caCert,
    };
    await rawRestic(rawBin, ['init'], rawEnv);
    const guid = (JSON.parse((await rawRestic(rawBin, ['cat', 'config'], rawEnv)).stdout) as { id: string }).id;

    const json = JSON.parse(fieldFile);
    json.version = version;
    // Only Backrest 1.13+ has Telegram hooks: the file must then stay version 6.
    if (telegram) json.plans[0].hooks = [{ conditions: ['CONDITION_SNAPSHOT_ERROR'], actionTelegram: { botToken: 'fake-telegram-bot-token', chatId: '-100200300' } }];
    json.repos[0].guid = guid;
    // The machine's own folder and CA file: only what a different computer changes.
    json.repos[0].env.push(`RESTIC_CACERT=${proxy.ca.caCert}`);
    json.plans[0].paths = [source];
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify(json, null, 2));

    const imported = await runCli([...common, 'config', 'import-backrest', file], hostEnv);
    expect(imported.code, imported.out + imported.err).toBe(0);
    expect(imported.out + imported.err).not.toContain(nginxPassword);
    expect(imported.out + imported.err).not.toContain(repoPassword);
    // A fresh Cofre adopts the file's instance, so the plan keeps seeing its Backrest snapshots.
    const cofreConfig = JSON.parse(await readFile(join(dir, 'cofre', 'config.json'), 'utf8'));
    expect(cofreConfig.version).toBe(version);
    expect(cofreConfig.instance).toBe('pc-financeiro-03');
    expect(JSON.stringify(cofreConfig)).not.toContain(nginxPassword);

    const backup = await runCli([...common, 'backup', 'financeiro-documentos'], hostEnv);
    expect(backup.code, backup.out + backup.err).toBe(0);
    const snapshots = JSON.parse((await rawRestic(rawBin, ['snapshots', '--json', '--tag', 'plan:financeiro-documentos,created-by:pc-financeiro-03'], rawEnv)).stdout) as Array<{ paths: string[] }>;
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.paths).toEqual([source]);
    const listed = (await rawRestic(rawBin, ['ls', 'latest'], rawEnv)).stdout;
    expect(listed).toContain('nf-0001.txt');
    expect(listed).not.toContain('planilha.tmp');

    const plain = await runCli([...common, 'config', 'export-backrest', '--backrest', target], hostEnv);
    expect(plain.code, plain.err).toBe(0);
    const exported = JSON.parse(plain.out);
    expect(exported.version).toBe(version);
    if (telegram) expect(exported.plans[0].hooks[0].actionTelegram).toEqual({ botToken: '', chatId: '-100200300' });
    expect(validateConfig(exported, 'en', { fillGuids: false }).fields).toEqual([]);
    expect(exported.repos[0].uri).toBe('rest:https://${COFRE_TEST_BACKUP_HOST}/financeiro');
    expect(exported.repos[0].guid).toBe(guid);
    expect(exported.repos[0].flags).toEqual(['--limit-upload 2048']);
    expect(exported.plans[0].backup_flags).toEqual(['--exclude-larger-than 2G']);
    expect(plain.out).not.toContain(nginxPassword);
    expect(plain.out).not.toContain(repoPassword);
    expect(plain.out).not.toContain('cofre-secret:');

    const full = await runCli([...common, 'config', 'export-backrest', '--backrest', target, '--include-secrets'], hostEnv);
    expect(full.code, full.err).toBe(0);
    const withSecrets = JSON.parse(full.out);
    expect(withSecrets.version).toBe(version);
    if (telegram) expect(withSecrets.plans[0].hooks[0].actionTelegram.botToken).toBe('fake-telegram-bot-token');
    else {
      // A version-4 file cannot go to 1.10 once it needs 6; the v4 one can go to 1.13 (migration 006).
      const newer = await runCli([...common, 'config', 'export-backrest', '--backrest', '1.13'], hostEnv);
      expect(newer.code, newer.err).toBe(0);
      expect(JSON.parse(newer.out).version).toBe(6);
    }
    expect(withSecrets.repos[0].password).toBe(repoPassword);
    expect([...withSecrets.repos[0].env].sort()).toEqual([...json.repos[0].env].sort());
    expect(full.out).not.toContain('cofre-secret:');
  }, 240_000);
});

describe('diagnostics at import: the guide\'s REST_RESTIC_* names', () => {
  let dir: string;
  const guideFile = () => {
    const json = JSON.parse(fieldFile);
    json.repos[0].uri = 'rest:https://backup.example/financeiro';
    json.repos[0].env = ['REST_RESTIC_USERNAME=backup', `REST_RESTIC_PASSWORD=${nginxPassword}`];
    return JSON.stringify(json, null, 2);
  };

  beforeAll(async () => {
    dir = await makeTempDir('field-diag');
  });
  afterAll(async () => {
    if (dir) await removeDir(dir);
  });

  it('the preview (agent and `--dry-run`) and the import result name them, without the secret', async () => {
    const dataDir = join(dir, 'agente');
    const agent = await Agent.create({
      configPath: join(dataDir, 'config.json'), policyPath: null, dataDir, cacheDir: join(dataDir, 'cache'), secrets: new MemorySecretStore(), resticBinary: '/usr/bin/restic', locale: 'en',
      env: { PATH: process.env.PATH ?? '' },
    });
    try {
      const session = agent.createSession({ technician: true });
      const preview = await agent.call('previewImport', { content: guideFile() }, session);
      expect(preview.ok, JSON.stringify(preview)).toBe(true);
      if (!preview.ok) return;
      expect(preview.value.diagnostics?.map((d) => d.code)).toEqual(['env-not-read', 'env-not-read']);
      expect(preview.value.diagnostics?.map((d) => d.action).join(' ')).toContain('RESTIC_REST_USERNAME');
      expect(JSON.stringify(preview.value)).not.toContain(nginxPassword);
      const clean = JSON.parse(fieldFile);
      clean.repos[0].uri = 'rest:https://backup.example/financeiro';
      const none = await agent.call('previewImport', { content: JSON.stringify(clean) }, session);
      expect(none.ok && none.value.diagnostics).toBeFalsy();
    } finally {
      await agent.shutdown(10_000);
    }

    const file = join(dir, 'guia.json');
    await writeFile(file, guideFile());
    const common = ['--data-dir', join(dir, 'cli'), '--restic', '/usr/bin/restic', '--policy', join(dir, 'no-policy.json')];
    const dry = await runCli([...common, 'config', 'import-backrest', file, '--dry-run']);
    expect(dry.code, dry.out + dry.err).toBe(0);
    expect(dry.out).toContain('2 configurações não vão funcionar como esperado');
    expect(dry.out).toContain('REST_RESTIC_USERNAME');
    expect(dry.out).toContain('RESTIC_REST_PASSWORD');
    expect(dry.out).not.toContain(nginxPassword);
    const done = await runCli([...common, 'config', 'import-backrest', file]);
    expect(done.code, done.out + done.err).toBe(0);
    expect(done.out).toContain('REST_RESTIC_USERNAME');
    expect(done.out).not.toContain(nginxPassword);
  }, 60_000);
});
