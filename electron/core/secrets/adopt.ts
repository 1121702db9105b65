// Secrets written by the headless faces (`cofre config import-backrest`, `cofre serve`) live in a
// file protected only by permissions. When the tray app starts with an OS-encrypted store, it
// adopts them: each value moves into the encrypted store and is removed from the plain file, so
// IT can pre-configure a machine from the command line and no password stays in plain text.
import { rm } from 'node:fs/promises';
import { FileSecretStore } from './file-secret-store.js';
import type { SecretStore } from './secret-store.js';

export async function adoptPlainSecrets(plainFile: string, target: SecretStore): Promise<number> {
  const plain = new FileSecretStore(plainFile);
  let keys: string[];
  try {
    keys = await plain.keys();
  } catch {
    return 0;
  }
  let moved = 0;
  for (const key of keys) {
    const value = await plain.get(key);
    if (value === undefined) continue;
    await target.set(key, value);
    await plain.delete(key);
    moved += 1;
  }
  if ((await plain.keys().catch(() => ['?'])).length === 0) await rm(plainFile, { force: true });
  return moved;
}
