import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedSecretStore, FileSecretStore, type StringEncryptor } from './file-secret-store.js';
import { MemorySecretStore, deleteRepoSecrets, repoEnvKey, repoPasswordKey, repoSecretEnvNames, type SecretStore } from './secret-store.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-secrets-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

// A reversible stand-in for safeStorage: what matters is that the file never holds the plain text.
const fakeSafeStorage = (available = true): StringEncryptor => ({
  isAvailable: () => available,
  encrypt: (plain) => Buffer.from(`enc:${Buffer.from(plain, 'utf8').toString('hex')}`),
  decrypt: (buf) => {
    const text = buf.toString();
    if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
    return Buffer.from(text.slice(4), 'hex').toString('utf8');
  },
});

const stores: Array<[string, () => SecretStore]> = [
  ['memory', () => new MemorySecretStore()],
  ['file', () => new FileSecretStore(path.join(dir, 'private', 'secrets.json'))],
  ['encrypted', () => new EncryptedSecretStore(path.join(dir, 'private', 'secrets.json'), fakeSafeStorage())],
];

describe.each(stores)('%s secret store', (_name, make) => {
  it('sets, gets, lists and deletes by repo-scoped keys', async () => {
    const store = make();
    expect(await store.get(repoPasswordKey('r1'))).toBeUndefined();
    await store.set(repoPasswordKey('r1'), 'sênha 1');
    await store.set(repoEnvKey('r1', 'AWS_SECRET_ACCESS_KEY'), 'aws');
    await store.set(repoEnvKey('r10', 'B2_ACCOUNT_KEY'), 'b2');
    expect(await store.get(repoPasswordKey('r1'))).toBe('sênha 1');
    expect(await repoSecretEnvNames(store, 'r1')).toEqual(['AWS_SECRET_ACCESS_KEY']);
    await deleteRepoSecrets(store, 'r1');
    expect(await store.keys()).toEqual(['repo/r10/env/B2_ACCOUNT_KEY']);
  });

  it('handles parallel writes without losing any', async () => {
    const store = make();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    expect(await store.keys()).toHaveLength(20);
  });
});

describe('file-backed stores', () => {
  it('FileSecretStore keeps a 0600 file in a 0700 folder, shared between instances', async () => {
    const file = path.join(dir, 'private', 'secrets.json');
    await new FileSecretStore(file).set('repo/r/password', 'pw');
    expect(await new FileSecretStore(file).get('repo/r/password')).toBe('pw');
    if (process.platform !== 'win32') {
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    }
  });

  it('EncryptedSecretStore never writes the plain text', async () => {
    const file = path.join(dir, 'secrets.json');
    const store = new EncryptedSecretStore(file, fakeSafeStorage());
    await store.set('repo/r/password', 'very-secret-password');
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain('very-secret-password');
    expect(JSON.parse(text).kind).toBe('encrypted');
    expect(await store.get('repo/r/password')).toBe('very-secret-password');
  });

  it('EncryptedSecretStore refuses to work when the OS cannot encrypt', async () => {
    const store = new EncryptedSecretStore(path.join(dir, 's.json'), fakeSafeStorage(false));
    await expect(store.set('k', 'v')).rejects.toMatchObject({ code: 'secrets.encryptionUnavailable' });
  });

  it('a damaged or foreign secret file gives a clear error without echoing its content', async () => {
    const file = path.join(dir, 's.json');
    await fs.writeFile(file, '{"kind":"plain","values":{"k":"leaked-secret"');
    const error = await new FileSecretStore(file).get('k').catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'secrets.unreadable' });
    expect(JSON.stringify(error) + String(error)).not.toContain('leaked-secret');
    await fs.writeFile(file, JSON.stringify({ version: 1, kind: 'plain', values: { k: 'v' } }));
    await expect(new EncryptedSecretStore(file, fakeSafeStorage()).get('k')).rejects.toMatchObject({ code: 'secrets.unreadable' });
    await fs.writeFile(file, JSON.stringify({ version: 1, kind: 'encrypted', values: { k: Buffer.from('garbage').toString('base64') } }));
    await expect(new EncryptedSecretStore(file, fakeSafeStorage()).get('k')).rejects.toMatchObject({ code: 'secrets.decryptFailed' });
  });
});
