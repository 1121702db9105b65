// Who may see what. End users see only this machine's snapshots and only paths below their home
// folder or the roots policy declares; a technician session sees everything. Every query and
// restore goes through these checks (the index takes a scope on each call, there is no unscoped API).
import { CofreError } from '../errors.js';
import { isWithin, joinSnapshotPath, segmentsOf } from './snapshot-path.js';

export interface RestoreScope {
  technician: boolean;
  /** This machine's hostname, as restic records it. */
  hostname: string;
  /** Snapshot-form absolute paths (`/home/ana`, `/C/Users/ana`) the user may browse and restore. */
  roots: string[];
}

export function forbidden(): CofreError {
  return new CofreError('error.forbidden', { cause: 'invalid-input' });
}

export function hostVisible(scope: RestoreScope, hostname: string): boolean {
  return scope.technician || hostname.toLowerCase() === scope.hostname.toLowerCase();
}

export function assertHostVisible(scope: RestoreScope, hostname: string): void {
  if (!hostVisible(scope, hostname)) throw forbidden();
}

/** Roots that limit queries, or null when everything is visible. */
export function effectiveRoots(scope: RestoreScope): string[] | null {
  if (scope.technician) return null;
  if (scope.roots.includes('/')) return null;
  return scope.roots;
}

export function pathInScope(scope: RestoreScope, path: string): boolean {
  const roots = effectiveRoots(scope);
  return roots === null || roots.some((root) => isWithin(path, root));
}

export function assertPathInScope(scope: RestoreScope, path: string): void {
  if (!pathInScope(scope, path)) throw forbidden();
}

/**
 * How a folder may be browsed: 'all' inside a root; 'lead' for an ancestor of a root (only the
 * children leading to a root are shown, so a user can walk from `/` to their home); 'none' otherwise.
 */
export function folderAccess(scope: RestoreScope, folder: string): 'all' | 'lead' | 'none' {
  if (pathInScope(scope, folder)) return 'all';
  const roots = effectiveRoots(scope) ?? [];
  return roots.some((root) => isWithin(root, folder)) ? 'lead' : 'none';
}

/** For a 'lead' folder: the child names that are a root or lead to one. */
export function leadingChildNames(scope: RestoreScope, folder: string): Set<string> {
  const depth = segmentsOf(folder).length;
  const names = new Set<string>();
  for (const root of effectiveRoots(scope) ?? []) {
    if (root !== folder && isWithin(root, folder)) {
      const next = segmentsOf(root)[depth];
      if (next !== undefined) names.add(next);
    }
  }
  return names;
}

export function childInScope(scope: RestoreScope, folder: string, name: string): boolean {
  const access = folderAccess(scope, folder);
  if (access === 'all') return true;
  if (access === 'none') return false;
  return pathInScope(scope, joinSnapshotPath(folder, name)) || leadingChildNames(scope, folder).has(name);
}
