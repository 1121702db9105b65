// Opening the app data dir so that it heals instead of bricking the agent (issue 15):
// - a damaged history.sqlite is moved aside (kept, named with the time) and a fresh one started;
//   the caller tells the user and the log says why;
// - a data dir Cofre cannot write gets one clear message naming the folder;
// - a data dir that existed before (0755, files 0644) is made private, but only when it is
//   recognisably Cofre's own folder: never the home folder, a shared/sticky folder like /tmp, or a
//   folder of another user.
import Database from 'better-sqlite3';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { CofreError } from '../errors.js';

export const historyFileName = 'history.sqlite';

/** Files and folders Cofre itself keeps in its data dir; only these are tightened. */
const ownEntries = new Set([
  historyFileName, `${historyFileName}-wal`, `${historyFileName}-shm`, 'secrets.json', 'secrets.encrypted.json', 'preferences.json',
  'technician-attempts.json', 'config.json', 'logs', 'locks', 'backups', 'cache',
]);
const ownPrefixes = [`${historyFileName}.damaged-`, 'secrets.json.', 'preferences.json.', 'config.json.', 'import-undo', '.tmp-'];

export interface HealedHistory {
  /** Where the damaged file now is. */
  movedTo: string;
  /** SQLite's reason, for the log. */
  reason: string;
}

export interface DataDirReport {
  healed: HealedHistory | null;
  /** The data dir was tightened to 0700 (it was more open before). */
  madePrivate: boolean;
}

const readOnlyCodes = new Set(['EACCES', 'EPERM', 'EROFS', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_PERM']);
const damagedCodes = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

function codeOf(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

function readOnly(folder: string, error: unknown): CofreError {
  return new CofreError('history.error.dataDirReadOnly', { params: { folder }, detail: `${codeOf(error) || 'error'}: ${error instanceof Error ? error.message : String(error)}` });
}

/** Creates the data dir (0700) or checks an existing one can be written; tightens it when it is Cofre's. */
export function prepareDataDir(dataDir: string): { madePrivate: boolean } {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw readOnly(dataDir, error);
  }
  return { madePrivate: makePrivate(dataDir) };
}

/**
 * Whether `dir` is a folder Cofre may tighten: owned by this user, not a system/shared/home
 * folder, and holding nothing but Cofre's own files.
 */
export function isOwnDataDir(dir: string): boolean {
  if (process.platform === 'win32') return false; // ACLs, not modes; the installer sets them
  const path = resolve(dir);
  const forbidden = new Set([parse(path).root, resolve(homedir()), resolve(tmpdir()), '/tmp', '/var/tmp', '/home', '/Users', '/etc', '/root']);
  if (forbidden.has(path)) return false;
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return false;
  }
  if (!stat.isDirectory() || stat.uid !== process.getuid?.()) return false;
  if ((stat.mode & 0o1000) !== 0) return false; // sticky: a shared folder
  try {
    return readdirSync(path).every((name) => ownEntries.has(name) || ownPrefixes.some((prefix) => name.startsWith(prefix)));
  } catch {
    return false;
  }
}

function makePrivate(dataDir: string): boolean {
  if (!isOwnDataDir(dataDir)) return false;
  let changed = false;
  const tighten = (path: string, mode: number) => {
    try {
      const current = statSync(path).mode & 0o777;
      if ((current & ~mode) !== 0) {
        chmodSync(path, current & mode);
        changed = true;
      }
    } catch {
      // vanished or not ours to change: leave it
    }
  };
  tighten(dataDir, 0o700);
  for (const name of readdirSync(dataDir)) {
    const path = join(dataDir, name);
    const isDir = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
    tighten(path, isDir ? 0o700 : 0o600);
    if (isDir && (name === 'logs' || name === 'locks')) {
      for (const inner of readdirSync(path)) tighten(join(path, inner), 0o600);
    }
  }
  return changed;
}

/**
 * Checks history.sqlite before the store opens it. A file SQLite cannot read as a database (or
 * whose quick check fails) is moved aside with its -wal/-shm companions so a fresh history can
 * start; a file the process may not write gives the read-only message naming the folder.
 */
export function checkHistoryFile(file: string, now: Date = new Date()): HealedHistory | null {
  if (!existsSync(file)) return null;
  let reason: string | null = null;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') reason = `quick_check: ${String(result)}`;
  } catch (error) {
    const code = codeOf(error);
    if (damagedCodes.has(code) || code.startsWith('SQLITE_CORRUPT')) reason = `${code}: ${error instanceof Error ? error.message : String(error)}`;
    else if (readOnlyCodes.has(code) || code.startsWith('SQLITE_READONLY')) throw readOnly(dirname(file), error);
    else throw error;
  } finally {
    try {
      db?.close();
    } catch {
      // a handle on a damaged file may refuse to close cleanly; it is moved aside anyway
    }
  }
  if (reason === null) return null;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const movedTo = join(dirname(file), `${basename(file)}.damaged-${stamp}`);
  try {
    renameSync(file, movedTo);
    for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
  } catch (error) {
    throw readOnly(dirname(file), error);
  }
  return { movedTo, reason };
}
