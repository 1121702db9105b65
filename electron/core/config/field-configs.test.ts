// config.json files as real Backrest installations hold them (test/fixtures/backrest/field/README.md
// names each source and Backrest version). For every one: it loads as Backrest's loader would, a
// merge into a configured Cofre keeps that Cofre's own repository, plan and instance, the export
// for its own Backrest line is a file that line accepts, and the round trip loses nothing Backrest knows.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { exportBackrest, importBackrest, parseBackrestFile, resolveRepoSecrets, type BackrestTarget } from './backrest-io.js';
import type { Config } from './backrest-schema.js';
import { parseImportFile, planImport } from './import-merge.js';
import { guidFromRepoId } from './migrate.js';
import { normalizeBackrestJson } from './normalize.js';
import { ConfigStore } from './store.js';
import { parseConfig, validateConfig } from './validate.js';

const read = (name: string) => readFileSync(new URL(`../../../test/fixtures/backrest/${name}`, import.meta.url), 'utf8');

interface FieldCase {
  file: string;
  /** The `version` Cofre keeps (a version 2/3 file is migrated to 4 as Backrest 1.9-1.12 does). */
  version: 4 | 5 | 6;
  target: BackrestTarget;
  /** Values that must never reach a plain export (passwords, env secrets, hook tokens, keys). */
  secrets: string[];
}

const cases: FieldCase[] = [
  { file: 'field/backrest-1.7.2-auth-only.json', version: 4, target: '1.10', secrets: [] },
  { file: 'field/backrest-v3-rclone-nix.json', version: 4, target: '1.10', secrets: ['tributos-rclone-repo-pass'] },
  { file: 'field/backrest-v4-s3-env-password.json', version: 4, target: '1.10', secrets: ['0045fakeaccesskeyid0001', 'K004fakeSecretAccessKeyForTests', 'saude-env-repo-password', 'hc-ping.com/11111111'] },
  { file: 'field/backrest-v4-local-discord.json', version: 4, target: '1.10', secrets: ['hot-storage-strong-key', 'media-escolas-strong-key', 'fake-discord-token-educacao'] },
  { file: 'field/backrest-v4-script-written.json', version: 4, target: '1.10', secrets: ['obras-local-repo-pass'] },
  { file: 'field/backrest-v6-script-upsert.json', version: 6, target: '1.13', secrets: [] },
  { file: 'field/backrest-v4-batatais-rest-nginx.json', version: 4, target: '1.10', secrets: ['Financeiro#Repo-2025', 'nginx-shared-pass'] },
  { file: 'field/backrest-v4-every-hook.json', version: 4, target: '1.10', secrets: ['ti-sftp-repo-pass', 'fake-slack-secret', 'fake-smtp-pass', 'fake-gotify-app-token', 'fake-webhook-key', 'hc-ping.com/99999999', 'fake-discord-ti'] },
  { file: 'backrest-1.10.1.json', version: 4, target: '1.10', secrets: ['Compras#2025-repo', 'nginx-compras-pass', 'AbCdEf.gotify-token-compras', 'discord-secret-path', 'EcdsaPrivateKeyMaterial'] },
  { file: 'backrest-1.14.1.json', version: 6, target: '1.13', secrets: ['s3nh@-do-Financeiro', 'nginx-financeiro-pass', 'telegram-bot-token', 'Ed25519PrivateSeed', 'pairing-secret-financeiro-0001'] },
];

/** The working Cofre a technician imports into: its own repo, plan and instance must survive. */
function configuredCofre(): Config {
  return parseConfig({
    modno: 5,
    version: 4,
    instance: 'pc-cofre-01',
    repos: [{ id: 'cofre-trabalho', uri: 'rest:https://backup.example/cofre', guid: guidFromRepoId('cofre-trabalho'), env: ['RESTIC_REST_USERNAME=cofre'] }],
    plans: [{ id: 'cofre-documentos', repo: 'cofre-trabalho', paths: ['/home/cofre/Documentos'], schedule: { cron: '0 12 * * *' } }],
  });
}

type Json = unknown;

/**
 * The value as Backrest sees it after protojson: proto3 defaults (empty strings, 0, false, empty
 * lists and, for messages, presence only) carry no information; env order is not meaningful
 * (validation sorts it).
 */
function meaningful(value: Json, key = ''): Json {
  if (Array.isArray(value)) {
    const items = value.map((v) => meaningful(v));
    return key === 'env' ? [...(items as string[])].sort() : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === '' || v === 0 || v === '0' || v === false || v === null || (Array.isArray(v) && v.length === 0)) continue;
      out[k] = meaningful(v, k);
    }
    return out;
  }
  return value;
}

/** Every field of `expected` is in `actual` with the same value (the export may add Backrest defaults). */
function expectNoLoss(actual: Json, expected: Json, at = '$'): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    expect(actual, at).toBeTypeOf('object');
    for (const [k, v] of Object.entries(expected)) expectNoLoss((actual as Record<string, Json>)[k], v, `${at}.${k}`);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), at).toBe(true);
    expect((actual as Json[]).length, at).toBe(expected.length);
    expected.forEach((v, i) => expectNoLoss((actual as Json[])[i], v, `${at}[${i}]`));
    return;
  }
  expect(actual, at).toEqual(expected);
}

/** What Backrest of the target line checks before it starts on a file. */
function backrestLineAccepts(text: string, version: number): void {
  const json = JSON.parse(text);
  expect(json.version).toBe(version);
  expect(validateConfig(json, 'en', { fillGuids: false }).fields).toEqual([]);
  expect(typeof json.instance).toBe('string');
  expect(json.instance.length).toBeLessThanOrEqual(50);
  for (const repo of json.repos ?? []) {
    expect(Boolean(repo.guid) && repo.autoInitialize === true, `repo ${repo.id}: guid with autoInitialize`).toBe(false);
    expect(Boolean(repo.guid) || repo.autoInitialize === true, `repo ${repo.id}: neither guid nor autoInitialize`).toBe(true);
  }
  if (version >= 6 && json.sync?.identity) expect(json.sync.identity.keyId).toMatch(/^ed25519\./);
  if (version < 6) expect(json.sync?.identity?.keyId ?? 'ecdsa.').toMatch(/^ecdsa\./);
  expect(text).not.toContain('cofre-secret:');
}

describe.each(cases)('field config $file', ({ file, version, target, secrets }) => {
  const raw = read(file);

  it('(a) loads as Backrest does', () => {
    const { config, sourceVersion } = parseBackrestFile(raw, 'en');
    expect(sourceVersion).toBe(version);
    expect(config.version).toBe(version);
  });

  it('(b) merged into a configured Cofre, keeps its repository, plan and instance', () => {
    const current = configuredCofre();
    const imported = parseImportFile(raw, current, 'merge', 'en').config;
    const { config, preview } = planImport(current, imported, { mode: 'merge' }, 'en');
    expect(config.instance).toBe('pc-cofre-01');
    expect(config.repos[0]).toEqual(current.repos[0]);
    expect(config.plans[0]).toEqual(current.plans[0]);
    expect(config.repos.map((r) => r.id)).toEqual(['cofre-trabalho', ...imported.repos.map((r) => r.id)]);
    expect(config.plans.map((p) => p.id)).toEqual(['cofre-documentos', ...imported.plans.map((p) => p.id)]);
    expect(preview.repos.removed).toEqual([]);
    expect(preview.plans.removed).toEqual([]);
    expect(() => parseConfig(config, 'en')).not.toThrow();
  });

  it('(c) exports for its own Backrest line in a form that line accepts, secrets only when asked', async () => {
    const store = new MemorySecretStore();
    const { config } = await importBackrest(raw, store, 'en');
    const withSecrets = await exportBackrest(config, store, { includeSecrets: true, target });
    backrestLineAccepts(withSecrets, version);
    for (const secret of secrets) expect(withSecrets).toContain(secret);
    const plain = await exportBackrest(config, store, { includeSecrets: false, target });
    backrestLineAccepts(plain, version);
    for (const secret of secrets) expect(plain).not.toContain(secret);
    expect(JSON.parse(plain).modno ?? 0).toBe(JSON.parse(raw).modno ?? 0);
    // A path to a password file is no secret: without it the repo of a plain export has no password at all.
    const fileEnv = (JSON.parse(raw).repos ?? []).flatMap((r: { env?: string[] }) => (r.env ?? []).filter((e) => /^[A-Z_]+_FILE=/.test(e)));
    for (const entry of fileEnv) expect(plain).toContain(entry);
  });

  it('(d) the round trip loses no field Backrest knows', async () => {
    const store = new MemorySecretStore();
    const { config } = await importBackrest(raw, store, 'en');
    const out = JSON.parse(await exportBackrest(config, store, { includeSecrets: true, target }));
    const expected = normalizeBackrestJson(JSON.parse(raw)).json as Record<string, Json>;
    // The only rewrite a file below version 4 gets is Backrest's own migrations 003 and 004.
    expected.version = version;
    for (const repo of (expected.repos ?? []) as Array<Record<string, Json>>) if (!repo.guid && !repo.autoInitialize) repo.guid = guidFromRepoId(String(repo.id));
    expectNoLoss(meaningful(out), meaningful(expected));
  });
});

describe('a uri that is only an environment reference (Backrest expands ${VAR} in uri)', () => {
  const file = (uri: string) => JSON.stringify({ version: 4, instance: 'pc', repos: [{ id: 'r', uri, guid: guidFromRepoId('r'), password: 'p' }] });

  it('regression: `${RESTIC_REPO}` as the whole uri loads (Backrest accepts it) and is judged once expanded', async () => {
    const { config } = parseBackrestFile(file('${RESTIC_REPO}'), 'en');
    const repo = config.repos[0]!;
    const store = new MemorySecretStore();
    await expect(resolveRepoSecrets(repo, store, { RESTIC_REPO: 'rest:https://backup.example/financeiro' })).resolves.toMatchObject({ uri: 'rest:https://backup.example/financeiro' });
    await expect(resolveRepoSecrets(repo, store, { RESTIC_REPO: 'javascript:alert(1)' })).rejects.toMatchObject({ code: 'config.expandedUriInvalid' });
    await expect(resolveRepoSecrets(repo, store, {})).rejects.toMatchObject({ code: 'restic.uriVariableMissing' });
  });

  it('a uri Cofre refuses stays refused when it does not start with a reference', () => {
    expect(() => parseBackrestFile(file('javascript:${X}'), 'en')).toThrow();
  });
});

describe('a version-3 Backrest file as Cofre\'s own --config', () => {
  it('regression: loads (not "damaged", not an empty Cofre), keeps its secrets and is saved as version 4', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-field-v3-'));
    try {
      const file = path.join(dir, 'config.json');
      await fs.writeFile(file, read('field/backrest-v3-rclone-nix.json'));
      const store = new ConfigStore({ path: file, secrets: new MemorySecretStore(), locale: 'en' });
      const loaded = await store.load();
      expect(loaded.problem).toBeUndefined();
      expect(loaded.config.version).toBe(4);
      expect(loaded.config.plans.map((p) => p.id)).toEqual(['apps', 'backup']);
      await store.update((c) => {
        c.plans[0]!.excludes.push('*.bak');
      }, store.get().modno);
      const disk = JSON.parse(await fs.readFile(file, 'utf8'));
      expect(disk.version).toBe(4);
      expect(disk.repos[0].guid).toBe(guidFromRepoId('nas-tributos'));
      expect(JSON.stringify(disk)).not.toContain('tributos-rclone-repo-pass');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
