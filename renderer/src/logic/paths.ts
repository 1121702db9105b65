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
