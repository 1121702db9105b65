// Snapshot paths are absolute POSIX strings as the engine streams them (`/home/ana/x`, Windows
// drives as `/C/Users/ana/x`). Every path that comes from a request goes through
// `parseSnapshotPath` first, so the index and the restore never see `..`, NUL or relative forms.
import { CofreError } from '../errors.js';

/** Validates and normalises a snapshot path from a request. Throws `error.invalidInput`. */
export function parseSnapshotPath(input: unknown): string {
  if (typeof input !== 'string' || input.length === 0 || input.length > 32_768) throw invalidPath(String(input).slice(0, 80));
  if (input.includes('\0')) throw invalidPath('NUL');
  if (!input.startsWith('/')) throw invalidPath(input);
  if (input === '/') return '/';
  const trimmed = input.endsWith('/') ? input.slice(0, -1) : input;
  const segments = trimmed.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') throw invalidPath(input);
  }
  return trimmed;
}

function invalidPath(what: string): CofreError {
  return new CofreError('restore.error.invalidPath', { params: { path: what }, cause: 'invalid-input' });
}

/** True when `path` is `root` or lies below it, comparing whole segments (`/home/ana` is not under `/home/an`). */
export function isWithin(path: string, root: string): boolean {
  if (root === '/') return true;
  return path === root || path.startsWith(`${root}/`);
}

export function parentPath(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinSnapshotPath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}

/** Segments of a snapshot path below `/` (empty for the root). */
export function segmentsOf(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

const drivePath = /^\/([A-Za-z])(\/.*)?$/;

/** Where a snapshot path lives on this machine: `/C/Users/ana` -> `C:\Users\ana` on Windows. */
export function toLocalPath(snapshotPath: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return snapshotPath;
  const drive = drivePath.exec(snapshotPath);
  if (!drive) return snapshotPath.replaceAll('/', '\\');
  return `${drive[1]!.toUpperCase()}:${(drive[2] ?? '\\').replaceAll('/', '\\')}`;
}

/** The snapshot form of a local absolute path (`C:\Users\ana` -> `/C/Users/ana`); used for scope roots. */
export function fromLocalPath(localPath: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return localPath.length > 1 && localPath.endsWith('/') ? localPath.slice(0, -1) : localPath;
  const drive = /^([A-Za-z]):[\\/]?(.*)$/.exec(localPath);
  if (!drive) return localPath.replaceAll('\\', '/');
  const rest = (drive[2] ?? '').replaceAll('\\', '/').replace(/\/$/, '');
  return rest ? `/${drive[1]!.toUpperCase()}/${rest}` : `/${drive[1]!.toUpperCase()}`;
}

/**
 * Folds a name for searching: decomposes accents, drops the combining marks, lower-cases.
 * "Relatório" and "RELATORIO" both become "relatorio".
 */
export function foldName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}
