// Folds a repository's snapshots into one group per host and plan while they are parsed, keeping
// only the newest `keep` of each (bounded memory however long the history). Plan and instance
// come from Backrest's tags `plan:<id>` and `created-by:<instance>`; a snapshot without a plan tag
// goes to the group with plan null ("(sem plano)").

/** What the audit keeps of one snapshot. Never a path or a secret. */
export interface CompactSnapshot {
  id: string;
  time: string;
  /** total_files_processed / total_bytes_processed of the snapshot summary (restic >= 0.17), else null. */
  files: number | null;
  bytes: number | null;
  createdBy: string | null;
}

export interface SnapshotGroup {
  host: string;
  plan: string | null;
  /** Every snapshot id of the group (64 hex each): lets a warm run drop forgotten snapshots exactly. */
  ids: string[];
  /** Newest last, at most `keep`. */
  recent: CompactSnapshot[];
}

export type Groups = Map<string, SnapshotGroup>;

const planPrefix = 'plan:';
const createdByPrefix = 'created-by:';

export function groupKey(host: string, plan: string | null): string {
  return JSON.stringify([host, plan]);
}

function tagValue(tags: readonly string[], prefix: string): string | null {
  const tag = tags.find((t) => t.startsWith(prefix));
  return tag ? tag.slice(prefix.length) : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** One element of `restic snapshots --json` as the audit keeps it (null when it is no snapshot). */
export function compactSnapshot(raw: unknown): { host: string; plan: string | null; snapshot: CompactSnapshot } | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  if (typeof o.id !== 'string' || typeof o.time !== 'string' || Number.isNaN(Date.parse(o.time))) return null;
  const tags = Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === 'string') : [];
  const summary = o.summary && typeof o.summary === 'object' ? (o.summary as Record<string, unknown>) : undefined;
  return {
    host: typeof o.hostname === 'string' ? o.hostname : '',
    plan: tagValue(tags, planPrefix),
    snapshot: {
      id: o.id,
      time: new Date(o.time).toISOString(),
      files: count(summary?.total_files_processed),
      bytes: count(summary?.total_bytes_processed),
      createdBy: tagValue(tags, createdByPrefix),
    },
  };
}

export function addSnapshot(groups: Groups, entry: { host: string; plan: string | null; snapshot: CompactSnapshot }, keep: number): void {
  const key = groupKey(entry.host, entry.plan);
  let group = groups.get(key);
  if (!group) {
    group = { host: entry.host, plan: entry.plan, ids: [], recent: [] };
    groups.set(key, group);
  }
  group.ids.push(entry.snapshot.id);
  const recent = group.recent;
  // restic lists oldest first, so this is nearly always an append; keep order by time anyway.
  let at = recent.length;
  while (at > 0 && recent[at - 1]!.time > entry.snapshot.time) at -= 1;
  if (recent.length >= keep && at === 0) return;
  recent.splice(at, 0, entry.snapshot);
  if (recent.length > keep) recent.shift();
}

/** Drops forgotten snapshots; false when one of them is among the kept ones (then list again). */
export function removeSnapshots(groups: Groups, removed: ReadonlySet<string>): boolean {
  if (removed.size === 0) return true;
  for (const group of groups.values()) {
    if (group.recent.some((s) => removed.has(s.id))) return false;
  }
  for (const [key, group] of groups) {
    group.ids = group.ids.filter((id) => !removed.has(id));
    if (group.ids.length === 0) groups.delete(key);
  }
  return true;
}
