// Snapshot paths in one form: POSIX, absolute, Windows drives as `/C/...` (how restic stores them
// in trees), so browse, search and restore compare like with like whatever OS made the snapshot.

/** `C:\Users\x` -> `/C/Users/x`; `C:` -> `/C`; POSIX paths unchanged (trailing slash removed). */
export function normaliseSnapshotPath(path: string): string {
  let p = path;
  const drive = /^([A-Za-z]):(?:[\\/]|$)/.exec(p);
  if (drive) {
    p = `/${drive[1]!.toUpperCase()}/${p.slice(drive[0].length)}`.replace(/\\/g, '/');
  } else if (/^\\\\/.test(p)) {
    // UNC path \\server\share\x: restic stores it below the server name
    p = `/${p.slice(2)}`.replace(/\\/g, '/');
  }
  p = p.replace(/\/{2,}/g, '/');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

/** Escapes restic's pattern characters so a literal file name matches only itself in --include. */
export function escapeRestorePattern(path: string): string {
  return path.replace(/[[\]*?\\]/g, (c) => `\\${c}`);
}

function isUnder(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(`${root}/`);
}

/**
 * restic stores in the tree the paths it was given: absolute for `backup /home/x`, but relative to
 * the working directory for `backup docs` (the tree then starts at `/docs` while the snapshot's
 * `paths` say `/home/x/docs`). Verified on 0.14.0 and 0.18.0 alike. This maps tree paths back to
 * absolute paths using the snapshot's `paths`, streaming: nodes above the roots (a few folders)
 * are held until the mapping is known.
 */
export class TreePathMapper {
  private readonly roots: string[];
  private prefix: string | undefined;
  private held: { path: string; release: (path: string) => void }[] = [];

  constructor(snapshotPaths: string[], knownPrefix?: string) {
    this.roots = snapshotPaths.map(normaliseSnapshotPath);
    this.prefix = knownPrefix ?? (this.roots.length === 0 ? '' : undefined);
  }

  /** The decided prefix ('' for absolute trees), or undefined while undecided. */
  get decidedPrefix(): string | undefined {
    return this.prefix;
  }

  /** Decides from one tree path; returns true once the prefix is known. */
  private decide(treePath: string): boolean {
    if (this.prefix !== undefined) return true;
    if (this.roots.some((r) => r === treePath)) {
      this.prefix = '';
      return true;
    }
    if (this.roots.some((r) => isUnder(r, treePath))) return false; // an ancestor of a root: wait
    for (const root of this.roots) {
      if (root.endsWith(treePath) && root.length > treePath.length && treePath.startsWith('/')) {
        this.prefix = root.slice(0, root.length - treePath.length);
        return true;
      }
    }
    return false;
  }

  /**
   * Feeds one node; `emit` receives it (and any held before it, in order) with its absolute path
   * as soon as the mapping is known. While undecided the node is held.
   */
  push<T>(item: T, treePath: string, emit: (item: T, absolute: string) => void): void {
    const path = normaliseSnapshotPath(treePath);
    if (this.decide(path) || this.held.length >= MAX_HELD) {
      this.prefix ??= '';
      this.flush();
      emit(item, this.map(path));
      return;
    }
    this.held.push({ path, release: (p) => emit(item, p) });
  }

  /** Releases held nodes at the end of the stream (undecided = the tree was absolute). */
  finish(): void {
    this.prefix ??= '';
    this.flush();
  }

  map(treePath: string): string {
    const path = normaliseSnapshotPath(treePath);
    const prefix = this.prefix ?? '';
    if (!prefix) return path;
    return path === '/' ? prefix : `${prefix}${path}`;
  }

  /** The tree path restic expects for an absolute path (inverse of map). */
  toTreePath(absolute: string): string {
    const path = normaliseSnapshotPath(absolute);
    const prefix = this.prefix ?? '';
    if (prefix && isUnder(path, prefix)) return path.slice(prefix.length) || '/';
    return path;
  }

  private flush(): void {
    const held = this.held;
    this.held = [];
    for (const h of held) h.release(this.map(h.path));
  }
}

const MAX_HELD = 10_000;

/**
 * Stateless best effort for one path (used by `find`, which prints matches without the tree
 * around them): a path already under a root stays; otherwise the longest tail of a root that
 * starts the path tells the prefix.
 */
export function absoluteFromRoots(treePath: string, snapshotPaths: string[]): string {
  const path = normaliseSnapshotPath(treePath);
  const roots = snapshotPaths.map(normaliseSnapshotPath);
  if (roots.length === 0 || roots.some((r) => isUnder(path, r))) return path;
  for (const root of roots) {
    const parts = root.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const tail = `/${parts.slice(i).join('/')}`;
      if (isUnder(path, tail)) return `/${parts.slice(0, i).join('/')}${path}`.replace(/^\/\//, '/');
    }
  }
  return path;
}
