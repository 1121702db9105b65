// Crash-safe file replacement shared by the config and secret stores. The new content goes to a
// temp file in the same directory (same filesystem, so rename is atomic), is fsynced, renamed over
// the target, and the directory is fsynced so the rename itself survives a power cut. A crash at
// any point leaves either the old file or the new one, never a half-written mix.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const tempPrefix = '.tmp-';

export async function atomicWriteFile(file: string, content: string | Buffer, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `${tempPrefix}${path.basename(file)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await fs.open(temp, 'wx', mode);
  try {
    await handle.writeFile(content);
    // Mode given to open() is filtered by the umask; chmod makes 0600 exact.
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates a directory readable only by its owner (0700). Only the folders this call creates are
 * tightened: an existing folder is left as it is, because it may not be Cofre's to change (with
 * `--config /tmp/config.json` the parent is the sticky, world-writable /tmp). The data dir, which
 * Cofre does make private when it recognises it as its own, is handled by history/data-dir.ts.
 * Returns the first folder created, if any.
 */
export async function ensurePrivateDir(dir: string): Promise<string | undefined> {
  const created = await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (created === undefined || process.platform === 'win32') return created;
  // mkdir's mode is filtered by the umask; every level created here gets exactly 0700.
  const first = path.resolve(created);
  for (let level = path.resolve(dir); ; level = path.dirname(level)) {
    await fs.chmod(level, 0o700);
    if (level === first || path.dirname(level) === level) break;
  }
  return created;
}

/**
 * Removes temp files a crash left behind (they are never the authoritative copy). Only old ones:
 * a fresh temp file may belong to another process (tray + CLI) that is writing right now.
 */
export async function removeStrayTempFiles(dir: string, baseName: string, olderThanMs = 60_000, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const strays = names.filter((name) => name.startsWith(`${tempPrefix}${baseName}-`));
  await Promise.all(
    strays.map(async (name) => {
      const full = path.join(dir, name);
      const stat = await fs.stat(full).catch(() => undefined);
      if (stat && now - stat.mtimeMs >= olderThanMs) await fs.rm(full, { force: true }).catch(() => undefined);
    }),
  );
}
