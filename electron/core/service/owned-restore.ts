// Restores for a user of the service (which runs as root) must land as that user's files: never
// a root-owned file in someone's home, never a file where that user could not write themselves.
// restic (as root) fills a staging folder only the service controls; here its files are given to
// the user; then the moves into place are made as the user (user-fs.ts), so renames keep owners
// and the kernel refuses any move the user could not make themselves.
import { chmod, lchown, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SessionOwner } from '../agent/sessions.js';
import { CofreError } from '../errors.js';
import type { PlaceFs } from '../restore/place.js';

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

/** Entries of one folder handled at once: enough to overlap the system calls, few enough for any disk. */
const PARALLEL = 32;

async function inBatches<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  for (let first = 0; first < items.length; first += PARALLEL) await Promise.all(items.slice(first, first + PARALLEL).map(each));
}

/**
 * Gives everything restic wrote into staging to `owner`, in one walk that also refuses a file the
 * user could not read on the disk: restic, run as root, restores owners and modes as they were
 * backed up, and a plan backing up /etc holds /etc/shadow, which must not become readable through
 * a restore. Refusing mid-walk changes nothing outside staging (which is then removed).
 * Links are given themselves, never their targets. Bottom-up, and the staging folder itself last:
 * until then the user cannot enter it, so nothing can be swapped for a link under a walk run as root.
 */
export async function giveStagingToOwner(dir: string, owner: Pick<SessionOwner, 'uid' | 'gid'>, top = dir): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  const folders: string[] = [];
  // Files of a folder in parallel, sub-folders one after another: the work in flight stays bounded.
  await inBatches(entries, async (entry) => {
    const full = join(dir, entry.name);
    const info = await lstat(full);
    if (!info.isSymbolicLink() && !readableBy(info, owner)) {
      throw new CofreError('service.restore.notReadable', { params: { path: full.slice(top.length) || '/' } });
    }
    if (info.isDirectory()) folders.push(full);
    else await lchown(full, owner.uid, owner.gid);
  });
  for (const folder of folders) await giveStagingToOwner(folder, owner, top);
  await lchown(dir, owner.uid, owner.gid);
}

/**
 * Refuses a destination whose nearest existing folder `owner` could not write (stat follows
 * links: a link in the home pointing at /etc is judged as /etc), so the user hears why before
 * anything moves; then creates the missing folders as the user (`fs`), so they are theirs.
 */
export async function prepareOwnedDestinations(destinations: readonly string[], owner: SessionOwner, fs: PlaceFs): Promise<void> {
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
    for (const path of missing) await fs.mkdir(path);
  }
}

export function giveToOwner(owner: SessionOwner, fs: PlaceFs): (prepared: { staging: string; destinations: string[] }) => Promise<void> {
  return async ({ staging, destinations }) => {
    await giveStagingToOwner(staging, owner);
    await prepareOwnedDestinations(destinations, owner, fs);
  };
}

/**
 * Where root stages a restore for a user: `.cofre-staging` at the top of the destination's volume,
 * when that top folder is root's and not writable by others, so no user can rename or replace the
 * staging folder while restic writes into it. It is 0711: users may pass through to the one
 * staging folder given to them (random name, their own, 0700) but not list or change it. null when
 * the volume's top belongs to someone else (a disk a user mounted): see `ownedStagingParent`.
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
  await mkdir(folder, { mode: 0o711 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(folder);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o066) !== 0) return null;
  // Made 0700 by an older Cofre, or by the service's umask: the user must be able to pass through.
  if ((info.mode & 0o777) !== 0o711) await chmod(folder, 0o711);
  return folder;
}

/**
 * The service never stages a user's restore where that user could swap the folder for a link
 * while root writes into it: without a private folder on that volume the restore is refused.
 */
export async function ownedStagingParent(base: string): Promise<string> {
  const folder = await privateStagingParent(base);
  if (folder === null) throw new CofreError('service.restore.noPrivateStaging', { params: { path: base } });
  return folder;
}
