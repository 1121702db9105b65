import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptPlainSecrets } from './adopt.js';
import { FileSecretStore } from './file-secret-store.js';
import { MemorySecretStore } from './secret-store.js';

describe('adopting secrets written by the CLI', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('moves every plain secret into the encrypted store and removes the plain file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cofre-adopt-'));
    const file = join(dir, 'secrets.json');
    const plain = new FileSecretStore(file);
    await plain.set('repo/financeiro/password', 'senha-do-repo');
    await plain.set('repo/financeiro/env/RESTIC_REST_PASSWORD', 'senha-rest');
    const target = new MemorySecretStore();
    await target.set('repo/outro/password', 'fica');

    expect(await adoptPlainSecrets(file, target)).toBe(2);
    expect(await target.get('repo/financeiro/password')).toBe('senha-do-repo');
    expect(await target.get('repo/financeiro/env/RESTIC_REST_PASSWORD')).toBe('senha-rest');
    expect(await target.get('repo/outro/password')).toBe('fica');
    await expect(stat(file)).rejects.toThrow();
  });

  it('does nothing when there is no plain file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cofre-adopt-'));
    expect(await adoptPlainSecrets(join(dir, 'secrets.json'), new MemorySecretStore())).toBe(0);
  });
});
