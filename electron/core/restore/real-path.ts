// Where a path really leads. Scope is about where bytes land, not how the path is spelled: a
// `~/link2` that points outside the user's folders, or a parent folder someone replaced by a
// symlink, must be judged by its target. Placing then re-checks each component without following
// links, since a folder can be swapped for a link while the restore runs.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { CofreError } from '../errors.js';
import { fromLocalPath, toLocalPath } from './snapshot-path.js';
import type { RestoreScope } from './scope.js';

/**
 * The real path of `p`: realpath of its nearest existing ancestor joined with the components
 * that do not exist yet. A file in the way (ENOTDIR) stops the walk: the planner reports it.
 */
export async function resolveReal(p: string, paths: path.PlatformPath = path): Promise<string> {
  const rest: string[] = [];
  for (let dir = paths.resolve(p); ; dir = paths.dirname(dir)) {
    try {
      const real = await realpath(dir);
      return rest.length === 0 ? real : paths.join(real, ...rest.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling link is followed by the kernel on write: its target decides, so refuse to guess.
      if (code === 'ENOENT' && (await isLink(dir))) throw new CofreError('restore.error.linkInWay', { params: { path: dir } });
      // A folder this user may not even look into cannot receive the restore either.
      if (code === 'EACCES' || code === 'EPERM') throw new CofreError('restore.error.stagingFailed', { params: { path: dir }, detail: (error as Error).message });
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      if (paths.dirname(dir) === dir) return paths.join(dir, ...rest.reverse());
      rest.push(paths.basename(dir));
    }
  }
}

async function isLink(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The scope with its roots (and home) resolved the same way, so a home folder that is itself a
 * link (`/home/ana` -> `/dados/ana`) still contains what is written through it.
 */
export async function realScope(scope: RestoreScope, platform: NodeJS.Platform): Promise<RestoreScope> {
  if (scope.technician) return scope;
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const resolve = async (root: string) => fromLocalPath(await resolveReal(toLocalPath(root, platform), paths).catch(() => toLocalPath(root, platform)), platform);
  const roots = await Promise.all(scope.roots.map(resolve));
  const home = scope.home === undefined ? undefined : await resolve(scope.home);
  return { ...scope, roots: [...new Set(roots)], ...(home === undefined ? {} : { home }) };
}

/**
 * Throws when a component between `root` (included) and `target`'s parent is a symlink or not a
 * folder: a rename or mkdir there would follow it. Components that do not exist yet are fine.
 */
export async function assertNoLinkOnTheWay(root: string, target: string, paths: path.PlatformPath = path): Promise<void> {
  const rel = paths.relative(root, paths.dirname(target));
  if (rel.startsWith('..') || paths.isAbsolute(rel)) throw new CofreError('restore.error.linkInWay', { params: { path: target } });
  let current = root;
  for (const part of ['', ...rel.split(paths.sep).filter((s) => s !== '')]) {
    if (part !== '') current = paths.join(current, part);
    let info;
    try {
      info = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (info.isSymbolicLink()) throw new CofreError('restore.error.linkInWay', { params: { path: current } });
    if (!info.isDirectory()) throw new CofreError('restore.error.fileInWay', { params: { path: current } });
  }
}
