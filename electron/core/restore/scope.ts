// Who may see what. End users see only this machine's snapshots, and in them what this machine's
// plans back up, their own home folder and the roots policy adds, never another user's profile
// folder (`/home/<x>`, `/Users/<x>`, `C:\Users\<x>`); a technician session sees everything. Every
// query and restore goes through these checks (the index takes a scope on each call, there is no
// unscoped API).
import { CofreError } from '../errors.js';
import { fromLocalPath, isWithin, joinSnapshotPath, parentPath, segmentsOf, toLocalPath } from './snapshot-path.js';

export interface RestoreScope {
  technician: boolean;
  /** This machine's hostname, as restic records it. */
  hostname: string;
  /** Snapshot-form absolute paths (`/home/ana`, `/C/Users/ana`) the user may browse and restore. */
  roots: string[];
  /**
   * The user's own home, snapshot form. When set, other users' profile folders stay hidden even
   * inside a root (a plan backing up `/home` or `C:\` shows this user only their own).
   */
  home?: string;
  /** Windows: drive letters, `Users` and profile names compare without case. */
  caseInsensitive?: boolean;
  /** This agent's instance: versions of a file come from its own snapshots (and untagged ones). */
  instance?: string;
  /** Who can help when something is out of scope (policy `branding.supportContact`). */
  supportContact?: string;
}

/** What an end user may restore: what the plans back up, or (policy) only their home. */
export type RestoreScopeMode = 'plans' | 'home';

/** The snapshot-form roots of an end user: home, the plans' folders (mode 'plans') and policy's roots. */
export function userScopeRoots(input: {
  platform: NodeJS.Platform;
  homeDir: string;
  planPaths: readonly string[];
  policyRoots: readonly string[];
  mode: RestoreScopeMode;
}): string[] {
  const local = [input.homeDir, ...(input.mode === 'plans' ? input.planPaths : []), ...input.policyRoots];
  const roots = local.map((path) => fromLocalPath(path, input.platform)).filter((path) => path.startsWith('/'));
  return [...new Set(roots)];
}

/** Shared profile folders every user may see (Windows `C:\Users\Public`, macOS `/Users/Shared`). */
const sharedProfiles = new Set(['public', 'shared']);

export function forbidden(): CofreError {
  return new CofreError('error.forbidden', { cause: 'invalid-input' });
}

/** Why a path is out of an end user's scope, and who can help. */
export function outOfScope(scope: RestoreScope, path: string): CofreError {
  const kind = otherProfile(scope, path) ? 'otherProfile' : 'outOfScope';
  const contact = scope.supportContact?.trim();
  const key = contact ? (`restore.error.${kind}.contact` as const) : (`restore.error.${kind}` as const);
  // No cause: the generic "check the values you entered" action would be wrong here, and the
  // message itself already says who can help.
  return new CofreError(key, { params: { path: toLocalPath(path), ...(contact ? { contact } : {}) } });
}

export function hostVisible(scope: RestoreScope, hostname: string): boolean {
  return scope.technician || hostname.toLowerCase() === scope.hostname.toLowerCase();
}

export function assertHostVisible(scope: RestoreScope, hostname: string): void {
  if (!hostVisible(scope, hostname)) throw forbidden();
}

/**
 * Versions of a file come from this instance's snapshots: another instance writing to the same
 * repository from this host is another history (Backrest filters by `created-by:`). Snapshots with
 * no `created-by:` tag (made before Backrest tagged them) have no other owner and stay.
 */
export function instanceVisible(scope: RestoreScope, tags: readonly string[]): boolean {
  if (scope.technician || !scope.instance) return true;
  const createdBy = tags.filter((tag) => tag.startsWith('created-by:'));
  return createdBy.length === 0 || createdBy.includes(`created-by:${scope.instance}`);
}

function within(scope: RestoreScope, path: string, root: string): boolean {
  return scope.caseInsensitive ? isWithin(path.toLowerCase(), root.toLowerCase()) : isWithin(path, root);
}

/**
 * The profile folder a path is in or is, or null: `/home/x`, `/Users/x`, `/C/Users/x`, and any
 * folder next to the user's own home (profiles kept elsewhere, e.g. `/export/home/x`, `D:\Perfis\x`).
 */
export function profileFolderOf(path: string, home?: string): string | null {
  const segments = segmentsOf(path);
  const [first, second, third] = segments;
  if (first === 'home' && second !== undefined) return `/home/${second}`;
  if (first !== undefined && first.toLowerCase() === 'users' && second !== undefined) return `/${first}/${second}`;
  if (first !== undefined && /^[A-Za-z]$/.test(first) && second?.toLowerCase() === 'users' && third !== undefined) return `/${first}/${second}/${third}`;
  const parent = homeParent(home);
  if (parent !== null) {
    const depth = segmentsOf(parent).length;
    if (segments.length > depth && isWithin(path.toLowerCase(), parent.toLowerCase())) return joinSnapshotPath(parent, segments[depth]!);
  }
  return null;
}

/** The folder holding the user's home, unless that is a disk's root (a home of `/root` says nothing about `/srv`). */
function homeParent(home: string | undefined): string | null {
  if (home === undefined) return null;
  const segments = segmentsOf(home);
  if (segments.length < 3 && !(segments.length === 2 && !/^[A-Za-z]$/.test(segments[0]!))) return null;
  return parentPath(home);
}

/** Folders whose children are profile folders (`/home`, `/Users`, `/C/Users`, the home's parent). */
function isProfileParent(path: string, home?: string): boolean {
  const segments = segmentsOf(path);
  const parent = homeParent(home);
  if (parent !== null && path.toLowerCase() === parent.toLowerCase()) return true;
  if (segments.length === 1) return segments[0] === 'home' || segments[0]!.toLowerCase() === 'users';
  return segments.length === 2 && /^[A-Za-z]$/.test(segments[0]!) && segments[1]!.toLowerCase() === 'users';
}

/** True when `path` lies in (or is) the profile folder of another user of this machine. */
export function otherProfile(scope: RestoreScope, path: string): boolean {
  if (scope.technician || scope.home === undefined) return false;
  const profile = profileFolderOf(path, scope.home);
  if (profile === null) return false;
  if (sharedProfiles.has(profile.slice(profile.lastIndexOf('/') + 1).toLowerCase())) return false;
  // Profile names compare without case: Windows does, and "Ana" and "ana" are one person anyway.
  const ci = { ...scope, caseInsensitive: true };
  return !(within(ci, scope.home, profile) || within(ci, profile, scope.home));
}

/** The roots that count: a root inside another user's profile folder shows nothing to this user. */
function visibleRoots(scope: RestoreScope): string[] {
  return scope.roots.filter((root) => !otherProfile(scope, root));
}

/**
 * Roots that limit queries, or null when no root limits them (technician, or `/` among the
 * roots). Byte-wise prefixes: case-insensitive scopes must be checked with `pathInScope` instead.
 */
export function effectiveRoots(scope: RestoreScope): string[] | null {
  if (scope.technician) return null;
  if (scope.roots.includes('/')) return null;
  return visibleRoots(scope);
}

/** True when a narrower scope than "everything" applies (faces say "nothing found where you may restore"). */
export function scopeLimited(scope: RestoreScope): boolean {
  return !scope.technician;
}

export function pathInScope(scope: RestoreScope, path: string): boolean {
  if (scope.technician) return true;
  if (otherProfile(scope, path)) return false;
  return scope.roots.includes('/') || visibleRoots(scope).some((root) => within(scope, path, root));
}

export function assertPathInScope(scope: RestoreScope, path: string): void {
  if (!pathInScope(scope, path)) throw outOfScope(scope, path);
}

/**
 * How a folder may be browsed: 'all' inside a root; 'lead' for an ancestor of a root (only the
 * children leading to a root are shown, so a user can walk from `/` to their folders); 'none'
 * otherwise. In an 'all' folder that holds profile folders, `childInScope` still hides others'.
 */
export function folderAccess(scope: RestoreScope, folder: string): 'all' | 'lead' | 'none' {
  if (pathInScope(scope, folder)) return 'all';
  if (otherProfile(scope, folder)) return 'none';
  return visibleRoots(scope).some((root) => within(scope, root, folder)) ? 'lead' : 'none';
}

/**
 * True when a folder may hold other users' profile folders somewhere below it (`/`, a drive,
 * `/home`, `C:\Users`, the folder holding the user's home or one of its ancestors). Cheap: decides
 * whether the index must look.
 */
export function mayHoldProfiles(scope: RestoreScope, folder: string): boolean {
  if (scope.technician || scope.home === undefined) return false;
  const segments = segmentsOf(folder);
  if (segments.length === 0 || isProfileParent(folder, scope.home)) return true;
  if (segments.length === 1 && /^[A-Za-z]$/.test(segments[0]!)) return true;
  const parent = homeParent(scope.home);
  return parent !== null && isWithin(parent.toLowerCase(), folder.toLowerCase());
}

/** True when some children of an in-scope folder may still be hidden (another user's profile folder). */
export function mayHideChildren(scope: RestoreScope, folder: string): boolean {
  return !scope.technician && scope.home !== undefined && isProfileParent(folder, scope.home);
}

/** For a 'lead' folder: the child names that are a root or lead to one (lower-cased when case-insensitive). */
export function leadingChildNames(scope: RestoreScope, folder: string): Set<string> {
  const depth = segmentsOf(folder).length;
  const names = new Set<string>();
  for (const root of visibleRoots(scope)) {
    if (root !== folder && within(scope, root, folder)) {
      const next = segmentsOf(root)[depth];
      if (next !== undefined) names.add(scope.caseInsensitive ? next.toLowerCase() : next);
    }
  }
  return names;
}

export function childInScope(scope: RestoreScope, folder: string, name: string): boolean {
  const access = folderAccess(scope, folder);
  if (access === 'none') return false;
  const child = joinSnapshotPath(folder, name);
  if (pathInScope(scope, child)) return true;
  if (access === 'all') return false;
  return leadingChildNames(scope, folder).has(scope.caseInsensitive ? name.toLowerCase() : name) && !otherProfile(scope, child);
}
