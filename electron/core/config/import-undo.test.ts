import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { ImportUndo } from './import-undo.js';
import { parseConfig } from './validate.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-undo-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const before = parseConfig({ version: 6, instance: 'pc', modno: 4, repos: [{ id: 'a', uri: '/srv/a' }], plans: [] });
const now = new Date('2026-12-01T10:00:00Z');

describe('ImportUndo', () => {
  it('keeps the previous config in a private file and the secrets inside the secret store, then restores them exactly', async () => {
    const secrets = new MemorySecretStore({ 'repo/a/password': 'senha-de-a-91', 'repo/a/env/RESTIC_REST_PASSWORD': 'rest-de-a-92', 'repo/z/password': 'pz' });
    const undo = new ImportUndo(path.join(dir, 'config.json'), secrets);
    const pending = await undo.take(before, ['a', 'novo'], 'replace', now);
    await pending.confirm(5);
    const text = await fs.readFile(undo.file, 'utf8');
    expect(text).not.toContain('senha-de-a-91');
    if (process.platform !== 'win32') expect((await fs.stat(undo.file)).mode & 0o777).toBe(0o600);
    expect(await undo.info(5)).toEqual({ takenAt: now.toISOString(), mode: 'replace', changedSince: false });
    expect((await undo.info(6))?.changedSince).toBe(true);

    // What an import does: replaces a's password, drops its REST password, adds a repo.
    await secrets.set('repo/a/password', 'nova');
    await secrets.delete('repo/a/env/RESTIC_REST_PASSWORD');
    await secrets.set('repo/novo/password', 'pn');
    const record = (await undo.read())!;
    expect(record.config).toEqual(before);
    await undo.restoreSecrets(record);
    await undo.clear(record);
    expect(Object.fromEntries(await Promise.all((await secrets.keys()).map(async (k) => [k, await secrets.get(k)])))).toEqual({
      'repo/a/password': 'senha-de-a-91', 'repo/a/env/RESTIC_REST_PASSWORD': 'rest-de-a-92', 'repo/z/password': 'pz',
    });
    expect(await undo.read()).toBeNull();
  });

  it('a failed import rolls back: the secrets return and the older undo level stays', async () => {
    const secrets = new MemorySecretStore({ 'repo/a/password': 'senha-de-a-91' });
    const undo = new ImportUndo(path.join(dir, 'config.json'), secrets);
    await (await undo.take(before, ['a'], 'merge', now)).confirm(5);
    const older = await undo.read();
    const pending = await undo.take({ ...before, modno: 5 }, ['a'], 'replace', new Date('2026-12-01T11:00:00Z'));
    await secrets.set('repo/a/password', 'parcial');
    await pending.rollback();
    expect(await secrets.get('repo/a/password')).toBe('senha-de-a-91');
    expect(await undo.read()).toEqual(older);
    // Only the older level's saved copy remains in the store.
    expect((await secrets.keys()).filter((k) => k.startsWith('import-undo/'))).toEqual([`import-undo/${older!.generation}/repo/a/password`]);
  });
});
