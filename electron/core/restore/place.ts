// Moves what restic restored into staging to its destination without ever overwriting silently.
// Two phases: first a plan is made (reading only), then it is carried out with renames on one
// volume while every step is journaled; any failure or cancel undoes the journal in reverse, so the
// destination ends exactly as it was.
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rename, rmdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { CofreError } from '../errors.js';
import { keepBothName } from './conflict-names.js';
import { PlacementJournal, type JournalHeader, type JournalIntent } from './placement-journal.js';
import { assertNoLinkOnTheWay } from './real-path.js';

export type ConflictPolicy = 'keep-both' | 'replace' | 'skip';

export interface PlaceItem {
  /** Where restic put the item inside staging. */
  staged: string;
  /** Where it belongs. */
  dest: string;
  /** The snapshot path, for reports. */
  snapshotPath: string;
}

export interface RestoreReport {
  /** Files now at their place that were not there before. */
  restored: number;
  /** Files already identical at the destination, left alone. */
  unchanged: number;
  /** Restored files written beside a different current file. */
  keptBoth: number;
  skipped: number;
  /** Current files moved into `replacedFolder` and replaced by the restored ones. */
  replaced: number;
  failed: Array<{ path: string; reason: 'not-restored' | 'destination-blocked' }>;
  /** Where each kept-both item went. */
  renamed: Array<{ path: string; restoredAs: string }>;
  replacedFolder?: string;
}

/**
 * File-system changes the executor and its undo make: the service makes them as the requesting
 * user (service/user-fs.ts); tests inject failures through them.
 */
export interface PlaceFs {
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  /**
   * Whether two files (or links) hold the same thing, read by whoever makes the changes: the
   * service's user cannot learn through a swapped link whether a file they may not read matches.
   */
  sameContent?(staged: string, current: string): Promise<boolean>;
}

export const realFs: PlaceFs = {
  rename: (from, to) => rename(from, to),
  mkdir: async (path) => {
    await mkdir(path);
  },
  rmdir: (path) => rmdir(path),
};

export interface PlaceOptions {
  items: PlaceItem[];
  conflict: ConflictPolicy;
  snapshotTime: Date;
  /** Folder that will receive replaced files (created only if something is replaced). */
  replacedFolder: string;
  /** Replaced files keep their path relative to this folder inside `replacedFolder`. */
  replacedBase: string;
  signal?: AbortSignal;
  onFile?: (filesDone: number) => void;
  fs?: PlaceFs;
  /**
   * The destination folder (real path): every component from it down to a target is checked
   * with lstat before each mkdir and move, and a symlink there aborts and undoes the placement.
   */
  root?: string;
  /** Where to keep the on-disk journal, and what its header says about this restore. */
  journal?: { dir: string; header: Pick<JournalHeader, 'staging'> & Partial<Pick<JournalHeader, 'repoId' | 'snapshotId' | 'owner'>> };
}

type Step =
  | { kind: 'mkdir'; path: string }
  | { kind: 'move'; from: string; to: string; files: number }
  | { kind: 'replace'; current: string; keep: string; from: string; to: string; files: number };

type Undo = { kind: 'rename'; from: string; to: string } | { kind: 'rmdir'; path: string };

async function lstatOrNull(path: string): Promise<Awaited<ReturnType<typeof lstat>> | null | 'blocked'> {
  try {
    return await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return 'blocked';
    throw error;
  }
}

async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function countFiles(path: string): Promise<number> {
  const info = await lstat(path);
  if (!info.isDirectory()) return 1;
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    total += entry.isDirectory() ? await countFiles(join(path, entry.name)) : 1;
  }
  return total;
}

async function sameContent(staged: string, current: string): Promise<boolean> {
  const [a, b] = await Promise.all([lstat(staged), lstat(current)]);
  if (a.isSymbolicLink() && b.isSymbolicLink()) return (await readlink(staged)) === (await readlink(current));
  if (!a.isFile() || !b.isFile() || a.size !== b.size) return false;
  const [ha, hb] = await Promise.all([fileHash(staged), fileHash(current)]);
  return ha === hb;
}

export async function placeRestored(options: PlaceOptions): Promise<RestoreReport> {
  const fs = options.fs ?? realFs;
  const same = (staged: string, current: string) => (fs.sameContent ? fs.sameContent(staged, current) : sameContent(staged, current));
  const report: RestoreReport = { restored: 0, unchanged: 0, keptBoth: 0, skipped: 0, replaced: 0, failed: [], renamed: [] };
  const steps: Step[] = [];
  const claimed = new Set<string>();
  const plannedDirs = new Set<string>();

  const free = async (path: string) => !claimed.has(path) && (await lstatOrNull(path)) === null;

  /** A free name beside `dest`, or null when an earlier restore already left this very file there. */
  const besideName = async (staged: string, dest: string, isDir: boolean): Promise<string | null> => {
    for (let attempt = 1; ; attempt++) {
      const candidate = join(dirname(dest), keepBothName(dest.slice(dirname(dest).length + 1), options.snapshotTime, attempt, isDir));
      if (await free(candidate)) return candidate;
      if (!isDir && !claimed.has(candidate) && (await same(staged, candidate))) return null;
    }
  };

  const ensureParent = async (dest: string): Promise<boolean> => {
    const missing: string[] = [];
    for (let dir = dirname(dest); ; dir = dirname(dir)) {
      if (plannedDirs.has(dir)) break;
      const info = await lstatOrNull(dir);
      if (info === null) {
        missing.push(dir);
      } else if (info === 'blocked' || !info.isDirectory()) {
        return false;
      } else {
        break;
      }
      if (dirname(dir) === dir) break;
    }
    for (const dir of missing.reverse()) {
      plannedDirs.add(dir);
      steps.push({ kind: 'mkdir', path: dir });
    }
    return true;
  };

  const planItem = async (staged: string, dest: string, top: boolean): Promise<void> => {
    const stagedInfo = await lstatOrNull(staged);
    if (stagedInfo === null || stagedInfo === 'blocked') {
      report.failed.push({ path: dest, reason: 'not-restored' });
      return;
    }
    const isDir = stagedInfo.isDirectory();
    const current = await lstatOrNull(dest);
    if (current === 'blocked' || (top && current === null && !(await ensureParent(dest)))) {
      report.failed.push({ path: dest, reason: 'destination-blocked' });
      return;
    }
    if (current === null) {
      const files = isDir ? await countFiles(staged) : 1;
      steps.push({ kind: 'move', from: staged, to: dest, files });
      claimed.add(dest);
      report.restored += files;
      return;
    }
    if (isDir && current.isDirectory()) {
      for (const name of await readdir(staged)) await planItem(join(staged, name), join(dest, name), false);
      return;
    }
    if (!isDir && (await same(staged, dest))) {
      report.unchanged += 1;
      return;
    }
    const files = isDir ? await countFiles(staged) : 1;
    if (options.conflict === 'skip') {
      report.skipped += files;
    } else if (options.conflict === 'keep-both') {
      const beside = await besideName(staged, dest, isDir);
      if (beside === null) {
        report.unchanged += 1;
        return;
      }
      steps.push({ kind: 'move', from: staged, to: beside, files });
      claimed.add(beside);
      report.keptBoth += files;
      report.renamed.push({ path: dest, restoredAs: beside });
    } else {
      const rel = relative(options.replacedBase, dest);
      const keep = join(options.replacedFolder, rel.startsWith('..') || rel === '' ? dest.slice(dirname(dest).length + 1) : rel);
      steps.push({ kind: 'replace', current: dest, keep, from: staged, to: dest, files });
      report.replaced += files;
      report.replacedFolder = options.replacedFolder;
    }
  };

  for (const item of options.items) await planItem(item.staged, item.dest, true);

  // Carry out the plan; from here on every change is journaled (in memory, and on disk before it
  // happens) so it can be undone, here on failure or by the next start after a kill.
  const journal: Undo[] = [];
  let onDisk: PlacementJournal | undefined;
  try {
    onDisk = options.journal && steps.length > 0
      ? await PlacementJournal.open(options.journal.dir, { ...options.journal.header, base: options.root ?? options.replacedBase, replacedFolder: options.replacedFolder })
      : undefined;
  } catch (error) {
    // Without a durable journal a kill could not be undone: nothing is moved.
    throw new CofreError('restore.error.placeFailed', { params: { path: options.items[0]?.dest ?? '' }, detail: `journal: ${(error as Error).message}` });
  }
  const root = options.root;
  const guard = async (target: string) => {
    if (root !== undefined) await assertNoLinkOnTheWay(root, target);
  };
  const createdDirs = new Set<string>();
  const mkdirs = async (dir: string) => {
    const chain: string[] = [];
    for (let d = dir; !createdDirs.has(d) && (await lstatOrNull(d)) === null; d = dirname(d)) chain.push(d);
    for (const d of chain.reverse()) {
      await guard(d);
      await fs.mkdir(d);
      createdDirs.add(d);
      journal.push({ kind: 'rmdir', path: d });
    }
  };
  const moveNoClobber = async (from: string, to: string) => {
    await guard(to);
    // rename() replaces an existing target on POSIX: check right before, the plan may be stale.
    if ((await lstatOrNull(to)) !== null) throw new Error(`destination appeared meanwhile: ${to}`);
    await fs.rename(from, to);
    journal.push({ kind: 'rename', from: to, to: from });
  };

  let filesDone = 0;
  let current = '';
  try {
    for (let first = 0; first < steps.length; first += JOURNAL_BATCH) {
      const batch = steps.slice(first, first + JOURNAL_BATCH);
      await onDisk?.append(batch.flatMap(intentsOf));
      for (const step of batch) {
        options.signal?.throwIfAborted();
        if (step.kind === 'mkdir') {
          current = step.path;
          await mkdirs(step.path);
          continue;
        }
        current = step.to;
        if (step.kind === 'replace') {
          await guard(step.current);
          await mkdirs(dirname(step.keep));
          await moveNoClobber(step.current, step.keep);
        }
        await moveNoClobber(step.from, step.to);
        filesDone += step.files;
        options.onFile?.(filesDone);
      }
    }
  } catch (error) {
    const leftovers = await undo(journal, { root, replacedFolder: options.replacedFolder, fs });
    await onDisk?.remove();
    if (options.signal?.aborted && leftovers.folders.length === 0) throw CofreError.fromCause('cancelled');
    throw placementError(error, current, leftovers);
  }
  await onDisk?.remove();
  return report;
}

/** Intents are fsync'd in batches: one fsync per this many steps, each before the steps it covers. */
const JOURNAL_BATCH = 256;

function intentsOf(step: Step): JournalIntent[] {
  if (step.kind === 'mkdir') return [{ kind: 'mkdir', path: step.path }];
  if (step.kind === 'move') return [{ kind: 'move', from: step.from, to: step.to }];
  return [{ kind: 'move', from: step.current, to: step.keep }, { kind: 'move', from: step.from, to: step.to }];
}

/** What the user is told: the cause when it is known, and never "nothing changed" while copies remain. */
function placementError(error: unknown, current: string, leftovers: Leftovers): CofreError {
  const detail = [(error as Error).message, ...leftovers.problems].join('\n');
  if (leftovers.folders.length > 0) {
    return new CofreError('restore.error.undoIncomplete', { params: { path: current, folders: leftovers.folders.join(', ') }, detail });
  }
  if (error instanceof CofreError && error.code === 'restore.error.linkInWay') {
    return new CofreError('restore.error.linkSwapped', { params: error.params, detail });
  }
  if (error instanceof CofreError && error.code === 'restore.error.fileInWay') return error;
  if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
    return new CofreError('restore.error.localDiskFull', { params: { path: dirname(current) }, cause: 'local-disk-full', detail });
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new CofreError('restore.error.placeNotPermitted', { params: { path: dirname(current) }, detail });
  }
  return new CofreError('restore.error.placeFailed', { params: { path: current }, detail });
}

interface Leftovers {
  problems: string[];
  /** Folders still holding files this placement moved (a replaced original, a restored copy). */
  folders: string[];
}

async function undo(journal: Undo[], where: { root?: string; replacedFolder: string; fs: PlaceFs }): Promise<Leftovers> {
  const problems: string[] = [];
  const folders = new Set<string>();
  for (const step of journal.reverse()) {
    try {
      if (step.kind === 'rename') {
        // Undo never follows a link either: a folder swapped for one stays as the other program left it.
        if (where.root !== undefined) {
          await assertNoLinkOnTheWay(where.root, step.from);
          await assertNoLinkOnTheWay(where.root, step.to);
        }
        await where.fs.rename(step.from, step.to);
      } else {
        await where.fs.rmdir(step.path);
      }
    } catch (error) {
      problems.push(`undo failed: ${(error as Error).message}`);
      if (step.kind === 'rename') folders.add(isWithin(step.from, where.replacedFolder) ? where.replacedFolder : dirname(step.from));
    }
  }
  return { problems, folders: [...folders] };
}

function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
