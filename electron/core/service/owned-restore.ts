// Restores for a user of the service (which runs as root) must land as that user's files: never
// a root-owned file in someone's home, never a file where that user could not write themselves.
// Runs between "restic filled staging" and "files are moved into place" (renames keep owners).
import { lchown, lstat, mkdir, readdir, stat, chown } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SessionOwner } from '../agent/sessions.js';
import { CofreError } from '../errors.js';

/** Mode bits say whether `owner` may create entries in a folder (primary group only: stricter). */
export function writableBy(info: { uid: number; gid: number; mode: number }, owner: Pick<SessionOwner, 'uid' | 'gid'>): boolean {
  if (owner.uid === 0) return true;
  if (info.uid === owner.uid) return (info.mode & 0o300) === 0o300;
  if (info.gid === owner.gid) return (info.mode & 0o030) === 0o030;
  return (info.mode & 0o003) === 0o003;
}

/** Mode bits say whether `owner` could read a file (or list and enter a folder) themselves. */
export function readableBy(info: { uid: number; gid: number; mode: number; isDirectory(): boolean }, owner: Pick<SessionOwner, 'uid' | 'gid'>): boolean {
  if (owner.uid === 0) return true;
  const need = info.isDirectory() ? 0o5 : 0o4;
  const bits = info.uid === owner.uid ? (info.mode >> 6) & 0o7 : info.gid === owner.gid ? (info.mode >> 3) & 0o7 : info.mode & 0o7;
  return (bits & need) === need;
}

/**
 * restic, run as root, restores owners and modes as they were backed up. A file the user could
 * not read on the disk (a plan backing up /etc holds /etc/shadow) must not become readable
 * through a restore: refuse the whole restore before anything is placed.
 */
export async function assertReadableTree(dir: string, owner: Pick<SessionOwner, 'uid' | 'gid'>, top = dir): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const info = await lstat(full);
    if (!info.isSymbolicLink() && !readableBy(info, owner)) {
      throw new CofreError('service.restore.notReadable', { params: { path: full.slice(top.length) || '/' } });
    }
    if (entry.isDirectory()) await assertReadableTree(full, owner, top);
  }
}

/** Gives everything restic wrote into staging to `owner` (links themselves, never their targets). */
export async function chownTree(dir: string, owner: Pick<SessionOwner, 'uid' | 'gid'>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    await lchown(full, owner.uid, owner.gid);
    if (entry.isDirectory()) await chownTree(full, owner);
  }
}

/**
 * Refuses a destination whose nearest existing folder `owner` could not write (stat follows
 * links: a link in the home pointing at /etc is judged as /etc), then creates the missing folders
 * as `owner`'s so placement adds nothing root-owned.
 */
export async function prepareOwnedDestinations(destinations: readonly string[], owner: SessionOwner): Promise<void> {
  for (const dest of destinations) {
    const missing: string[] = [];
    let folder = dirname(dest);
    for (;;) {
      const info = await lstat(folder).catch(() => null);
      if (info) break;
      missing.unshift(folder);
      const parent = dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
    const info = await stat(folder);
    if (!info.isDirectory() || !writableBy(info, owner)) throw new CofreError('service.restore.notWritable', { params: { path: folder } });
    for (const path of missing) {
      await mkdir(path, { mode: 0o755 });
      await chown(path, owner.uid, owner.gid);
    }
  }
}

export function giveToOwner(owner: SessionOwner): (prepared: { staging: string; destinations: string[] }) => Promise<void> {
  return async ({ staging, destinations }) => {
    await assertReadableTree(staging, owner);
    await prepareOwnedDestinations(destinations, owner);
    await chownTree(staging, owner);
  };
}

/**
 * "Replace" moves the current files into a dated folder the restore creates (as root): give its
 * folders to the user. Only folders: a root-owned file that was in the way keeps its owner.
 */
export async function giveReplacedFolder(folder: string, owner: SessionOwner): Promise<void> {
  const own = async (path: string) => {
    const info = await lstat(path).catch(() => null);
    if (info?.isDirectory() && info.uid !== owner.uid && info.uid === process.getuid?.()) await lchown(path, owner.uid, owner.gid);
  };
  const walk = async (dir: string): Promise<void> => {
    await own(dir);
    for (const entry of await readdir(dir, { withFileTypes: true })) if (entry.isDirectory()) await walk(join(dir, entry.name));
  };
  await own(dirname(folder));
  await walk(folder);
}

/**
 * Where root stages a restore for a user: `.cofre-staging` at the top of the destination's volume,
 * when that top folder is root's and not writable by others, so no user can rename or replace the
 * staging folder while restic writes into it. null (stage beside the destination as before) when
 * the volume's top belongs to someone else, e.g. a home on its own disk.
 */
export async function privateStagingParent(base: string): Promise<string | null> {
  const dev = (await stat(base)).dev;
  let top = base;
  for (let parent = dirname(top); parent !== top; parent = dirname(top)) {
    if ((await stat(parent)).dev !== dev) break;
    top = parent;
  }
  const topInfo = await lstat(top);
  if (topInfo.uid !== 0 || (topInfo.mode & 0o022) !== 0) return null;
  const folder = join(top, '.cofre-staging');
  await mkdir(folder, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(folder);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o077) !== 0) return null;
  return folder;
}
