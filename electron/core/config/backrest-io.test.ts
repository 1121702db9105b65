import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CofreError } from '../errors.js';
import { MemorySecretStore, repoEnvKey, repoPasswordKey } from '../secrets/secret-store.js';
import { exportBackrest, importBackrest, resolveRepoSecrets } from './backrest-io.js';
import { describeRepoSecrets, redactConfig, toRepoTarget } from './repo-secrets.js';
import { parseConfig } from './validate.js';

const raw = readFileSync(new URL('./fixtures/backrest-batatais.json', import.meta.url), 'utf8');
const secretValues = ['s3nh@-do-Repositório', 'nginx-basic-auth-pass', 'offsite-passphrase', 'wJalrXUtnFEMI/K7MDENG', 'AKIAEXAMPLE', 'legado-pass', 'senha@antiga', 'hc-ping.com/0000-1111', 'MC4CAQAwBQYDK2VwBCIEIF4k'];

describe('importBackrest', () => {
  it('imports a realistic Backrest config and moves every secret into the secret store', async () => {
    const secrets = new MemorySecretStore();
    const { config, movedSecrets } = await importBackrest(raw, secrets, 'en');
    expect(config.repos.map((r) => r.id)).toEqual(['financeiro', 's3-offsite', 'legado']);
    expect(config.plans.map((p) => p.id)).toEqual(['documentos', 'sistema', 'arquivo-morto']);
    const text = JSON.stringify(config);
    for (const secret of secretValues) expect(text).not.toContain(secret);
    // 3 passwords + RESTIC_REST_PASSWORD + AWS_SECRET_ACCESS_KEY + AWS_ACCESS_KEY_ID + URI password of "legado"
    // + the healthchecks ping URL + the multihost private key
    expect(movedSecrets).toBe(9);
    expect(await secrets.get(repoPasswordKey('financeiro'))).toBe('s3nh@-do-Repositório');
    expect(await secrets.get(repoEnvKey('s3-offsite', 'AWS_SECRET_ACCESS_KEY'))).toBe('wJalrXUtnFEMI/K7MDENG');
    expect(await secrets.get(repoEnvKey('legado', 'RESTIC_REST_PASSWORD'))).toBe('senha@antiga');

    const [financeiro, offsite, legado] = config.repos;
    expect(financeiro?.password).toBeUndefined();
    expect(financeiro?.env).toEqual(['RESTIC_REST_USERNAME=backup', 'RESTIC_PACK_SIZE=32', 'RESTIC_CACERT=${PROGRAMDATA}/Cofre/ca.crt']);
    // A pure ${VAR} reference holds no secret and stays as written.
    expect(offsite?.env).toEqual(['AWS_SESSION_TOKEN=${AWS_SESSION_TOKEN}']);
    expect(legado?.uri).toBe('rest:http://10.0.0.5:8000/legado');
    expect(legado?.env).toEqual(['RESTIC_REST_USERNAME=operador']);

    // Everything else survives: hooks, prune/check policies, sync, unknown fields.
    const original = JSON.parse(raw);
    expect(config.sync).toEqual({ ...original.sync, identity: { ...original.sync.identity, ed25519priv: 'cofre-secret:multihost/identity/ed25519priv' } });
    expect(await secrets.get('multihost/identity/ed25519priv')).toBe(original.sync.identity.ed25519priv);
    expect(config.someFutureTopLevel).toEqual(original.someFutureTopLevel);
    expect(offsite?.futureRepoField).toEqual({ from: 'backrest 1.12' });
    expect(financeiro?.prunePolicy).toEqual(original.repos[0].prunePolicy);
    expect(financeiro?.checkPolicy).toEqual(original.repos[0].checkPolicy);
    expect(config.plans[0]?.hooks[0]).toEqual(original.plans[0].hooks[0]);
    expect(config.plans[0]?.hooks[1]?.actionHealthchecks?.webhookUrl).toMatch(/^cofre-secret:hook\/[0-9a-f]{12}\/actionHealthchecks\.webhookUrl$/);
    expect(config.plans[0]?.backup_flags).toEqual(['--one-file-system']);
  });

  it('refuses non-JSON, non-objects, other versions and invalid configs without touching the secret store', async () => {
    const secrets = new MemorySecretStore();
    await expect(importBackrest('{"version": 6,', secrets)).rejects.toMatchObject({ code: 'config.importNotJson' });
    await expect(importBackrest('[1]', secrets)).rejects.toMatchObject({ code: 'config.importNotObject' });
    await expect(importBackrest('{"version": 7, "instance": "x"}', secrets)).rejects.toMatchObject({ code: 'config.unsupportedVersion' });
    // Version 1 is what Backrest itself refuses ("too old to migrate"); 2 and 3 are migrated (migrate.test.ts).
    const tooOld = await importBackrest('{"version": 1, "instance": "x"}', secrets, 'pt-BR').catch((e: unknown) => e);
    expect(tooOld).toMatchObject({ code: 'config.versionTooOld' });
    expect((tooOld as Error).message).toContain('Backrest 1.4.0');
    const bad = JSON.parse(raw);
    bad.plans[1].repo = 'nao-existe';
    const error = await importBackrest(JSON.stringify(bad), secrets, 'pt-BR').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CofreError);
    expect((error as CofreError).fields).toEqual([{ path: 'plans[1].repo', message: 'indica o repositório "nao-existe", que não existe' }]);
    expect(await secrets.keys()).toEqual([]);
  });
});

describe('exportBackrest', () => {
  it('without secrets: a valid Backrest v6 file with no password anywhere', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(raw, secrets);
    const out = await exportBackrest(config, secrets, { includeSecrets: false });
    for (const secret of secretValues) expect(out).not.toContain(secret);
    const json = JSON.parse(out);
    expect(json).toMatchObject({ version: 6, instance: 'pc-financeiro-03' });
    expect(() => parseConfig(json)).not.toThrow();
    expect(out.endsWith('\n')).toBe(true);
  });

  it('with secrets: passwords and env values are back in Backrest fields', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(raw, secrets);
    const json = JSON.parse(await exportBackrest(config, secrets, { includeSecrets: true }));
    const original = JSON.parse(raw);
    expect(json.repos[0].password).toBe(original.repos[0].password);
    expect([...json.repos[0].env].sort()).toEqual([...original.repos[0].env].sort());
    expect([...json.repos[1].env].sort()).toEqual([...original.repos[1].env].sort());
    expect(json.repos[2]).toMatchObject({ password: 'legado-pass', uri: 'rest:http://10.0.0.5:8000/legado', env: ['RESTIC_REST_USERNAME=operador', 'RESTIC_REST_PASSWORD=senha@antiga'] });
    expect(json.sync).toEqual(original.sync);
    expect(json.plans).toEqual(parseConfig(original).plans);
    // Re-importing the export gives the same secret-free config (hook references get fresh ids).
    const again = await importBackrest(JSON.stringify(json), new MemorySecretStore());
    const refs = (c: unknown) => JSON.stringify(c).replace(/cofre-secret:hook\/[0-9a-f]{12}\//g, 'cofre-secret:hook/*/');
    expect(refs(again.config)).toEqual(refs(config));
  });
});

describe('resolveRepoSecrets', () => {
  it('gives restic the password, REST credentials, CA file and expanded env', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(raw, secrets);
    const env = { PROGRAMDATA: 'C:/ProgramData', AWS_SESSION_TOKEN: 'sess' };
    const financeiro = await resolveRepoSecrets(config.repos[0]!, secrets, env);
    expect(financeiro).toEqual({
      uri: 'rest:https://backup.batatais.sp.gov.br/financeiro',
      password: 's3nh@-do-Repositório',
      env: { RESTIC_PACK_SIZE: '32' },
      restUsername: 'backup',
      restPassword: 'nginx-basic-auth-pass',
      caCertFile: 'C:/ProgramData/Cofre/ca.crt',
    });
    const offsite = await toRepoTarget(config.repos[1]!, secrets, env);
    expect(offsite).toMatchObject({ id: 's3-offsite', password: 'offsite-passphrase', flags: [] });
    expect(offsite.env).toEqual({ AWS_SESSION_TOKEN: 'sess', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG' });
    const legado = await resolveRepoSecrets(config.repos[2]!, secrets, {});
    expect(legado).toMatchObject({ uri: 'rest:http://10.0.0.5:8000/legado', restUsername: 'operador', restPassword: 'senha@antiga' });
  });

  it('takes credentials from the URI user-info of a repo not yet saved (draft or policy)', async () => {
    const repo = parseConfig({ version: 6, instance: 'x', repos: [{ id: 'd', uri: 'rest:https://u:p%2Fw@h/d', password: 'pw' }] }).repos[0]!;
    expect(await resolveRepoSecrets(repo, new MemorySecretStore(), {})).toMatchObject({ uri: 'rest:https://h/d', password: 'pw', restUsername: 'u', restPassword: 'p/w' });
  });

  it('fails with a translated missing-password error, never an empty password', async () => {
    const repo = parseConfig({ version: 6, instance: 'x', repos: [{ id: 'd', uri: '/srv/d' }] }).repos[0]!;
    await expect(resolveRepoSecrets(repo, new MemorySecretStore(), {})).rejects.toMatchObject({ code: 'secrets.missingPassword', failure: 'wrong-password' });
  });

  it('describes secrets by presence only and redacts policy passwords', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(raw, secrets);
    expect(await describeRepoSecrets(config.repos[0]!, secrets)).toEqual({ password: true, restUsername: 'backup', restPassword: true });
    expect(await describeRepoSecrets(config.repos[1]!, secrets)).toEqual({ password: true, restUsername: null, restPassword: false });
    const withPassword = parseConfig({ version: 6, instance: 'x', repos: [{ id: 'm', uri: '/srv/m', password: 'policy-pw', env: ['B2_ACCOUNT_KEY=k'] }] });
    expect(JSON.stringify(redactConfig(withPassword))).not.toMatch(/policy-pw|B2_ACCOUNT_KEY/);
  });
});
