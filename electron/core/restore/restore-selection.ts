// Safe restore of a selection from one snapshot. restic writes only into a staging folder on the
// destination's volume; files move into place (renames, see place.ts) only after restic succeeded.
// Cancel or failure removes the staging folder and leaves the destination as it was.
//
// Staging: `<nearest existing common folder of the destinations>/.cofre-staging-<random>`.
// Replaced files (conflict 'replace'): `<that same folder>/<"Files replaced by Cofre">/<YYYY-MM-DD HH.mm.ss>/<path below it>`.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { CofreError } from '../errors.js';
import { isProcessAlive } from '../process-alive.js';
import { formatBytes, t } from '../i18n/index.js';
import { replacedStamp } from './conflict-names.js';
import { placeRestored, type ConflictPolicy, type PlaceFs, type RestoreReport } from './place.js';
import type { JournalHeader } from './placement-journal.js';

export type { ConflictPolicy, RestoreReport };
import { forbidden, pathInScope, type RestoreScope } from './scope.js';
import { realScope, resolveReal } from './real-path.js';
import { restoreDiskCause } from '../restic/classify.js';
import type { SnapshotIndex } from './snapshot-index.js';
import { baseName, fromLocalPath, isWithin, parseSnapshotPath, segmentsOf, toLocalPath } from './snapshot-path.js';
import type { SnapshotRestorer } from './types.js';

export type RestoreDestination = { kind: 'original' } | { kind: 'folder'; path: string };

export interface RestoreSelectionRequest {
  snapshotId: string;
  /** Snapshot paths (files and folders). */
  paths: string[];
  destination: RestoreDestination;
  conflict?: ConflictPolicy;
}

export interface RestoreSelectionProgress {
  phase: 'restoring' | 'placing';
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export interface RestoreSelectionReport extends RestoreReport {
  /** The folder the restore wrote into (nearest existing common folder of the destinations), for "open folder". */
  destination: string;
}

export interface RestoreSelectionDeps {
  index: SnapshotIndex;
  source: SnapshotRestorer;
  platform?: NodeJS.Platform;
  /** Free bytes available to this user on the volume holding `dir` (injectable for tests). */
  freeSpace?: (dir: string) => Promise<number>;
  now?: () => Date;
  /**
   * Where the placement journal goes (the data dir's `restore-journals`), so a restore killed
   * while moving files is undone on the next start. Without it the journal stays in memory.
   */
  journal?: { dir: string; repoId?: string };
}

export interface RestoreSelectionOptions {
  scope: RestoreScope;
  /** Policy: may this user choose 'replace'? */
  allowReplace: boolean;
  /** Policy: may an end user restore into a folder outside their roots? */
  allowOutsideRoots?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: RestoreSelectionProgress) => void;
  /**
   * Service mode (issue 13): runs once restic has filled staging and before anything is placed,
   * so the files can be given to the requesting OS user (renames keep the owner) and a destination
   * that user could not write refused. Throwing here leaves the destination untouched.
   */
  beforePlace?: (prepared: { staging: string; destinations: string[] }) => Promise<void>;
  /**
   * Service mode: a folder on the destination's volume that only the service controls, instead of
   * `base` (a user could swap a staging folder inside their own home for a link while root writes).
   */
  stagingParent?: (base: string) => Promise<string | null>;
  /**
   * Service mode: the moves (and their undo) are made as the requesting OS user, whose name the
   * placement journal keeps so a rollback after a kill is made as them too.
   */
  placeAs?: { fs: PlaceFs; owner: NonNullable<JournalHeader['owner']> };
}

const STAGING_PREFIX = '.cofre-staging-';
/** Head-room kept free on the destination volume beyond the restored bytes. */
const SPACE_MARGIN = 16 * 1024 * 1024;
const POLL_MS = 1_000;

/** Grace before a staging folder of a dead process is removed (guards against pid reuse races). */
const ABANDONED_STAGING_MS = 3_600_000;

/**
 * Removes staging folders a killed restore left behind: named after a process that is gone, and
 * untouched for an hour. They hold only copies restored from the snapshot (a restore moves the
 * user's own files only after restic finished, into place or into the replaced-files folder), so
 * nothing of the user's is lost. Best effort: errors are ignored.
 */
export async function sweepAbandonedStaging(dir: string, paths: path.PlatformPath, now: Date): Promise<string[]> {
  const removed: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(STAGING_PREFIX)) continue;
    const owner = Number(/^(\d+)-/.exec(entry.name.slice(STAGING_PREFIX.length))?.[1]);
    if (isProcessAlive(owner)) continue;
    const full = paths.join(dir, entry.name);
    try {
      if (now.getTime() - (await stat(full)).mtimeMs < ABANDONED_STAGING_MS) continue;
      await rm(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      // still in use or not ours to remove: leave it
    }
  }
  return removed;
}

async function defaultFreeSpace(dir: string): Promise<number> {
  const info = await statfs(dir);
  return Number(info.bavail) * Number(info.bsize);
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function nearestExisting(p: string, paths: path.PlatformPath): Promise<string> {
  for (let dir = p; ; dir = paths.dirname(dir)) {
    if (await exists(dir)) return dir;
    if (paths.dirname(dir) === dir) return dir;
  }
}

function commonFolder(folders: string[], paths: path.PlatformPath): string {
  let common = folders[0]!;
  for (const folder of folders.slice(1)) {
    while (common !== folder && !folder.startsWith(common.endsWith(paths.sep) ? common : common + paths.sep)) {
      const up = paths.dirname(common);
      if (up === common) break;
      common = up;
    }
  }
  return common;
}

async function bytesIn(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await bytesIn(full);
    else if (entry.isFile()) total += (await lstat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

function localDiskFull(base: string, detail: string): CofreError {
  return new CofreError('restore.error.localDiskFull', { params: { path: base }, cause: 'local-disk-full', detail });
}

function isLocalDiskFull(error: unknown): boolean {
  if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return true;
  const text = error instanceof CofreError ? `${error.detail ?? ''}\n${error.message}` : String((error as Error)?.message ?? '');
  const failure = error instanceof CofreError ? error.failure : undefined;
  return restoreDiskCause(failure, text) === 'local-disk-full';
}

function parseDestinationFolder(input: unknown, paths: path.PlatformPath): string {
  const bad = () => new CofreError('restore.error.invalidDestination', { params: { path: String(input).slice(0, 200) }, cause: 'invalid-input' });
  if (typeof input !== 'string' || input.length === 0 || input.length > 32_768 || input.includes('\0')) throw bad();
  if (!paths.isAbsolute(input)) throw bad();
  if (input.split(/[\\/]/).some((segment) => segment === '..')) throw bad();
  return paths.normalize(input);
}

/** Restores `request.paths` from one snapshot; see the module comment for the guarantees. */
export async function restoreSelection(
  deps: RestoreSelectionDeps, request: RestoreSelectionRequest, options: RestoreSelectionOptions,
): Promise<RestoreSelectionReport> {
  const platform = deps.platform ?? process.platform;
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const conflict: ConflictPolicy = request.conflict ?? 'keep-both';
  if (!['keep-both', 'replace', 'skip'].includes(conflict)) {
    throw new CofreError('error.invalidInput', { params: { details: 'conflict' }, cause: 'invalid-input' });
  }
  if (conflict === 'replace' && !options.allowReplace) throw new CofreError('restore.error.replaceNotAllowed', { cause: 'invalid-input' });
  if (!Array.isArray(request.paths) || request.paths.length === 0) throw new CofreError('restore.error.emptySelection', { cause: 'invalid-input' });

  // Normalise, then drop items already inside another selected folder.
  const unique = [...new Set(request.paths.map(parseSnapshotPath))].sort();
  const selected = unique.filter((p) => !unique.some((other) => other !== p && isWithin(p, other)));
  const { snapshot, items } = deps.index.selection(options.scope, request.snapshotId, selected);

  let folder: string | undefined;
  if (request.destination?.kind === 'folder') {
    folder = parseDestinationFolder(request.destination.path, paths);
    if (!options.allowOutsideRoots && !pathInScope(options.scope, fromLocalPath(folder, platform))) throw forbidden();
  } else if (request.destination?.kind !== 'original') {
    throw new CofreError('restore.error.invalidDestination', { params: { path: '' }, cause: 'invalid-input' });
  }
  // A folder destination keeps the structure below each selected item's parent.
  const destOf = (snapshotPath: string) =>
    folder === undefined ? toLocalPath(snapshotPath, platform) : paths.join(folder, baseName(snapshotPath));

  // Scope is judged where the bytes will land: links in the destination path are resolved first,
  // and from here on the real paths are used, so placing never goes through a link.
  const spelled = items.map((item) => destOf(item.path));
  const dests = await Promise.all(spelled.map((dest) => resolveReal(dest, paths)));
  if (!options.allowOutsideRoots) {
    const real = await realScope(options.scope, platform);
    dests.forEach((dest, i) => {
      if (!pathInScope(real, fromLocalPath(dest, platform))) {
        throw new CofreError('restore.error.linkLeadsOutside', { params: { path: spelled[i]!, real: dest } });
      }
    });
  }
  const base = await nearestExisting(commonFolder(dests.map((d) => paths.dirname(d)), paths), paths);
  // A file where a folder should be: say so, rather than "check that you can write here".
  if (!(await lstat(base)).isDirectory()) throw new CofreError('restore.error.fileInWay', { params: { path: base } });
  const baseDev = (await stat(base)).dev;
  for (const dest of dests) {
    if ((await stat(await nearestExisting(paths.dirname(dest), paths))).dev !== baseDev) {
      throw new CofreError('restore.error.crossVolume', { cause: 'invalid-input' });
    }
  }

  const bytesTotal = items.reduce((sum, item) => sum + item.bytes, 0);
  const filesTotal = items.reduce((sum, item) => sum + item.files, 0);
  const available = await (deps.freeSpace ?? defaultFreeSpace)(base);
  if (bytesTotal + SPACE_MARGIN > available) {
    throw new CofreError('restore.error.noSpace', {
      params: { path: base, needed: formatBytes(bytesTotal), available: formatBytes(available) },
      cause: 'local-disk-full',
    });
  }

  const stagingParent = (await options.stagingParent?.(base)) ?? base;
  await sweepAbandonedStaging(stagingParent, paths, (deps.now ?? (() => new Date()))());
  const staging = paths.join(stagingParent, `${STAGING_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(staging, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw localDiskFull(base, (error as Error).message);
    throw new CofreError('restore.error.stagingFailed', { params: { path: base }, detail: (error as Error).message });
  }

  const progress = (update: Omit<RestoreSelectionProgress, 'bytesTotal' | 'filesTotal'>) =>
    options.onProgress?.({ ...update, bytesTotal, filesTotal });
  try {
    // restic 0.16+ reports progress as JSON; older versions print nothing, so watch staging grow.
    let lastReport = 0;
    const poller = setInterval(() => {
      if (Date.now() - lastReport < 2 * POLL_MS) return;
      void bytesIn(staging).then((bytesDone) => progress({ phase: 'restoring', bytesDone, filesDone: 0 }));
    }, POLL_MS);
    try {
      await deps.source.restore(
        { snapshotId: snapshot.id, include: items.map((item) => item.path), target: staging },
        {
          signal: options.signal,
          onProgress: (p) => {
            lastReport = Date.now();
            progress({ phase: 'restoring', bytesDone: p.bytesRestored, filesDone: p.filesRestored });
          },
        },
      );
    } catch (error) {
      if (options.signal?.aborted) throw CofreError.fromCause('cancelled');
      // restic only reads the repository here and writes to this computer: a full disk is ours.
      if (isLocalDiskFull(error)) throw localDiskFull(base, error instanceof CofreError ? error.detail ?? error.message : (error as Error).message);
      if (error instanceof CofreError) throw error;
      throw new CofreError('restore.error.failed', { detail: (error as Error).message });
    } finally {
      clearInterval(poller);
    }
    options.signal?.throwIfAborted();
    await options.beforePlace?.({ staging, destinations: dests });

    const now = (deps.now ?? (() => new Date()))();
    const report = await placeRestored({
      items: items.map((item, i) => ({
        staged: paths.join(staging, ...segmentsOf(item.path)),
        dest: dests[i]!,
        snapshotPath: item.path,
      })),
      conflict,
      snapshotTime: new Date(snapshot.time),
      replacedFolder: paths.join(base, t('restore.replacedFolderName'), replacedStamp(now)),
      replacedBase: base,
      root: base,
      ...(deps.journal ? { journal: { dir: deps.journal.dir, header: { staging, snapshotId: snapshot.id, ...(deps.journal.repoId ? { repoId: deps.journal.repoId } : {}), ...(options.placeAs ? { owner: options.placeAs.owner } : {}) } } } : {}),
      ...(options.placeAs ? { fs: options.placeAs.fs } : {}),
      signal: options.signal,
      onFile: (filesDone) => progress({ phase: 'placing', bytesDone: bytesTotal, filesDone }),
    });
    return { ...report, destination: base };
  } catch (error) {
    // A cancel that left copies behind keeps the message that names them.
    if (options.signal?.aborted && !(error instanceof CofreError && (error.failure === 'cancelled' || error.code === 'restore.error.undoIncomplete'))) throw CofreError.fromCause('cancelled');
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true, maxRetries: 3 });
  }
}
