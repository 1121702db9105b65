// The per-repository snapshot cache of the fleet audit. Snapshots are immutable, so what was read
// of one stays true: a warm run only asks restic for the list of snapshot ids and reads the new
// ones. Holds hostnames, plan ids, times and counts; never a path, a URI or a secret.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Groups, SnapshotGroup } from './groups.js';
import { groupKey } from './groups.js';

const CACHE_VERSION = 1;

interface CacheFile {
  version: number;
  keep: number;
  groups: SnapshotGroup[];
}

export function cacheFileFor(dir: string, repoId: string, uri: string): string {
  const name = createHash('sha256').update(`${repoId}\0${uri}`).digest('hex').slice(0, 32);
  return join(dir, `${name}.json`);
}

function isGroup(value: unknown): value is SnapshotGroup {
  if (!value || typeof value !== 'object') return false;
  const g = value as Record<string, unknown>;
  return typeof g.host === 'string' && (g.plan === null || typeof g.plan === 'string') && Array.isArray(g.ids) && Array.isArray(g.recent);
}

/** The cached groups, or null when there is no usable cache (missing, damaged, other format). */
export async function readCache(file: string, keep: number): Promise<Groups | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  const c = parsed as Partial<CacheFile> | null;
  if (!c || c.version !== CACHE_VERSION || typeof c.keep !== 'number' || c.keep < keep || !Array.isArray(c.groups) || !c.groups.every(isGroup)) return null;
  const groups: Groups = new Map();
  for (const group of c.groups) groups.set(groupKey(group.host, group.plan), { ...group, recent: group.recent.slice(-keep) });
  return groups;
}

export async function writeCache(file: string, keep: number, groups: Groups): Promise<void> {
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const body: CacheFile = { version: CACHE_VERSION, keep, groups: [...groups.values()] };
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(body), { mode: 0o600 });
  await rename(tmp, file);
}

export function allIds(groups: Groups): Set<string> {
  const ids = new Set<string>();
  for (const group of groups.values()) for (const id of group.ids) ids.add(id);
  return ids;
}
