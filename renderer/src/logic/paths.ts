// Path helpers for the restore browser: breadcrumbs, parent folders and display names, for POSIX
// paths and Windows drive paths (`C:\Users\ana` or `C:/Users/ana`, and restic's `/C/Users/ana`).

export interface Crumb {
  label: string;
  path: string;
}

function separatorOf(path: string): '/' | '\\' {
  return /^[A-Za-z]:\\/.test(path) ? '\\' : '/';
}

export function splitBreadcrumbs(path: string): Crumb[] {
  const drive = /^([A-Za-z]:)[\\/]?/.exec(path);
  if (drive) {
    const sep = separatorOf(path);
    const root = `${drive[1]}${sep}`;
    const crumbs: Crumb[] = [{ label: drive[1]!, path: root }];
    let current = root;
    for (const part of path.slice(drive[0].length).split(/[\\/]+/).filter(Boolean)) {
      current = current.endsWith(sep) ? `${current}${part}` : `${current}${sep}${part}`;
      crumbs.push({ label: part, path: current });
    }
    return crumbs;
  }
  const crumbs: Crumb[] = [{ label: '/', path: '/' }];
  let current = '';
  for (const part of path.split('/').filter(Boolean)) {
    current = `${current}/${part}`;
    crumbs.push({ label: part, path: current });
  }
  return crumbs;
}

export function parentPath(path: string): string {
  const crumbs = splitBreadcrumbs(path);
  return crumbs.length > 1 ? crumbs[crumbs.length - 2]!.path : crumbs[0]!.path;
}

export function baseName(path: string): string {
  const crumbs = splitBreadcrumbs(path);
  return crumbs[crumbs.length - 1]!.label;
}

/** The deepest folder shared by all paths (where the browser opens a snapshot). */
export function commonFolder(paths: string[]): string {
  if (paths.length === 0) return '/';
  const lists = paths.map((p) => splitBreadcrumbs(p));
  let depth = 0;
  for (;;) {
    const at = lists[0]![depth];
    if (!at || !lists.every((l) => l[depth]?.path === at.path)) break;
    depth += 1;
  }
  return depth === 0 ? '/' : lists[0]![depth - 1]!.path;
}

/** A local calendar day key (YYYY-MM-DD) for grouping by date. */
export function dayKey(date: Date | string): string {
  const d = new Date(date);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Groups items by local day, newest day first and newest item first within a day. */
export function groupByDay<T extends { time: string }>(items: T[]): Array<{ day: string; date: Date; items: T[] }> {
  const sorted = [...items].sort((a, b) => new Date(b.time).getTime() - new Date(a.time).getTime());
  const groups: Array<{ day: string; date: Date; items: T[] }> = [];
  for (const item of sorted) {
    const day = dayKey(item.time);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, date: new Date(item.time), items: [item] });
  }
  return groups;
}

/** The folder itself, then each parent up to the root: where to land when a folder is not in another backup. */
export function folderAndAncestors(path: string): string[] {
  return splitBreadcrumbs(path).map((c) => c.path).reverse();
}

/** A local month key (YYYY-MM) for grouping a long timeline. */
export function monthKey(date: Date | string): string {
  return dayKey(date).slice(0, 7);
}

/** Groups items by local month, newest first (88 backups become a few groups, not 88 rows). */
export function groupByMonth<T extends { time: string }>(items: T[]): Array<{ month: string; date: Date; items: T[] }> {
  const groups: Array<{ month: string; date: Date; items: T[] }> = [];
  for (const day of groupByDay(items)) {
    const month = day.day.slice(0, 7);
    const last = groups[groups.length - 1];
    if (last && last.month === month) last.items.push(...day.items);
    else groups.push({ month, date: day.date, items: [...day.items] });
  }
  return groups;
}

/**
 * Shortens a path to about `max` characters by cutting its middle, never its end: two results
 * `/home/ana/Documentos/2025/Ofícios/a.txt` and `/home/ana/Documentos/2026/Ofícios/a.txt` differ
 * near the end, so the end (file name and the folders right above it) is what must stay.
 * When `others` are given, the cut keeps the first place where this path differs from them.
 */
export function middleEllipsis(path: string, max: number, others: string[] = []): string {
  if (path.length <= max) return path;
  const parts = path.split('/');
  let differsAt = parts.length - 1;
  for (const other of others) {
    if (other === path) continue;
    const theirs = other.split('/');
    let i = 0;
    while (i < parts.length && parts[i] === theirs[i]) i += 1;
    differsAt = Math.min(differsAt, i);
  }
  // The distinguishing segment and everything after it always stay; then whole segments are
  // added from the start (where the path is) and from the end backwards, while they fit.
  let tailFrom = Math.max(1, Math.min(differsAt, parts.length - 1));
  const tailOf = (from: number) => parts.slice(from).join('/');
  if (tailOf(tailFrom).length + 2 > max) {
    const tail = tailOf(tailFrom);
    return `…${tail.slice(-(max - 1))}`;
  }
  const fits = (headEnd: number, from: number) => parts.slice(0, headEnd).join('/').length + 3 + tailOf(from).length <= max;
  let headEnd = 1; // parts[0] is '' for an absolute path: the head starts as "/"
  while (headEnd < tailFrom && fits(headEnd + 1, tailFrom)) headEnd += 1;
  while (tailFrom - 1 > headEnd && fits(headEnd, tailFrom - 1)) tailFrom -= 1;
  if (headEnd >= tailFrom) return path;
  return `${parts.slice(0, headEnd).join('/')}/…/${tailOf(tailFrom)}`;
}

/** How many characters of a path fit in a results row or a dialog line at this window width. */
export function pathRoom(width: number, wide: number): number {
  return width < 520 ? Math.max(24, Math.floor((width - 180) / 7)) : wide;
}
