// The Prefeitura's guide end to end through `cofre`: a Backrest config whose REST credentials use
// the names the guide gives (REST_RESTIC_USERNAME / REST_RESTIC_PASSWORD, which restic never
// reads) is not just "valid", and the backup's 401 says that no user name was sent. A plan
// folder that no longer exists is a warning in plain words on every restic version.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import type { ApiInput } from '../../electron/core/api.js';
import { MemorySecretStore } from '../../electron/core/secrets/secret-store.js';
import { runCli } from './run-cli.js';
import { answersHttp, freePort, makeTempDir, removeDir, resticBinaries, restServerBinary, writeHtpasswd } from '../fixtures/index.js';
import { spawnServer, stopServer, waitUntilReady, type ServerProcess } from '../fixtures/process.js';

const restServerBin = restServerBinary();
const restUser = 'batatais';
const restPassword = 'Rest-Secret-4410';
const repoPassword = 'Repo-Secret-8812';

// The field's restic versions, each checked under its own path (test/fixtures/restic-versions.ts).
const versions = resticBinaries.map(({ label, bin }) => ({ label, bin }));

describe.each(versions)('cofre CLI diagnostics with restic $label and the real rest-server', ({ label, bin }) => {
  let dir: string;
  let server: ServerProcess;
  let port: number;
  let source: string;
  let gone: string;
  let common: string[] = [];

  const backrestConfig = (env: string[]) => ({
    modno: 3,
    version: 6,
    instance: `pc-compras-${label.replace('.', '')}`,
    repos: [{ id: 'compras', uri: `rest:http://127.0.0.1:${port}/compras${label}`, password: repoPassword, env, flags: [], autoInitialize: true }],
    plans: [{ id: 'setor', repo: 'compras', paths: [source, gone], schedule: { disabled: true } }],
    auth: { disabled: true },
  });
  const importConfig = async (name: string, env: string[]): Promise<void> => {
    // Each case its own Cofre data folder: secrets of one import must not leak into the next.
    common = ['--data-dir', join(dir, name), '--restic', bin, '--policy', join(dir, 'no-policy.json')];
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify(backrestConfig(env), null, 2));
    const result = await runCli([...common, 'config', 'import-backrest', file]);
    expect(result.code, result.out + result.err).toBe(0);
  };

  beforeAll(async () => {
    dir = await makeTempDir(`cli-diag-${label}`);
    const data = join(dir, 'server');
    await mkdir(data, { recursive: true });
    await writeHtpasswd(join(data, '.htpasswd'), { [restUser]: restPassword });
    port = await freePort();
    server = spawnServer(restServerBin, ['--path', data, '--listen', `127.0.0.1:${port}`]);
    await waitUntilReady(server, () => answersHttp(`http://127.0.0.1:${port}/`), 'rest-server');
    source = join(dir, 'srv', 'setor');
    gone = join(dir, 'srv', 'compras-antigo');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'pedido.txt'), 'pedido 1\n');
  }, 60_000);
  afterAll(async () => {
    if (server) await stopServer(server);
    if (dir) await removeDir(dir);
  });

  it("the guide's REST_RESTIC_* names: validate says what to rename, the backup says no user name was sent", async () => {
    await importConfig('guia', [`REST_RESTIC_USERNAME=${restUser}`, `REST_RESTIC_PASSWORD=${restPassword}`]);
    const validate = await runCli([...common, 'config', 'validate']);
    expect(validate.code, validate.err).toBe(0);
    expect(validate.out).not.toMatch(/^A configuração é válida/);
    expect(validate.out).toContain('REST_RESTIC_USERNAME');
    expect(validate.out).toContain('RESTIC_REST_USERNAME');
    expect(validate.out).toContain('RESTIC_REST_PASSWORD');
    expect(validate.out + validate.err).not.toContain(restPassword);
    const json = JSON.parse((await runCli([...common, 'config', 'validate', '--json'])).out) as { diagnostics: { code: string }[] };
    expect(json.diagnostics.map((d) => d.code)).toEqual(['env-not-read', 'env-not-read']);

    const backup = await runCli([...common, 'backup', 'setor']);
    expect(backup.code).not.toBe(0);
    expect(backup.out + backup.err).toContain('O servidor de backup pede usuário e senha, e nenhum está configurado.');
    expect(backup.out + backup.err).not.toContain('recusou o usuário ou a senha');
  }, 120_000);

  it('Test connection answers auth-missing with the diagnostics; diagnoseConfig sees RESTIC_PASSWORD set for every program', async () => {
    const dataDir = join(dir, 'agente');
    const agent = await Agent.create({
      configPath: join(dataDir, 'config.json'), policyPath: null, dataDir, cacheDir: join(dataDir, 'cache'), secrets: new MemorySecretStore(), resticBinary: bin, locale: 'pt-BR',
      env: { PATH: process.env.PATH ?? '', RESTIC_PASSWORD: 'senha-do-sistema' },
    });
    try {
      const session = agent.createSession({ technician: true });
      const imported = await agent.call('importBackrest', { content: JSON.stringify(backrestConfig([`REST_RESTIC_USERNAME=${restUser}`, `REST_RESTIC_PASSWORD=${restPassword}`])) }, session);
      expect(imported.ok, JSON.stringify(imported)).toBe(true);
      const draft: ApiInput<'testConnection'>['repo'] = { id: 'rascunho', uri: `rest:http://127.0.0.1:${port}/rascunho${label}`, env: [`REST_RESTIC_USERNAME=${restUser}`], flags: [] };
      const tested = await agent.call('testConnection', { repo: draft, secrets: { password: repoPassword } }, session);
      expect(tested.ok).toBe(true);
      if (!tested.ok) return;
      expect(tested.value.cause).toBe('auth-missing');
      expect(tested.value.diagnostics?.map((d) => d.code)).toEqual(['env-not-read']);
      expect(tested.value.diagnostics?.[0]?.action).toContain('RESTIC_REST_USERNAME');
      const all = await agent.call('diagnoseConfig', {}, session);
      expect(all.ok).toBe(true);
      if (!all.ok) return;
      expect(all.value.diagnostics.map((d) => d.code).sort()).toEqual(['env-not-read', 'env-not-read', 'process-password']);
      expect(JSON.stringify(all.value)).not.toContain(restPassword);
      expect(JSON.stringify(all.value)).not.toContain('senha-do-sistema');
    } finally {
      await agent.shutdown(10_000);
    }
  }, 120_000);

  it('with the names restic reads the config is valid, and a vanished plan folder is a warning in plain words', async () => {
    await importConfig('certo', [`RESTIC_REST_USERNAME=${restUser}`, `RESTIC_REST_PASSWORD=${restPassword}`]);
    const validate = await runCli([...common, 'config', 'validate']);
    expect(validate.code).toBe(0);
    expect(validate.out).toMatch(/^A configuração é válida/);

    const backup = await runCli([...common, 'backup', 'setor', '--json']);
    const finished = JSON.parse(backup.out) as { status: string; error?: { cause?: string; message?: string; action?: string } };
    expect(finished.status, backup.out).toBe('warning');
    expect(finished.error?.cause).toBe('source-missing');
    expect(finished.error?.message).toBe(`A pasta ${gone} não existe mais neste computador; o restante foi salvo.`);
    expect(finished.error?.action ?? '').not.toMatch(/feche/i);
    expect(backup.code).toBe(3);
  }, 120_000);
});
