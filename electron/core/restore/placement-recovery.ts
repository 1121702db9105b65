// On start: a restore killed while it moved files into place (kill -9, power cut) left a mixed
// destination, some of the user's files in the replaced-files folder and restored copies in
// staging. Its journal (placement-journal.ts) says what it was about to do; each step is undone
// by looking at where the file is now (a rename either happened or not), newest first, without
// following links. The user is told what happened, and where copies remain when undo could not
// finish: never "nothing changed" while a folder still holds their files.
import { lchown, lstat, mkdir, rm, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CofreError } from '../errors.js';
import { isProcessAlive } from '../process-alive.js';
import { realFs, type PlaceFs } from './place.js';
import { openJournals, readJournals, type JournalFile, type JournalHeader } from './placement-journal.js';
import { assertNoLinkOnTheWay } from './real-path.js';

export interface PlacementRecovery {
  journal: string;
  /** The destination folder of the interrupted restore. */
  base: string;
  repoId?: string;
  snapshotId?: string;
  /** The user's own files (replaced by the restore) moved back to their place. */
  returned: number;
  /** Restored copies taken out of the destination again. */
  removed: number;
  /** Folders still holding files this restore moved, when undo could not finish. */
  leftovers: string[];
  problems: string[];
}

async function existsNoFollow(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}

/** Removes `dir` and the empty folders under it, bottom-up; stops at anything that holds a file. */
async function pruneEmpty(dir: string, fs: PlaceFs): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return !(await existsNoFollow(dir).catch(() => true));
  }
  let empty = true;
  for (const entry of entries) {
    if (!entry.isDirectory() || !(await pruneEmpty(path.join(dir, entry.name), fs))) empty = false;
  }
  if (!empty) return false;
  try {
    await fs.rmdir(dir);
    return true;
  } catch {
    return false;
  }
}

function within(p: string, folder: string): boolean {
  const rel = path.relative(folder, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The changes a rollback makes in the destination: as the user the placement ran as, when it had one. */
export type RecoveryFs = PlaceFs & { close(): Promise<void> };
export type RecoveryFsFor = (owner: NonNullable<JournalHeader['owner']>) => Promise<RecoveryFs>;

async function rollBack(journal: JournalFile, fs: PlaceFs): Promise<PlacementRecovery> {
  const { header, intents } = journal;
  const result: PlacementRecovery = {
    journal: journal.file, base: header.base, returned: 0, removed: 0, leftovers: [], problems: [],
    ...(header.repoId ? { repoId: header.repoId } : {}), ...(header.snapshotId ? { snapshotId: header.snapshotId } : {}),
  };
  const leftovers = new Set<string>();
  // Moves ran one after another in journal order, so every move before the last one that shows as
  // done (source gone, target there) was done too, even if something was written at its source since.
  const state = await Promise.all(intents.map(async (i) => (i.kind === 'move' ? { from: await existsNoFollow(i.from), to: await existsNoFollow(i.to) } : null)));
  const frontier = state.findLastIndex((s) => s !== null && !s.from && s.to);
  for (let index = intents.length - 1; index >= 0; index--) {
    const intent = intents[index]!;
    try {
      if (intent.kind === 'mkdir') {
        // Empty once what was moved into it went back; a folder someone filled meanwhile stays.
        if (await existsNoFollow(intent.path)) await fs.rmdir(intent.path).catch(() => undefined);
        continue;
      }
      if (index > frontier) continue; // never moved
      if (!(await existsNoFollow(intent.to))) throw new Error(`${intent.to} is gone`);
      if (await existsNoFollow(intent.from)) throw new Error(`${intent.from} exists again`);
      await assertNoLinkOnTheWay(header.base, intent.to);
      if (within(intent.from, header.staging)) {
        // Staging may already be gone (swept): the copy there is from the backup, recreate its folder.
        await recreateStagingFolder(header, path.dirname(intent.from), fs);
      } else {
        await assertNoLinkOnTheWay(header.base, intent.from);
      }
      await fs.rename(intent.to, intent.from);
      if (within(intent.from, header.staging)) result.removed += 1;
      else result.returned += 1;
    } catch (error) {
      result.problems.push(`${intent.kind} ${intent.kind === 'move' ? `${intent.from} -> ${intent.to}` : intent.path}: ${describe(error)}`);
      if (intent.kind === 'move') leftovers.add(within(intent.to, header.replacedFolder) ? header.replacedFolder : path.dirname(intent.to));
    }
  }
  // Staging holds only copies from the backup; the replaced-files folder goes only when empty.
  await rm(header.staging, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) => {
    result.problems.push(`staging ${header.staging}: ${describe(error)}`);
  });
  if (!(await pruneEmpty(header.replacedFolder, fs)) && (await existsNoFollow(header.replacedFolder).catch(() => false))) leftovers.add(header.replacedFolder);
  // The dated folder's parent ("Files replaced by Cofre") goes too when this restore made it and it is empty.
  const replacedParent = path.dirname(header.replacedFolder);
  if (within(replacedParent, header.base) && replacedParent !== header.base) await fs.rmdir(replacedParent).catch(() => undefined);
  // The replaced-files folder first: it holds the user's own files.
  result.leftovers = [...leftovers].sort((a, b) => Number(b === header.replacedFolder) - Number(a === header.replacedFolder));
  return result;
}

/**
 * Recreates a staging folder a sweep removed, so restored copies can go back there. Outside
 * service mode as before; for a service user, root makes only the staging folder itself (its
 * parent is the service's) and gives it to them, and the folders below are made as the user.
 */
async function recreateStagingFolder(header: JournalHeader, folder: string, fs: PlaceFs): Promise<void> {
  if (!header.owner) {
    await mkdir(folder, { recursive: true });
    return;
  }
  if (!(await existsNoFollow(header.staging))) {
    await mkdir(path.dirname(header.staging), { recursive: true, mode: 0o711 });
    await mkdir(header.staging, { mode: 0o700 });
    await lchown(header.staging, header.owner.uid, header.owner.gid);
  }
  let at = header.staging;
  for (const part of path.relative(header.staging, folder).split(path.sep).filter(Boolean)) {
    at = path.join(at, part);
    if (!(await existsNoFollow(at))) await fs.mkdir(at);
  }
}

function describe(error: unknown): string {
  return error instanceof CofreError ? `${error.code} ${JSON.stringify(error.params ?? {})}` : (error as Error).message;
}

/**
 * Rolls back every placement whose process is gone; returns what was done, one entry per
 * interrupted restore. Journals of a live process (a restore running in another Cofre) are left.
 */
export async function recoverInterruptedPlacements(dir: string, options: { isAlive?: (pid: number) => boolean; fsFor?: RecoveryFsFor } = {}): Promise<PlacementRecovery[]> {
  const alive = options.isAlive ?? ((pid: number) => pid !== process.pid && isProcessAlive(pid));
  const out: PlacementRecovery[] = [];
  for (const journal of await readJournals(dir)) {
    if ('damaged' in journal) {
      // Torn before its header was durable: no move was made under it.
      await rm(journal.file, { force: true });
      continue;
    }
    if (openJournals.has(journal.file) || alive(journal.header.pid)) continue;
    const recovery = await rollBackAs(journal, options.fsFor);
    if (!recovery) continue;
    out.push(recovery);
    // Told once, with any folder still holding copies named: a second pass would only repeat it.
    await rm(journal.file, { force: true });
  }
  return out;
}

/**
 * A placement made as a service user is undone as that user; when that cannot start now (the
 * user is gone, the service is not root) the journal waits for a later start: never as root.
 */
async function rollBackAs(journal: JournalFile, fsFor: RecoveryFsFor | undefined): Promise<PlacementRecovery | null> {
  const owner = journal.header.owner;
  if (!owner) return rollBack(journal, realFs);
  if (!fsFor) return null;
  const fs = await fsFor(owner).catch(() => null);
  if (!fs) return null;
  try {
    return await rollBack(journal, fs);
  } finally {
    await fs.close();
  }
}

/** The user-facing note for one recovery (a history row's message). */
export function recoveryMessage(recovery: PlacementRecovery): CofreError {
  if (recovery.leftovers.length > 0) {
    return new CofreError('restore.recovered.leftovers', { params: { path: recovery.base, folders: listFolders(recovery.leftovers) }, detail: recovery.problems.join('\n') || undefined });
  }
  return new CofreError('restore.recovered.rolledBack', { params: { path: recovery.base, count: recovery.returned } });
}

/** At most five folders by name (the list starts with the replaced-files folder when it is one). */
function listFolders(folders: string[]): string {
  return folders.slice(0, 5).join(', ') + (folders.length > 5 ? ', …' : '');
}
