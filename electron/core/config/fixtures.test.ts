// Config files exactly as Backrest 1.10.1 (version 4) and 1.14.1 (version 6) write them: each one
// loads, round-trips without loss, and exports in a form its Backrest release accepts.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore, repoEnvKey, repoPasswordKey } from '../secrets/secret-store.js';
import { exportBackrest, importBackrest, parseBackrestFile } from './backrest-io.js';
import { identityKey } from './extra-secrets.js';
import { normalizeBackrestJson } from './normalize.js';
import { ConfigStore } from './store.js';
import { validateConfig } from './validate.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/backrest/${name}`, import.meta.url), 'utf8');
const v4 = fixture('backrest-1.10.1.json');
const v6 = fixture('backrest-1.14.1.json');

const secretsOf = {
  v4: ['Compras#2025-repo', 'nginx-compras-pass', 'AbCdEf.gotify-token-compras', 'discord-secret-path', 'EcdsaPrivateKeyMaterial'],
  v6: ['s3nh@-do-Financeiro', 'nginx-financeiro-pass', 'telegram-bot-token', 'financeiro01', 'Ed25519PrivateSeed', 'pairing-secret-financeiro-0001'],
};

/** What Backrest itself would check before starting on the exported file. */
function backrestAccepts(text: string, version: number): void {
  const json = JSON.parse(text);
  expect(json.version).toBe(version);
  expect(validateConfig(json, 'en', { fillGuids: false }).fields).toEqual([]);
  for (const repo of json.repos) expect(Boolean(repo.guid) && repo.autoInitialize === true).toBe(false);
  if (version >= 6 && json.sync?.identity) expect(json.sync.identity.keyId).toMatch(/^ed25519\./);
  if (version < 6) expect(json.sync?.identity?.keyId ?? 'ecdsa.').toMatch(/^ecdsa\./);
}

describe.each([
  ['Backrest 1.10.1 (version 4)', v4, 4, secretsOf.v4],
  ['Backrest 1.14.1 (version 6)', v6, 6, secretsOf.v6],
])('%s config.json', (_name, raw, version, secretValues) => {
  it('loads as Backrest does and keeps its version', () => {
    const { config, sourceVersion } = parseBackrestFile(raw, 'en');
    expect(sourceVersion).toBe(version);
    expect(config.version).toBe(version);
  });

  it('round-trips without loss: import then export with secrets gives the file back (modno kept)', async () => {
    const secrets = new MemorySecretStore();
    const { config, movedSecrets } = await importBackrest(raw, secrets, 'en');
    expect(movedSecrets).toBeGreaterThanOrEqual(secretValues.length);
    const clean = JSON.stringify(config);
    for (const secret of secretValues) expect(clean).not.toContain(secret);
    const out = await exportBackrest(config, secrets, { includeSecrets: true });
    const expected = normalizeBackrestJson(JSON.parse(raw)).json as { repos: Array<{ env: string[] }> };
    const actual = JSON.parse(out) as typeof expected;
    // Env order is not meaningful (Backrest sorts it on validation).
    for (const repo of [...actual.repos, ...expected.repos]) repo.env.sort();
    expect(actual).toEqual(expected);
    backrestAccepts(out, version);
  });

  it('exports without secrets in a form its Backrest accepts, holding no secret at all', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(raw, secrets, 'en');
    const out = await exportBackrest(config, secrets, { includeSecrets: false });
    for (const secret of secretValues) expect(out).not.toContain(secret);
    expect(out).not.toContain('cofre-secret:');
    const json = JSON.parse(out);
    expect(json.sync.identity).toBeUndefined();
    expect(json.sync.pairingTokens ?? []).toEqual([]);
    expect(json.modno).toBe(JSON.parse(raw).modno);
    backrestAccepts(out, version);
  });
});

describe('export targets', () => {
  it('a version-4 file exported for 1.13 becomes version 6 with migration 006 applied (ECDSA identity dropped)', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(v4, secrets);
    const out = await exportBackrest(config, secrets, { includeSecrets: true, target: '1.13' });
    backrestAccepts(out, 6);
    const json = JSON.parse(out);
    expect(json.sync).toEqual({ knownHosts: [], authorizedClients: [] });
    backrestAccepts(await exportBackrest(config, secrets, { includeSecrets: true, target: 'current' }), 6);
    backrestAccepts(await exportBackrest(config, secrets, { includeSecrets: true, target: '1.10' }), 4);
  });

  it('regression: a version-4 file relabelled 6 with its ECDSA identity (what older Cofre wrote) is healed, not passed on to 1.13', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(v4.replace('"version": 4', '"version": 6'), secrets);
    const out = await exportBackrest(config, secrets, { includeSecrets: true });
    backrestAccepts(out, 6);
    expect(JSON.parse(out).sync.identity).toBeUndefined();
  });

  it('refuses to export for 1.10 what Backrest 1.10 would silently lose, naming the fields', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(v6, secrets);
    const error = await exportBackrest(config, secrets, { includeSecrets: false, target: '1.10', locale: 'pt-BR' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config.exportNeedsNewer' });
    expect((error as Error).message).toContain('repos[0].hooks[0].actionTelegram');
    expect((error as Error).message).toContain('sync.pairingTokens');
  });

  it('a version-6 config without 1.13-only content exports for 1.10 as version 4, without its ed25519 identity', async () => {
    const secrets = new MemorySecretStore();
    const json = JSON.parse(v6);
    json.repos[0].hooks = [];
    delete json.sync.pairingTokens;
    const { config } = await importBackrest(JSON.stringify(json), secrets);
    const out = await exportBackrest(config, secrets, { includeSecrets: true, target: '1.10' });
    backrestAccepts(out, 4);
    expect(JSON.parse(out).sync.identity).toBeUndefined();
  });

  it('refuses an export Backrest would refuse (regression: the old export wrote whatever it had)', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(v4, secrets);
    const broken = { ...config, repos: config.repos.map((r) => ({ ...r, autoInitialize: true })) };
    await expect(exportBackrest(broken, secrets, { includeSecrets: false })).rejects.toMatchObject({ code: 'config.exportRefused' });
  });

  it('writes Backrest\'s own default auth block when the config has none', async () => {
    const secrets = new MemorySecretStore();
    const { config } = await importBackrest(JSON.stringify({ version: 6, instance: 'pc', repos: [], plans: [] }), secrets);
    const json = JSON.parse(await exportBackrest(config, secrets, { includeSecrets: false }));
    expect(json.auth).toEqual({ disabled: true, users: [] });
  });
});

describe('a Backrest file as Cofre\'s own --config', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-fixtures-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a version-4 file loads (not "damaged"), keeps version 4 on save, and moves to 6 only when the content needs it', async () => {
    const file = path.join(dir, 'config.json');
    await fs.writeFile(file, v4);
    const secrets = new MemorySecretStore();
    const store = new ConfigStore({ path: file, secrets, locale: 'en' });
    const loaded = await store.load();
    expect(loaded.problem).toBeUndefined();
    expect(loaded.config.repos.map((r) => r.id)).toEqual(['compras']);
    expect(await secrets.get(repoPasswordKey('compras'))).toBe('Compras#2025-repo');
    expect(await secrets.get(repoEnvKey('compras', 'RESTIC_REST_PASSWORD'))).toBe('nginx-compras-pass');
    expect(await secrets.get(identityKey)).toContain('EC PRIVATE');
    let disk = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(disk.version).toBe(4);
    for (const secret of secretsOf.v4) expect(JSON.stringify(disk)).not.toContain(secret);

    await store.update((c) => {
      c.plans[0]!.excludes.push('*.bak');
    }, store.get().modno);
    disk = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(disk.version).toBe(4);
    expect(disk.sync.identity.keyId).toMatch(/^ecdsa\./);

    // A Telegram hook is fine in version 4 (Backrest 1.12.1 writes them): the file stays 4.
    await store.update((c) => {
      c.plans[0]!.hooks.push({ conditions: ['CONDITION_SNAPSHOT_ERROR'], actionTelegram: { botToken: 'new-bot-token', chatId: '1' } });
    }, store.get().modno);
    disk = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(disk.version).toBe(4);
    expect(disk.sync.identity.keyId).toMatch(/^ecdsa\./);
    // A repo-level forget policy exists only from Backrest 1.13: the file becomes version 6, with 006 applied.
    await store.update((c) => {
      c.repos[0]!.forgetPolicy = { schedule: { cron: '0 3 * * *' }, retention: { policyKeepLastN: 30 } };
    }, store.get().modno);
    disk = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(disk.version).toBe(6);
    expect(disk.sync.identity).toBeUndefined();
    expect(JSON.stringify(disk)).not.toContain('new-bot-token');
    // The ECDSA key nothing refers to any more is forgotten.
    expect(await secrets.get(identityKey)).toBeUndefined();
  });

  it('a file with an empty instance gets this machine\'s name instead of starting empty', async () => {
    const file = path.join(dir, 'config.json');
    const json = JSON.parse(v4);
    json.instance = '';
    await fs.writeFile(file, JSON.stringify(json));
    const loaded = await new ConfigStore({ path: file, secrets: new MemorySecretStore(), hostname: 'PC-Compras-02', locale: 'en' }).load();
    expect(loaded.problem).toBeUndefined();
    expect(loaded.config.instance).toBe('pc-compras-02');
  });

  it('a version-7 file is refused with a clear reason, not silently replaced by an empty config', async () => {
    const file = path.join(dir, 'config.json');
    await fs.writeFile(file, v6.replace('"version": 6', '"version": 7'));
    const loaded = await new ConfigStore({ path: file, secrets: new MemorySecretStore(), locale: 'en' }).load();
    expect(loaded.problem?.code).toBe('config.noGoodCopy');
    expect(loaded.problem?.fields).toEqual([{ path: 'version', message: 'is 7, newer than the latest Backrest configuration version (6); Backrest itself refuses it' }]);
  });
});
