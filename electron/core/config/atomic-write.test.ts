import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWriteFile, ensurePrivateDir } from './atomic-write.js';

const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o7777;

describe.runIf(process.platform !== 'win32')('secret-bearing files and the folders around them', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-atomic-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('replaces an existing 0644 file with a new 0600 one: the old inode (a hard link elsewhere) never gets the secret', async () => {
    const file = path.join(dir, 'export.json');
    const link = path.join(dir, 'someone-elses-link.json');
    await fs.writeFile(file, 'old, public', { mode: 0o644 });
    await fs.chmod(file, 0o644);
    await fs.link(file, link);
    await atomicWriteFile(file, 'password: hunter2');
    expect(await modeOf(file)).toBe(0o600);
    expect(await fs.readFile(file, 'utf8')).toBe('password: hunter2');
    expect(await fs.readFile(link, 'utf8')).toBe('old, public');
  });

  it('never changes a folder that existed before (sticky /tmp-like 1777, an open 0755 one)', async () => {
    const sticky = path.join(dir, 'shared-tmp');
    const open = path.join(dir, 'users-folder');
    for (const [folder, mode] of [[sticky, 0o1777], [open, 0o755]] as const) {
      await fs.mkdir(folder);
      await fs.chmod(folder, mode);
      expect(await ensurePrivateDir(folder)).toBeUndefined();
      expect(await modeOf(folder)).toBe(mode);
    }
  });

  it('makes every folder it creates private (0700), whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const nested = path.join(dir, 'new', 'deeper');
      expect(await ensurePrivateDir(nested)).toBe(path.join(dir, 'new'));
      expect(await modeOf(path.join(dir, 'new'))).toBe(0o700);
      expect(await modeOf(nested)).toBe(0o700);
      expect(await modeOf(dir)).toBe(0o700); // mkdtemp's own mode, untouched
    } finally {
      process.umask(previous);
    }
  });
});
