// The operation history in SQLite (better-sqlite3, WAL). One row per operation; rows are small and
// every list the faces show is served by an index. The tray and the CLI may open the same file at
// once: WAL lets readers run beside the writer and busy_timeout absorbs short write contention.
import { isProcessAlive } from '../process-alive.js';
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { uptime } from 'node:os';
import { CofreError, type FailureCause } from '../errors.js';
import {
  defaultHistoryRetention, unfinishedStatuses,
  type DateInput, type FinishInput, type HistoryPage, type HistoryQuery, type NewOperation, type Operation,
  type OperationPatch, type OperationStatus, type OperationTrigger, type OperationType, type PlanHistory, type RepoMaintenance, type RetentionLimits,
} from './types.js';

export interface HistoryStoreOptions {
  /** Owner recorded on new rows (default: this process). */
  pid?: number;
  now?: () => Date;
  /** Whether a process id is alive (default: signal 0). Injected by tests. */
  isAlive?: (pid: number) => boolean;
  /** When the machine booted, in ms; rows started before it belong to a dead process. */
  bootTime?: number;
  /** When this process started, in ms; a row with our pid but older than that is a reused pid. */
  processStart?: number;
  /**
   * Called once each time the file was found deleted or replaced under the open connection (a user
   * or cleaner removed it while `serve` or the tray runs) and the store switched to the file now at
   * the path, so this process and a CLI run see the same history again.
   */
  onFileReplaced?: (what: 'deleted' | 'replaced') => void;
  /** How often, at most, the path is compared with the open file (default 250 ms). */
  fileCheckMs?: number;
}

interface Row {
  id: number;
  type: string;
  plan_id: string | null;
  repo_id: string;
  snapshot_id: string | null;
  status: string;
  trigger: string;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  bytes_added: number | null;
  total_bytes: number | null;
  cause: string | null;
  message: string | null;
  detail: string | null;
  summary: string | null;
  pid: number | null;
}

const schemaVersion = 1;
const completed = new Set(['success', 'warning', 'failure']);
const maxPageSize = 1000;

const schema = `
CREATE TABLE IF NOT EXISTS operations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  plan_id TEXT,
  repo_id TEXT NOT NULL,
  snapshot_id TEXT,
  status TEXT NOT NULL,
  trigger TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  duration_ms INTEGER,
  bytes_added INTEGER,
  total_bytes INTEGER,
  cause TEXT,
  message TEXT,
  detail TEXT,
  summary TEXT,
  pid INTEGER
);
-- Every list is "newest first" after an equality filter; SQLite appends the rowid to each index,
-- so (column, started_at) also serves ORDER BY started_at DESC, id DESC.
CREATE INDEX IF NOT EXISTS operations_started ON operations(started_at);
CREATE INDEX IF NOT EXISTS operations_plan ON operations(plan_id, started_at);
CREATE INDEX IF NOT EXISTS operations_repo ON operations(repo_id, started_at);
CREATE INDEX IF NOT EXISTS operations_status ON operations(status, started_at);
CREATE INDEX IF NOT EXISTS operations_type ON operations(type, started_at);
`;

function toMs(value: DateInput): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new CofreError('error.invalidInput', { params: { details: `date ${String(value)}` }, cause: 'invalid-input' });
  return ms;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function parseSummary(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function fromRow(row: Row): Operation {
  return {
    id: row.id,
    type: row.type as OperationType,
    planId: row.plan_id,
    repoId: row.repo_id,
    snapshotId: row.snapshot_id,
    status: row.status as OperationStatus,
    trigger: row.trigger as OperationTrigger,
    startedAt: iso(row.started_at)!,
    endedAt: iso(row.ended_at),
    durationMs: row.duration_ms,
    bytesAdded: row.bytes_added,
    totalBytes: row.total_bytes,
    cause: row.cause as FailureCause | null,
    message: row.message,
    detail: row.detail,
    summary: parseSummary(row.summary),
    pid: row.pid,
  };
}

/** restic's backup summary names (see restic/types.ts BackupSummary) give the two sizes for free. */
function sizesFromSummary(summary: Record<string, unknown> | null | undefined): { bytesAdded?: number; totalBytes?: number } {
  if (!summary) return {};
  const pick = (key: string) => (typeof summary[key] === 'number' ? (summary[key] as number) : undefined);
  const bytesAdded = pick('dataAdded') ?? pick('bytesAdded');
  const totalBytes = pick('totalBytesProcessed') ?? pick('totalBytes');
  return { ...(bytesAdded !== undefined ? { bytesAdded } : {}), ...(totalBytes !== undefined ? { totalBytes } : {}) };
}

const patchColumns: Record<keyof OperationPatch, string> = {
  snapshotId: 'snapshot_id',
  status: 'status',
  summary: 'summary',
  bytesAdded: 'bytes_added',
  totalBytes: 'total_bytes',
  cause: 'cause',
  message: 'message',
  detail: 'detail',
};

export class HistoryStore {
  private handle: Database.Database;
  private readonly path: string;
  private readonly pid: number;
  private readonly now: () => Date;
  private readonly isAlive: (pid: number) => boolean;
  private readonly bootTime: number;
  private readonly processStart: number;
  private readonly onFileReplaced: ((what: 'deleted' | 'replaced') => void) | undefined;
  private readonly fileCheckMs: number;
  /** Device and inode of the file the connection has open (null for ':memory:'). */
  private opened: { dev: number; ino: number } | null;
  private checkedAt = 0;
  /** Ids of our unfinished rows copied into a new file when the old one vanished: old id -> new id. */
  private readonly moved = new Map<number, number>();

  /** `path` is a file in the app data dir, or ':memory:' in tests. */
  constructor(path: string, options: HistoryStoreOptions = {}) {
    this.path = path;
    this.pid = options.pid ?? process.pid;
    this.now = options.now ?? (() => new Date());
    this.isAlive = options.isAlive ?? isProcessAlive;
    this.bootTime = options.bootTime ?? Date.now() - uptime() * 1000;
    this.processStart = options.processStart ?? Date.now() - process.uptime() * 1000;
    this.onFileReplaced = options.onFileReplaced;
    this.fileCheckMs = options.fileCheckMs ?? 250;
    this.handle = openHistory(path);
    this.opened = identityOf(path);
  }

  /**
   * The connection, after making sure it still belongs to the file at the path. Never switched
   * inside a transaction: every statement of one transaction runs on the same file.
   */
  private get db(): Database.Database {
    if (this.opened && !this.handle.inTransaction && Date.now() - this.checkedAt >= this.fileCheckMs) {
      this.checkedAt = Date.now();
      const current = identityOf(this.path);
      if (!current || current.dev !== this.opened.dev || current.ino !== this.opened.ino) this.switchFile(current ? 'replaced' : 'deleted');
    }
    return this.handle;
  }

  private switchFile(what: 'deleted' | 'replaced'): void {
    const old = this.handle;
    let unfinished: Row[] = [];
    let maxId = 0;
    try {
      // What this process is still writing lives on in the new file, so its jobs can finish there.
      unfinished = old.prepare(`SELECT * FROM operations WHERE status IN ('pending', 'running') AND pid = ?`).all(this.pid) as Row[];
      maxId = (old.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM operations').get() as { n: number }).n;
    } catch {
      // the old file is unreadable as well: nothing to carry over
    }
    try {
      old.close();
    } catch {
      // closing a connection to a deleted file may fail; the new one is what matters
    }
    this.handle = openHistory(this.path);
    this.opened = identityOf(this.path);
    this.handle.transaction(() => {
      // Ids handed out before stay unique: new rows are numbered after every old one, so an old id
      // that was carried over can never be mistaken for a row created later.
      const seq = this.handle.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'operations'`).get() as { seq: number } | undefined;
      if (!seq) this.handle.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('operations', ?)`).run(maxId);
      else if (seq.seq < maxId) this.handle.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'operations'`).run(maxId);
      const insert = this.handle.prepare(
        `INSERT INTO operations (type, plan_id, repo_id, snapshot_id, status, trigger, started_at, ended_at, duration_ms, bytes_added, total_bytes, cause, message, detail, summary, pid)
         VALUES (@type, @plan_id, @repo_id, @snapshot_id, @status, @trigger, @started_at, @ended_at, @duration_ms, @bytes_added, @total_bytes, @cause, @message, @detail, @summary, @pid)`,
      );
      for (const row of unfinished) {
        const newId = Number(insert.run(row).lastInsertRowid);
        for (const [from, to] of this.moved) if (to === row.id) this.moved.set(from, newId);
        this.moved.set(row.id, newId);
      }
    })();
    this.onFileReplaced?.(what);
  }

  /** The id a row has now (it changes only when the file was replaced while the row was running). */
  private currentId(id: number): number {
    void this.db; // a switch to a new file, if due, happens before the id is looked up
    return this.moved.get(id) ?? id;
  }

  /** Adds an operation (status 'running' unless given) and returns its id. */
  record(op: NewOperation): number {
    const sizes = sizesFromSummary(op.summary);
    const status = op.status ?? 'running';
    const result = this.db.prepare(
      `INSERT INTO operations (type, plan_id, repo_id, snapshot_id, status, trigger, started_at, bytes_added, total_bytes, cause, message, detail, summary, pid)
       VALUES (@type, @planId, @repoId, @snapshotId, @status, @trigger, @startedAt, @bytesAdded, @totalBytes, @cause, @message, @detail, @summary, @pid)`,
    ).run({
      type: op.type,
      planId: op.planId ?? null,
      repoId: op.repoId,
      snapshotId: op.snapshotId ?? null,
      status,
      trigger: op.trigger,
      startedAt: toMs(op.startedAt ?? this.now()),
      bytesAdded: op.bytesAdded ?? sizes.bytesAdded ?? null,
      totalBytes: op.totalBytes ?? sizes.totalBytes ?? null,
      cause: op.cause ?? null,
      message: op.message ?? null,
      detail: op.detail ?? null,
      summary: op.summary ? JSON.stringify(op.summary) : null,
      pid: unfinishedStatuses.includes(status) ? this.pid : null,
    });
    return Number(result.lastInsertRowid);
  }

  update(id: number, patch: OperationPatch): void {
    this.updateRow(this.currentId(id), patch);
  }

  private updateRow(id: number, patch: OperationPatch): void {
    const sizes = patch.summary ? sizesFromSummary(patch.summary) : {};
    const merged: OperationPatch = { ...sizes, ...patch };
    const sets: string[] = [];
    const values: Record<string, unknown> = { id };
    for (const [key, value] of Object.entries(merged) as Array<[keyof OperationPatch, unknown]>) {
      if (value === undefined || !(key in patchColumns)) continue;
      sets.push(`${patchColumns[key]} = @${key}`);
      values[key] = key === 'summary' && value !== null ? JSON.stringify(value) : value;
    }
    if (sets.length === 0) return;
    const result = this.db.prepare(`UPDATE operations SET ${sets.join(', ')} WHERE id = @id`).run(values);
    if (result.changes === 0) throw new CofreError('history.error.operationNotFound', { params: { id: String(id) } });
  }

  /** Closes an operation: its outcome, end time and duration; the row no longer belongs to a process. */
  finish(id: number, input: FinishInput): Operation {
    const { endedAt, ...patch } = input;
    const rowId = this.currentId(id);
    const run = this.db.transaction(() => {
      this.updateRow(rowId, patch);
      const ended = toMs(endedAt ?? this.now());
      this.db.prepare('UPDATE operations SET ended_at = @ended, duration_ms = MAX(0, @ended - started_at), pid = NULL WHERE id = @id').run({ id: rowId, ended });
    });
    run();
    return this.get(id)!;
  }

  get(id: number): Operation | undefined {
    const row = this.db.prepare('SELECT * FROM operations WHERE id = ?').get(this.currentId(id)) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Newest first, filtered, paged by offset or by cursor; `total` counts every matching row. */
  list(query: HistoryQuery = {}): HistoryPage {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const eq = (column: string, name: string, value: unknown) => {
      if (value === undefined) return;
      where.push(`${column} = @${name}`);
      params[name] = value;
    };
    eq('plan_id', 'planId', query.planId);
    eq('repo_id', 'repoId', query.repoId);
    eq('type', 'type', query.type);
    eq('status', 'status', query.status);
    if (query.since !== undefined) { where.push('started_at >= @since'); params.since = toMs(query.since); }
    if (query.until !== undefined) { where.push('started_at < @until'); params.until = toMs(query.until); }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM operations ${filter}`).get(params) as { n: number }).n;

    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 50)), maxPageSize);
    const pageWhere = [...where];
    if (query.cursor) {
      const [startedAt, id] = decodeCursor(query.cursor);
      pageWhere.push('(started_at, id) < (@cursorStarted, @cursorId)');
      params.cursorStarted = startedAt;
      params.cursorId = id;
    }
    const pageFilter = pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : '';
    const offset = query.cursor ? 0 : Math.max(0, Math.floor(query.offset ?? 0));
    const rows = this.db.prepare(
      `SELECT * FROM operations ${pageFilter} ORDER BY started_at DESC, id DESC LIMIT @limit OFFSET @offset`,
    ).all({ ...params, limit: limit + 1, offset }) as Row[];
    const hasMore = rows.length > limit;
    const items = rows.slice(0, limit).map(fromRow);
    const last = rows[limit - 1];
    return { items, total, nextCursor: hasMore && last ? `${last.started_at}.${last.id}` : null };
  }

  /**
   * Per plan: last completed backup, last successful one and last finished one of any outcome.
   * Ordered by id (insertion order): an attempt recorded while the clock ran hours ahead must not
   * stay "the latest" once the clock is corrected.
   */
  lastByPlan(planIds?: readonly string[]): Map<string, PlanHistory> {
    const ids = planIds ?? this.planIds();
    const latest = this.db.prepare(
      `SELECT * FROM operations WHERE plan_id = ? AND type = 'backup' AND status NOT IN ('pending', 'running')
       ORDER BY id DESC LIMIT 1`,
    );
    const attempt = this.db.prepare(
      `SELECT * FROM operations WHERE plan_id = ? AND type = 'backup' AND status IN ('success', 'warning', 'failure')
       ORDER BY id DESC LIMIT 1`,
    );
    const success = this.db.prepare(
      `SELECT * FROM operations WHERE plan_id = ? AND type = 'backup' AND status IN ('success', 'warning')
       ORDER BY id DESC LIMIT 1`,
    );
    const result = new Map<string, PlanHistory>();
    for (const id of ids) {
      const l = latest.get(id) as Row | undefined;
      const a = l && completed.has(l.status) ? l : (attempt.get(id) as Row | undefined);
      const s = a && (a.status === 'success' || a.status === 'warning') ? a : (success.get(id) as Row | undefined);
      result.set(id, {
        lastAttempt: a ? fromRow(a) : null,
        latest: l ? fromRow(l) : null,
        lastSuccess: s ? fromRow(s) : null,
        lastAttemptAt: a ? iso(a.started_at) : null,
        lastSuccessAt: s ? iso(s.started_at) : null,
      });
    }
    return result;
  }

  /** Start of the last run of every plan's backup (any status, running included): the scheduler's input. */
  lastRunStarts(kind: OperationType = 'backup', by: 'plan' | 'repo' = 'plan'): Map<string, Date> {
    const column = by === 'plan' ? 'plan_id' : 'repo_id';
    const rows = this.db.prepare(
      `SELECT ${column} AS key, MAX(started_at) AS at FROM operations WHERE type = ? AND ${column} IS NOT NULL GROUP BY ${column}`,
    ).all(kind) as Array<{ key: string; at: number }>;
    return new Map(rows.map((r) => [r.key, new Date(r.at)]));
  }

  /** When each repository was last checked and pruned (the scheduler's input for those tasks). */
  lastMaintenance(): Map<string, RepoMaintenance> {
    const result = new Map<string, RepoMaintenance>();
    for (const kind of ['check', 'prune'] as const) {
      for (const [repoId, at] of this.lastRunStarts(kind, 'repo')) {
        const entry = result.get(repoId) ?? { check: null, prune: null };
        entry[kind] = at.toISOString();
        result.set(repoId, entry);
      }
    }
    return result;
  }

  /**
   * Marks rows left pending/running by a process that is gone as 'interrupted' (honest history
   * after a crash or power loss). With `pid`, only that process' rows. Returns how many.
   */
  markInterrupted(pid?: number): number {
    const rows = this.db.prepare(`SELECT id, pid, started_at FROM operations WHERE status IN ('pending', 'running')`).all() as Array<Pick<Row, 'id' | 'pid' | 'started_at'>>;
    const dead = rows.filter((row) => {
      if (pid !== undefined) return row.pid === pid;
      if (row.pid === null || row.started_at < this.bootTime) return true;
      if (row.pid === this.pid) return row.started_at < this.processStart;
      return !this.isAlive(row.pid);
    });
    const mark = this.db.prepare(`UPDATE operations SET status = 'interrupted', pid = NULL WHERE id = ?`);
    this.db.transaction(() => dead.forEach((row) => mark.run(row.id)))();
    return dead.length;
  }

  /**
   * Bounded retention: drops finished rows older than `keepDays` and beyond the newest `keepMax`.
   * The last attempt and last success of every plan stay, so a plan's status never turns into
   * "never backed up" because its history grew old.
   */
  prune(limits: Partial<RetentionLimits> & { now?: Date } = {}): number {
    const keepDays = limits.keepDays ?? defaultHistoryRetention.keepDays;
    const keepMax = limits.keepMax ?? defaultHistoryRetention.keepMax;
    const cutoff = (limits.now ?? this.now()).getTime() - keepDays * 86_400_000;
    const run = this.db.transaction(() => {
      const keep = new Set<number>();
      for (const h of this.lastByPlan().values()) {
        if (h.lastAttempt) keep.add(h.lastAttempt.id);
        if (h.lastSuccess) keep.add(h.lastSuccess.id);
        if (h.latest) keep.add(h.latest.id);
      }
      return this.db.prepare(
        `DELETE FROM operations
         WHERE status NOT IN ('pending', 'running')
           AND id NOT IN (SELECT value FROM json_each(@keep))
           AND (started_at < @cutoff OR id IN (SELECT id FROM operations ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET @keepMax))`,
      ).run({ keep: JSON.stringify([...keep]), cutoff, keepMax: Math.max(0, Math.floor(keepMax)) }).changes;
    });
    return run();
  }

  /** Runs `fn` as one transaction (bulk imports, benchmarks): one commit instead of one per write. */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    // SQLite's advice for long-lived connections: refresh planner statistics when closing.
    try {
      this.handle.pragma('optimize');
    } catch {
      // read-only or busy file: statistics are an optimisation only
    }
    this.handle.close();
  }

  /** Distinct plan ids by index skip-scan: one index probe per plan instead of a full scan. */
  private planIds(): string[] {
    const rows = this.db.prepare(
      `WITH RECURSIVE p(id) AS (
         SELECT MIN(plan_id) FROM operations
         UNION ALL
         SELECT (SELECT MIN(plan_id) FROM operations WHERE plan_id > p.id) FROM p WHERE p.id IS NOT NULL
       ) SELECT id FROM p WHERE id IS NOT NULL`,
    ).all() as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
}

function decodeCursor(cursor: string): [number, number] {
  const match = /^(-?\d+)\.(\d+)$/.exec(cursor);
  if (!match) throw new CofreError('history.error.badCursor', { cause: 'invalid-input' });
  return [Number(match[1]), Number(match[2])];
}

function openHistory(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < schemaVersion) {
    db.exec(schema);
    db.pragma(`user_version = ${schemaVersion}`);
  }
  return db;
}

function identityOf(path: string): { dev: number; ino: number } | null {
  if (path === ':memory:' || path === '') return null;
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat ? { dev: stat.dev, ino: stat.ino } : null;
}
