import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CofreError } from '../errors.js';
import { MemorySecretStore, repoEnvKey, repoPasswordKey } from '../secrets/secret-store.js';
import { ConfigStore, instanceIdFromHostname, type ConfigInput } from './store.js';

let dir: string;
let file: string;
let clock: number;
const now = () => new Date(clock++ * 1000 + Date.UTC(2026, 10, 27));

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-store-'));
  file = path.join(dir, 'config.json');
  clock = 0;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const valid: ConfigInput = {
  modno: 3,
  version: 6,
  instance: 'pc-01',
  repos: [{ id: 'r1', uri: '/srv/r1', futureRepoField: { kept: [1, 'a'] } }],
  plans: [{ id: 'p1', repo: 'r1', paths: ['/home/maria'], schedule: { cron: '0 12 * * *' } }],
  sync: { identity: { keyId: 'ecdsa.k' }, knownHosts: [{ instanceId: 'x' }] },
  fromNewerBackrest: { a: 1, b: [true, null, 'x'] },
};

const makeStore = (secrets = new MemorySecretStore(), backups?: number) =>
  new ConfigStore({ path: file, secrets, hostname: 'PC-Financeiro.local', now, locale: 'en', ...(backups ? { backups } : {}) });

describe('ConfigStore', () => {
  it('starts from a fresh default config when there is no file, without writing one', async () => {
    const result = await makeStore().load();
    expect(result.fresh).toBe(true);
    expect(result.config).toMatchObject({ version: 6, instance: 'pc-financeiro.local', repos: [], plans: [], modno: 0 });
    await expect(fs.access(file)).rejects.toThrow();
    expect(instanceIdFromHostname('  ')).toBe('cofre');
  });

  it('keeps unknown fields (sync, newer Backrest fields) through load and save', async () => {
    await fs.writeFile(file, JSON.stringify(valid));
    const store = makeStore();
    await store.load();
    await store.update((c) => {
      c.plans[0]!.paths.push('/srv/docs');
    }, 3);
    const saved = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(saved.sync).toEqual(valid['sync']);
    expect(saved.fromNewerBackrest).toEqual(valid['fromNewerBackrest']);
    expect(saved.repos[0].futureRepoField).toEqual({ kept: [1, 'a'] });
    expect(saved.plans[0].paths).toEqual(['/home/maria', '/srv/docs']);
    expect(saved.modno).toBe(4);
  });

  it('writes 2-space JSON with a trailing newline and mode 0600', async () => {
    const store = makeStore();
    await store.load();
    await store.update({ ...store.get(), repos: [{ id: 'r1', uri: '/srv/r1', env: [], flags: [], hooks: [] }] }, 0);
    const text = await fs.readFile(file, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "version": 6');
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a stale writer with error.conflict, also across two store instances', async () => {
    await fs.writeFile(file, JSON.stringify(valid));
    const a = makeStore();
    const b = makeStore();
    await a.load();
    await b.load();
    await a.update((c) => ({ ...c, instance: 'from-a' }), 3);
    await expect(a.update((c) => ({ ...c, instance: 'stale' }), 3)).rejects.toMatchObject({ code: 'error.conflict' });
    // b still believes modno is 3: its write must not silently overwrite a's change.
    await expect(b.update((c) => ({ ...c, instance: 'from-b' }), 3)).rejects.toMatchObject({ code: 'error.conflict' });
    expect(b.get().instance).toBe('from-a');
    expect(JSON.parse(await fs.readFile(file, 'utf8')).instance).toBe('from-a');
    await b.update((c) => ({ ...c, instance: 'from-b' }), 4);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({ instance: 'from-b', modno: 5 });
  });

  it('rejects an invalid update with field errors and leaves the file untouched', async () => {
    await fs.writeFile(file, JSON.stringify(valid));
    const store = makeStore();
    await store.load();
    const before = await fs.readFile(file, 'utf8');
    const error = await store.update((c) => { c.plans[0]!.repo = 'missing'; }, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CofreError);
    expect((error as CofreError).fields).toEqual([{ path: 'plans[0].repo', message: 'names the repository "missing", which does not exist' }]);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    expect(store.get().modno).toBe(3);
  });

  it('leaves the old file intact when a crash happened between temp write and rename', async () => {
    await fs.writeFile(file, JSON.stringify(valid));
    // What a crash mid-save leaves behind: a half-written temp file next to config.json.
    const stray = path.join(dir, `.tmp-config.json-99999-deadbeef`);
    await fs.writeFile(stray, '{"version": 6, "inst');
    const old = new Date(Date.now() - 3_600_000);
    await fs.utimes(stray, old, old);
    const result = await makeStore().load();
    expect(result.problem).toBeUndefined();
    expect(result.config.instance).toBe('pc-01');
    await expect(fs.access(stray)).rejects.toThrow();
  });

  it('keeps only the last 10 good copies', async () => {
    const store = makeStore();
    await store.load();
    for (let i = 0; i < 14; i++) await store.update((c) => ({ ...c, instance: `v${i}` }), i);
    const backups = await store.listBackups();
    expect(backups).toHaveLength(10);
    expect(JSON.parse(await fs.readFile(backups[0]!, 'utf8')).instance).toBe('v13');
    expect(JSON.parse(await fs.readFile(backups[9]!, 'utf8')).instance).toBe('v4');
    if (process.platform !== 'win32') expect((await fs.stat(backups[0]!)).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['truncated JSON', (text: string) => text.slice(0, text.length / 2), 'config.notJson'],
    ['wrong types', (text: string) => text.replace('"version": 6', '"version": "six"'), 'config.invalid'],
    ['unknown plan repo', (text: string) => text.replace('"repo": "r1"', '"repo": "nope"'), 'config.invalid'],
  ])('recovers from %s with the last good copy and says so', async (_name, damage, originalCode) => {
    const store = makeStore();
    await store.load();
    await store.update({ ...valid, instance: 'good-1' }, 0);
    await store.update((c) => ({ ...c, instance: 'good-2' }), 1);
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, damage(text));

    const reopened = makeStore();
    const result = await reopened.load();
    expect(result.config.instance).toBe('good-2');
    expect(result.recoveredFrom).toBe((await reopened.listBackups())[0]);
    expect(result.problem?.code).toBe('config.recovered');
    expect(result.problem?.message).toContain('config.json');
    expect(result.problem?.detail).toBeTruthy();
    if (originalCode === 'config.invalid') expect(result.problem?.fields?.length).toBeGreaterThan(0);
    // The damaged file is set aside, and the recovered config keeps working for updates.
    expect((await fs.readdir(dir)).some((n) => n.startsWith('config.json.damaged-'))).toBe(true);
    await reopened.update((c) => ({ ...c, instance: 'after-recovery' }), result.config.modno);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).instance).toBe('after-recovery');
  });

  it('falls back to an empty config, keeping the damaged file, when no copy is good', async () => {
    await fs.writeFile(file, '{"version": 6,');
    const result = await makeStore().load();
    expect(result.problem?.code).toBe('config.noGoodCopy');
    expect(result.config.repos).toEqual([]);
    expect(await fs.readFile(path.join(dir, (await fs.readdir(dir)).find((n) => n.includes('damaged'))!), 'utf8')).toBe('{"version": 6,');
  });

  it('never writes passwords or secret env values to config.json', async () => {
    const secrets = new MemorySecretStore();
    const store = makeStore(secrets);
    await store.load();
    await store.update({
      ...valid,
      repos: [{ id: 'r1', uri: 'rest:https://op:urlpass@h/r1', password: 'repo-pass', env: ['AWS_SECRET_ACCESS_KEY=aws-secret', 'RESTIC_PACK_SIZE=16'] }],
    }, 0);
    const text = await fs.readFile(file, 'utf8');
    for (const secret of ['repo-pass', 'aws-secret', 'urlpass']) expect(text).not.toContain(secret);
    for (const backup of await store.listBackups()) expect(await fs.readFile(backup, 'utf8')).not.toContain('repo-pass');
    expect(store.get().repos[0]).toMatchObject({ uri: 'rest:https://h/r1', env: ['RESTIC_PACK_SIZE=16', 'RESTIC_REST_USERNAME=op'] });
    expect(await secrets.get(repoPasswordKey('r1'))).toBe('repo-pass');
    expect(await secrets.get(repoEnvKey('r1', 'AWS_SECRET_ACCESS_KEY'))).toBe('aws-secret');
    expect(await secrets.get(repoEnvKey('r1', 'RESTIC_REST_PASSWORD'))).toBe('urlpass');

    // Removing the repository forgets its secrets.
    await store.update((c) => ({ ...c, repos: [], plans: [] }), 1);
    expect(await secrets.keys()).toEqual([]);
  });

  it('regression: a file older Cofre enrollment wrote (guid with autoInitialize) loads, and is put right', async () => {
    const guid = 'b'.repeat(64);
    await fs.writeFile(file, JSON.stringify({ ...valid, repos: [{ id: 'r1', uri: '/srv/r1', guid, autoInitialize: true }] }));
    const result = await makeStore().load();
    expect(result.problem).toBeUndefined();
    expect(result.config.repos[0]).toMatchObject({ guid });
    expect(result.config.repos[0]?.autoInitialize).toBeUndefined();
    expect(JSON.parse(await fs.readFile(file, 'utf8')).repos[0].autoInitialize).toBeUndefined();
  });

  it('moves passwords out of a hand-edited file on load', async () => {
    await fs.writeFile(file, JSON.stringify({ ...valid, repos: [{ id: 'r1', uri: '/srv/r1', password: 'typed-by-hand' }] }));
    const secrets = new MemorySecretStore();
    const result = await makeStore(secrets).load();
    expect(result.config.modno).toBe(4);
    expect(await fs.readFile(file, 'utf8')).not.toContain('typed-by-hand');
    expect(await secrets.get(repoPasswordKey('r1'))).toBe('typed-by-hand');
  });
});
