// The snapshot index: one SQLite file that answers browse, search, versions and "missing now"
// without running restic. Snapshots never change, so each is read once with a streamed `ls` and
// stored for good.
//
// Layout, chosen for the queries it serves:
// - `dirs` interns folder paths once across all snapshots; a node points at its parent folder id,
//   so the children of a folder are one primary-key range (snap, dir) — no LIKE on paths.
// - `names` interns file names with their folded form (accent- and case-free). A search scans the
//   distinct names (far fewer than nodes x snapshots), then follows the name index to the nodes.
// - `nodes` is WITHOUT ROWID keyed by (snap, dir, name_id): small rows, and a version lookup is one
//   key probe per snapshot.
// A snapshot row is marked complete only after its last node; incomplete ones are discarded on open.
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { CofreError } from '../errors.js';
import { isProcessAlive } from '../process-alive.js';
import type { NodeType } from '../restic/types.js';
import {
  assertHostVisible, assertPathInScope, childInScope, effectiveRoots, folderAccess, hostVisible, instanceVisible, mayHideChildren,
  mayHoldProfiles, otherProfile, outOfScope, pathInScope, type RestoreScope,
} from './scope.js';
import { baseName, foldName, joinSnapshotPath, parentPath, parseSnapshotPath, toLocalPath } from './snapshot-path.js';
import type {
  Entry, FileVersion, IndexBuildProgress, IndexedSnapshot, ListChildrenOptions, Page, SearchHit, SearchOptions, SearchPage,
  SelectionItem, SnapshotLister, SnapshotMeta,
} from './types.js';

const SCHEMA_VERSION = 2;
/** Nodes per committed batch: bounds the WAL and lets other connections read meanwhile. */
const BATCH = 25_000;
const PROGRESS_EVERY = 5_000;
const MAX_PAGE = 5_000;
/** A search stops counting here: beyond it the total is a lower bound (`totalExact: false`). */
const SEARCH_COUNT_CAP = 10_000;

/** Reads the faces make; a damaged file found under one of them is dropped and the read answered again. */
const healingReads = ['isIndexed', 'snapshots', 'snapshot', 'listChildren', 'search', 'versions', 'missingFiles', 'selection'] as const;

const nodeTypes: readonly NodeType[] = ['file', 'dir', 'symlink', 'dev', 'chardev', 'fifo', 'socket', 'irregular'];
const typeCode = new Map(nodeTypes.map((type, code) => [type, code]));
const FILE = 0;
const DIR = 1;

interface SnapshotRow {
  id: number;
  snap_id: string;
  short_id: string;
  time: string;
  hostname: string;
  username: string;
  paths: string;
  tags: string;
  node_count: number;
  file_count: number;
  total_size: number;
  build_ms: number;
}

interface NodeRow {
  name: string;
  type: number;
  size: number;
  mtime: number;
}

export interface BuildOptions {
  signal?: AbortSignal;
  onProgress?: (progress: IndexBuildProgress) => void;
}

export class SnapshotIndex {
  readonly file: string;
  /** Assigned by open(); replaced only when a damaged file is dropped in the constructor. */
  private db!: Db;
  private readonly statements = new Map<string, Statement>();
  private readonly inflight = new Map<string, Promise<IndexedSnapshot>>();
  /** Builds share one connection and its transaction, so they run one at a time. */
  private buildChain: Promise<unknown> = Promise.resolve();

  /** Set when the file was damaged at open: what SQLite said. It was deleted and a fresh index started. */
  readonly healed: { reason: string } | null;
  private readonly onDamaged: ((reason: string) => void) | undefined;

  /** `onDamaged` hears each time a damaged file was dropped (at open or under a query), for the log. */
  constructor(file: string, options: { onDamaged?: (reason: string) => void } = {}) {
    this.file = file;
    this.onDamaged = options.onDamaged;
    let healed: { reason: string } | null = null;
    try {
      this.open();
    } catch (error) {
      // The index is a cache of immutable snapshots, rebuilt on demand: a damaged file is dropped
      // rather than making every command fail. Anything else (read-only folder, busy) is not ours to fix.
      if (!isDamaged(error) || file === ':memory:') throw this.unwritable(error);
      healed = { reason: sqliteReason(error) };
      removeDatabaseFiles(file);
      this.open();
      this.onDamaged?.(healed.reason);
    }
    this.healed = healed;
    // Damage in pages the first queries did not touch shows up later, under a browse or a search:
    // the reads the faces make drop the file and answer from a fresh index (what is not indexed
    // yet says so, and is indexed again as snapshots are listed).
    for (const name of healingReads) {
      const read = this[name] as (...args: unknown[]) => unknown;
      (this as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => this.healing(() => read.apply(this, args));
    }
  }

  private healing<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      // A build in progress holds this connection's transaction: never pull the file from under it.
      if (!isDamaged(error) || this.file === ':memory:' || this.inflight.size > 0) throw error;
      const reason = sqliteReason(error);
      try {
        this.db.close();
      } catch {
        // a handle on a damaged file may refuse to close cleanly
      }
      removeDatabaseFiles(this.file);
      this.open();
      this.onDamaged?.(reason);
      return read();
    }
  }

  /** Opens the file and runs the first queries, which is where SQLite notices a damaged file. */
  private open(): void {
    const db = new Database(this.file);
    try {
      this.db = db;
      this.statements.clear();
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
      db.pragma('busy_timeout = 10000');
      this.migrate();
      this.discardIncomplete();
    } catch (error) {
      this.statements.clear();
      try {
        db.close();
      } catch {
        // a handle on a damaged file may refuse to close cleanly; the file is removed anyway
      }
      throw error;
    }
  }

  private unwritable(error: unknown): unknown {
    const code = sqliteCode(error);
    if (!/^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code) && !['EACCES', 'EPERM', 'EROFS'].includes(code)) return error;
    return new CofreError('history.error.dataDirReadOnly', { params: { folder: dirname(this.file) }, detail: sqliteReason(error) });
  }

  close(): void {
    this.db.close();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    // The index is a cache of immutable data: an older layout is dropped and rebuilt on demand.
    this.db.exec(`
      DROP TABLE IF EXISTS nodes; DROP TABLE IF EXISTS names; DROP TABLE IF EXISTS dirs; DROP TABLE IF EXISTS snapshots;
      CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY, snap_id TEXT NOT NULL UNIQUE, short_id TEXT NOT NULL, time TEXT NOT NULL, time_ms INTEGER NOT NULL,
        hostname TEXT NOT NULL, username TEXT NOT NULL, paths TEXT NOT NULL, tags TEXT NOT NULL,
        complete INTEGER NOT NULL DEFAULT 0, node_count INTEGER NOT NULL DEFAULT 0, file_count INTEGER NOT NULL DEFAULT 0,
        total_size INTEGER NOT NULL DEFAULT 0, build_ms INTEGER NOT NULL DEFAULT 0, builder_pid INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE dirs (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
      CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, folded TEXT NOT NULL);
      CREATE TABLE nodes (
        snap INTEGER NOT NULL, dir INTEGER NOT NULL, name_id INTEGER NOT NULL,
        type INTEGER NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
        PRIMARY KEY (snap, dir, name_id)) WITHOUT ROWID;
      CREATE INDEX names_by_folded ON names (folded, name);
      CREATE INDEX nodes_by_name ON nodes (name_id, dir);
    `);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private discardIncomplete(): void {
    // Another process (tray and CLI share the file) may be building right now: only rows whose
    // builder is gone are leftovers of an interrupted build.
    const rows = this.stmt('SELECT id, builder_pid FROM snapshots WHERE complete = 0').all() as Array<{ id: number; builder_pid: number }>;
    for (const row of rows) {
      if (row.builder_pid === process.pid || !isProcessAlive(row.builder_pid)) this.deleteSnapshotRows(row.id);
    }
  }

  private deleteSnapshotRows(rowId: number): void {
    this.db.transaction(() => {
      this.stmt('DELETE FROM nodes WHERE snap = ?').run(rowId);
      this.stmt('DELETE FROM snapshots WHERE id = ?').run(rowId);
    })();
  }

  // ---------------------------------------------------------------- building

  isIndexed(snapshotId: string): boolean {
    return this.stmt('SELECT 1 FROM snapshots WHERE snap_id = ? AND complete = 1').get(snapshotId) !== undefined;
  }

  /** Builds the index of a snapshot unless it exists; concurrent calls for one snapshot share a build. */
  ensureIndexed(snapshot: SnapshotMeta, source: SnapshotLister, options: BuildOptions = {}): Promise<IndexedSnapshot> {
    const existing = this.findSnapshot(snapshot.id);
    if (existing) return Promise.resolve(existing);
    const running = this.inflight.get(snapshot.id);
    if (running) return running;
    const build = this.buildChain.then(() => this.build(snapshot, source, options));
    this.buildChain = build.catch(() => undefined);
    this.inflight.set(snapshot.id, build);
    void build.finally(() => this.inflight.delete(snapshot.id)).catch(() => undefined);
    return build;
  }

  private async build(meta: SnapshotMeta, source: SnapshotLister, { signal, onProgress }: BuildOptions): Promise<IndexedSnapshot> {
    const done = this.findSnapshot(meta.id);
    if (done) return done;
    const started = performance.now();
    const leftover = this.stmt('SELECT id FROM snapshots WHERE snap_id = ?').get(meta.id) as { id: number } | undefined;
    if (leftover) this.deleteSnapshotRows(leftover.id);
    const snap = Number(
      this.stmt('INSERT INTO snapshots (snap_id, short_id, time, time_ms, hostname, username, paths, tags, builder_pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        meta.id, meta.shortId ?? meta.id.slice(0, 8), meta.time, Date.parse(meta.time) || 0, meta.hostname, meta.username ?? '',
        JSON.stringify(meta.paths ?? []), JSON.stringify(meta.tags ?? []), process.pid,
      ).lastInsertRowid,
    );

    const insertNode = this.stmt('INSERT OR IGNORE INTO nodes (snap, dir, name_id, type, size, mtime) VALUES (?, ?, ?, ?, ?, ?)');
    const findDir = this.stmt('SELECT id FROM dirs WHERE path = ?').pluck();
    const addDir = this.stmt('INSERT INTO dirs (path) VALUES (?)');
    const findName = this.stmt('SELECT id FROM names WHERE name = ?').pluck();
    const addName = this.stmt('INSERT INTO names (name, folded) VALUES (?, ?)');
    const dirIds = new Map<string, number>();
    const nameIds = new Map<string, number>();
    const dirId = (path: string): number => {
      let id = dirIds.get(path);
      if (id === undefined) {
        id = (findDir.get(path) as number | undefined) ?? Number(addDir.run(path).lastInsertRowid);
        dirIds.set(path, id);
      }
      return id;
    };
    const nameId = (name: string): number => {
      let id = nameIds.get(name);
      if (id === undefined) {
        id = (findName.get(name) as number | undefined) ?? Number(addName.run(name, foldName(name)).lastInsertRowid);
        nameIds.set(name, id);
      }
      return id;
    };

    let nodes = 0;
    let files = 0;
    let bytes = 0;
    let lastParent = '';
    let lastParentId = 0;
    this.db.exec('BEGIN');
    try {
      for await (const node of source.ls(meta.id, { signal })) {
        const path = node.path.startsWith('/') ? node.path : `/${node.path}`;
        const parent = parentPath(path);
        // Siblings arrive together, so the last parent usually answers without a map lookup.
        if (parent !== lastParent) {
          lastParent = parent;
          lastParentId = dirId(parent);
        }
        const type = typeCode.get(node.type) ?? nodeTypes.indexOf('irregular');
        const size = type === FILE ? node.size || 0 : 0;
        const mtime = Date.parse(node.mtime);
        insertNode.run(snap, lastParentId, nameId(baseName(path)), type, size, Number.isFinite(mtime) ? mtime : 0);
        nodes += 1;
        if (type === FILE) {
          files += 1;
          bytes += size;
        }
        if (nodes % PROGRESS_EVERY === 0) {
          onProgress?.({ snapshotId: meta.id, nodes });
          if (nodes % BATCH === 0) {
            this.db.exec('COMMIT');
            this.db.exec('BEGIN');
          }
        }
      }
      signal?.throwIfAborted();
      const buildMs = Math.round(performance.now() - started);
      this.stmt('UPDATE snapshots SET complete = 1, node_count = ?, file_count = ?, total_size = ?, build_ms = ? WHERE id = ?')
        .run(nodes, files, bytes, buildMs, snap);
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.deleteSnapshotRows(snap);
      if (signal?.aborted) throw CofreError.fromCause('cancelled');
      throw error;
    }
    onProgress?.({ snapshotId: meta.id, nodes });
    return this.findSnapshot(meta.id)!;
  }

  /** Removes the rows of snapshots not in `keep` (forgotten in the repository), then unused folders and names. */
  removeStale(keep: Iterable<string>): string[] {
    const keepSet = new Set(keep);
    const rows = this.stmt('SELECT id, snap_id FROM snapshots WHERE complete = 1').all() as Array<{ id: number; snap_id: string }>;
    const stale = rows.filter((row) => !keepSet.has(row.snap_id) && !this.inflight.has(row.snap_id));
    if (stale.length === 0) return [];
    for (const row of stale) this.deleteSnapshotRows(row.id);
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM dirs WHERE NOT EXISTS (
        SELECT 1 FROM snapshots s CROSS JOIN nodes n WHERE n.snap = s.id AND n.dir = dirs.id)`);
      this.db.exec('DELETE FROM names WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.name_id = names.id)');
    })();
    return stale.map((row) => row.snap_id);
  }

  /** Bytes the index takes on disk (database plus write-ahead log). */
  sizeOnDisk(): number {
    let total = 0;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(this.file + suffix)) total += statSync(this.file + suffix).size;
    }
    return total;
  }

  /** Moves the write-ahead log into the database file (after big builds, to bound disk use). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  // ---------------------------------------------------------------- snapshots

  private findSnapshot(snapshotId: string): IndexedSnapshot | undefined {
    const row = this.stmt('SELECT * FROM snapshots WHERE snap_id = ? AND complete = 1').get(snapshotId) as SnapshotRow | undefined;
    return row ? toSnapshot(row) : undefined;
  }

  /** The complete snapshot row for a full id or an unambiguous prefix (such as the short id). */
  private snapshotRow(scope: RestoreScope, snapshotId: string): SnapshotRow {
    if (typeof snapshotId !== 'string' || !/^[0-9a-f]{4,64}$/i.test(snapshotId)) {
      throw new CofreError('restore.error.invalidSnapshot', { params: { id: String(snapshotId).slice(0, 80) }, cause: 'invalid-input' });
    }
    const id = snapshotId.toLowerCase();
    const rows = this.stmt('SELECT * FROM snapshots WHERE complete = 1 AND (snap_id = ? OR substr(snap_id, 1, ?) = ?) LIMIT 2')
      .all(id, id.length, id) as SnapshotRow[];
    const row = rows.find((r) => r.snap_id === id) ?? (rows.length === 1 ? rows[0] : undefined);
    if (!row) throw new CofreError('restore.error.notIndexed', { params: { id: snapshotId } });
    assertHostVisible(scope, row.hostname);
    return row;
  }

  /** Indexed snapshots the scope may see, newest first. */
  snapshots(scope: RestoreScope): IndexedSnapshot[] {
    const rows = this.stmt('SELECT * FROM snapshots WHERE complete = 1 ORDER BY time_ms DESC').all() as SnapshotRow[];
    return rows.filter((row) => hostVisible(scope, row.hostname)).map(toSnapshot);
  }

  snapshot(scope: RestoreScope, snapshotId: string): IndexedSnapshot {
    return toSnapshot(this.snapshotRow(scope, snapshotId));
  }

  // ---------------------------------------------------------------- queries

  private nodeAt(snap: number, path: string): NodeRow | undefined {
    if (path === '/') return { name: '/', type: DIR, size: 0, mtime: 0 };
    return this.stmt(`SELECT nm.name AS name, n.type AS type, n.size AS size, n.mtime AS mtime
      FROM dirs d JOIN names nm ON nm.name = ? JOIN nodes n ON n.snap = ? AND n.dir = d.id AND n.name_id = nm.id
      WHERE d.path = ?`).get(baseName(path), snap, parentPath(path)) as NodeRow | undefined;
  }

  /** Children of a folder: folders first, then by the chosen key (name by default, accent- and case-insensitive). */
  listChildren(scope: RestoreScope, snapshotId: string, folder: string, options: ListChildrenOptions = {}): Page<Entry> {
    const row = this.snapshotRow(scope, snapshotId);
    const path = parseSnapshotPath(folder);
    const access = folderAccess(scope, path);
    if (access === 'none') throw outOfScope(scope, path);
    const { limit, offset } = paging(options);
    const node = this.nodeAt(row.id, path);
    if (!node || node.type !== DIR) throw new CofreError('error.notFound', { params: { what: path } });

    const dir = this.stmt('SELECT id FROM dirs WHERE path = ?').pluck().get(path) as number | undefined;
    if (dir === undefined) return { items: [], total: 0, offset, limit };
    const direction = options.direction === 'desc' ? 'DESC' : 'ASC';
    const key = { name: 'nm.folded', size: 'n.size', mtime: 'n.mtime', type: 'n.type' }[options.sort ?? 'name'];
    const order = `(n.type != ${DIR}), ${key} ${direction}, nm.folded ${direction}, nm.name ${direction}`;
    const select = `SELECT nm.name AS name, n.type AS type, n.size AS size, n.mtime AS mtime
      FROM nodes n JOIN names nm ON nm.id = n.name_id WHERE n.snap = ? AND n.dir = ? ORDER BY ${order}`;

    if (access === 'lead' || mayHideChildren(scope, path)) {
      // Few children here (the way to a root, or the profile folders of /home): filter them all.
      const rows = (this.stmt(select).all(row.id, dir) as NodeRow[]).filter((r) => childInScope(scope, path, r.name));
      return { items: rows.slice(offset, offset + limit).map((r) => toEntry(path, r)), total: rows.length, offset, limit };
    }
    const total = this.stmt('SELECT count(*) FROM nodes WHERE snap = ? AND dir = ?').pluck().get(row.id, dir) as number;
    const rows = this.stmt(`${select} LIMIT ? OFFSET ?`).all(row.id, dir, limit, offset) as NodeRow[];
    return { items: rows.map((r) => toEntry(path, r)), total, offset, limit };
  }

  /**
   * Finds names matching `pattern`: a substring, or a glob with `*` and `?` matching the whole name.
   * Case and accents are ignored. One hit per path, described by its newest snapshot searched.
   */
  search(scope: RestoreScope, pattern: string, options: SearchOptions = {}): SearchPage {
    const { limit, offset } = paging(options);
    if (typeof pattern !== 'string' || pattern.trim() === '' || pattern.length > 1_000 || pattern.includes('\0')) {
      throw new CofreError('restore.error.invalidPattern', { cause: 'invalid-input' });
    }
    const folded = foldName(pattern.trim());
    const isGlob = /[*?]/.test(folded);
    const match = isGlob ? 'folded GLOB ?' : 'instr(folded, ?) > 0';
    const matchParam = isGlob ? folded.replace(/[[\]]/g, (c) => `[${c}]`) : folded;

    const visible = (this.stmt('SELECT id, snap_id, time, hostname FROM snapshots WHERE complete = 1').all() as
      Array<{ id: number; snap_id: string; time: string; hostname: string }>).filter((row) => hostVisible(scope, row.hostname));
    const byRowId = new Map(visible.map((row) => [row.id, row]));
    const snaps = options.snapshotIds ? options.snapshotIds.map((id) => this.snapshotRow(scope, id).id) : [...byRowId.keys()];
    const empty = { items: [], total: 0, totalExact: true, offset, limit };
    if (snaps.length === 0) return empty;

    const roots = scope.caseInsensitive ? null : effectiveRoots(scope);
    const rootParams: string[] = [];
    let rootClause = '';
    if (roots) {
      if (roots.length === 0) return empty;
      // A node is in scope when its folder is a root or lies below one. Byte-wise ranges on the
      // interned path keep `/home/anabela` out of `/home/ana`.
      rootClause = `AND (${roots.map(() => '(d.path = ? OR (d.path >= ? AND d.path < ?))').join(' OR ')})`;
      for (const root of roots) rootParams.push(root, `${root}/`, `${root}0`);
    }
    // Matching names are read in order in chunks (the distinct names are far fewer than the
    // nodes); for each name the (name, folder) index yields its paths already grouped. Nothing is
    // sorted as a whole, so a broad pattern costs no more than the page plus a capped count.
    const namesChunk = this.stmt(`SELECT id, name, folded FROM names WHERE ${match} AND (folded, name) > (?, ?)
      ORDER BY folded, name LIMIT 2000`);
    const groupsOf = this.stmt(`SELECT n.dir AS dirId, d.path AS dir, n.snap AS snap, max(s.time_ms) AS newest, count(*) AS count
      FROM nodes n JOIN snapshots s ON s.id = n.snap JOIN dirs d ON d.id = n.dir
      WHERE n.name_id = ? AND n.snap IN (${[...new Set(snaps)].join(',')}) ${rootClause}
      GROUP BY n.dir ORDER BY n.dir`);
    const nodeOf = this.stmt('SELECT type, size, mtime FROM nodes WHERE snap = ? AND dir = ? AND name_id = ?');

    const items: SearchHit[] = [];
    let total = 0;
    let after: [string, string] = ['', ''];
    scan: for (;;) {
      const names = namesChunk.all(matchParam, ...after) as Array<{ id: number; name: string; folded: string }>;
      for (const name of names) {
        const groups = groupsOf.all(name.id, ...rootParams) as Array<{ dirId: number; dir: string; snap: number; count: number }>;
        for (const group of groups) {
          // The SQL ranges narrow the roots; the exact rule (no case on Windows, other users'
          // profile folders hidden) is checked here, before counting, so paging stays exact.
          if (!scope.technician && !pathInScope(scope, joinSnapshotPath(group.dir, name.name))) continue;
          if (total >= offset && items.length < limit) {
            const node = nodeOf.get(group.snap, group.dirId, name.id) as Omit<NodeRow, 'name'>;
            const snap = byRowId.get(group.snap)!;
            items.push({
              ...toEntry(group.dir, { ...node, name: name.name }),
              snapshotId: snap.snap_id, snapshotTime: snap.time, snapshotCount: group.count,
            });
          }
          total += 1;
        }
        if (total >= SEARCH_COUNT_CAP && total >= offset + limit) break scan;
      }
      if (names.length < 2000) return { items, total, totalExact: true, offset, limit };
      const last = names[names.length - 1]!;
      after = [last.folded, last.name];
    }
    return { items, total, totalExact: false, offset, limit };
  }

  /** The distinct versions (by size and modification time) of one path across the visible snapshots, newest first. */
  versions(scope: RestoreScope, path: string): FileVersion[] {
    const target = parseSnapshotPath(path);
    assertPathInScope(scope, target);
    if (target === '/') return [];
    const rows = this.stmt(`SELECT s.snap_id AS id, s.time AS time, s.hostname AS hostname, s.tags AS tags, n.type AS type, n.size AS size, n.mtime AS mtime
      FROM dirs d JOIN names nm ON nm.name = ? CROSS JOIN snapshots s CROSS JOIN nodes n
      WHERE d.path = ? AND s.complete = 1 AND n.snap = s.id AND n.dir = d.id AND n.name_id = nm.id
      ORDER BY s.time_ms DESC`).all(baseName(target), parentPath(target)) as Array<NodeRow & { id: string; time: string; hostname: string; tags: string }>;
    const versions = new Map<string, FileVersion>();
    for (const row of rows) {
      if (!hostVisible(scope, row.hostname) || row.type === DIR) continue;
      if (!instanceVisible(scope, JSON.parse(row.tags) as string[])) continue;
      const key = `${row.size}:${row.mtime}`;
      let version = versions.get(key);
      if (!version) {
        version = { size: row.size, mtime: new Date(row.mtime).toISOString(), type: nodeTypes[row.type] ?? 'irregular', snapshots: [] };
        versions.set(key, version);
      }
      version.snapshots.push({ id: row.id, time: row.time });
    }
    return [...versions.values()];
  }

  /**
   * Files present in the snapshot under `folder` that do not exist on this machine now
   * ("restore missing files"). `exists` defaults to checking the local form of the path.
   */
  missingFiles(
    scope: RestoreScope, snapshotId: string, folder: string,
    options: { exists?: (snapshotPath: string) => boolean; limit?: number } = {},
  ): { items: Entry[]; truncated: boolean } {
    const row = this.snapshotRow(scope, snapshotId);
    const root = parseSnapshotPath(folder);
    assertPathInScope(scope, root);
    const exists = options.exists ?? ((p: string) => existsSync(toLocalPath(p)));
    const limit = Math.min(Math.max(1, options.limit ?? 10_000), 100_000);
    const items: Entry[] = [];
    const hides = this.holdsOtherProfiles(scope, row.id, root);
    for (const file of this.filesUnder(row.id, root)) {
      if (hides && !pathInScope(scope, file.path)) continue;
      if (exists(file.path)) continue;
      if (items.length === limit) return { items, truncated: true };
      items.push(file);
    }
    return { items, truncated: false };
  }

  private *filesUnder(snap: number, root: string): Generator<Entry> {
    const node = this.nodeAt(snap, root);
    if (!node) return;
    if (node.type !== DIR) {
      if (node.type === FILE) yield toEntry(parentPath(root), node);
      return;
    }
    const [lower, upper] = root === '/' ? ['/', '\u{10FFFF}'] : [`${root}/`, `${root}0`];
    const rows = this.stmt(`SELECT d.path AS dir, nm.name AS name, n.type AS type, n.size AS size, n.mtime AS mtime
      FROM dirs d CROSS JOIN nodes n JOIN names nm ON nm.id = n.name_id
      WHERE (d.path = ? OR (d.path >= ? AND d.path < ?)) AND n.snap = ? AND n.dir = d.id AND n.type = ${FILE}
      ORDER BY d.path, nm.name`).iterate(root, lower, upper, snap) as IterableIterator<NodeRow & { dir: string }>;
    for (const r of rows) yield toEntry(r.dir, r);
  }

  /** True when a folder of the snapshot holds, below it, a folder of another user's profile that the scope hides. */
  private holdsOtherProfiles(scope: RestoreScope, snap: number, folder: string): boolean {
    if (!mayHoldProfiles(scope, folder)) return false;
    const [lower, upper] = folder === '/' ? ['/', '\u{10FFFF}'] : [`${folder}/`, `${folder}0`];
    const dirs = this.stmt(`SELECT d.path FROM dirs d WHERE (d.path = ? OR (d.path >= ? AND d.path < ?))
      AND EXISTS (SELECT 1 FROM nodes n WHERE n.snap = ? AND n.dir = d.id)`).pluck().iterate(folder, lower, upper, snap) as IterableIterator<string>;
    for (const dir of dirs) if (otherProfile(scope, dir)) return true;
    return false;
  }

  /** What a restore of `paths` would bring back: type, file count and bytes of each, from the index. */
  selection(scope: RestoreScope, snapshotId: string, paths: string[]): { snapshot: IndexedSnapshot; items: SelectionItem[] } {
    const row = this.snapshotRow(scope, snapshotId);
    const items = paths.map((input) => {
      const path = parseSnapshotPath(input);
      assertPathInScope(scope, path);
      const node = this.nodeAt(row.id, path);
      if (!node) throw new CofreError('restore.error.notInSnapshot', { params: { path } });
      if (node.type !== DIR) {
        return { path, type: nodeTypes[node.type] ?? 'irregular', files: node.type === FILE ? 1 : 0, bytes: node.size };
      }
      // restic restores a folder whole: one that also holds another user's profile folder
      // (`/home`, `C:\Users`, `C:\`) cannot be restored by an end user, only their folders in it.
      if (this.holdsOtherProfiles(scope, row.id, path)) {
        throw new CofreError('restore.error.holdsOtherProfiles', { cause: 'invalid-input', params: { path: toLocalPath(path) } });
      }
      const [lower, upper] = path === '/' ? ['/', '\u{10FFFF}'] : [`${path}/`, `${path}0`];
      const sums = this.stmt(`SELECT count(*) AS files, coalesce(sum(n.size), 0) AS bytes
        FROM dirs d CROSS JOIN nodes n WHERE (d.path = ? OR (d.path >= ? AND d.path < ?)) AND n.snap = ? AND n.dir = d.id AND n.type = ${FILE}`)
        .get(path, lower, upper, row.id) as { files: number; bytes: number };
      return { path, type: 'dir' as const, files: sums.files, bytes: sums.bytes };
    });
    return { snapshot: toSnapshot(row), items };
  }
}

function paging(options: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 500)), MAX_PAGE);
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  if (!Number.isFinite(limit) || !Number.isFinite(offset)) throw new CofreError('error.invalidInput', { params: { details: 'paging' }, cause: 'invalid-input' });
  return { limit, offset };
}

function toEntry(folder: string, row: NodeRow): Entry {
  return {
    name: row.name,
    path: joinSnapshotPath(folder, row.name),
    type: nodeTypes[row.type] ?? 'irregular',
    size: row.size,
    mtime: new Date(row.mtime).toISOString(),
  };
}

function toSnapshot(row: SnapshotRow): IndexedSnapshot {
  return {
    id: row.snap_id,
    shortId: row.short_id,
    time: row.time,
    hostname: row.hostname,
    username: row.username,
    paths: JSON.parse(row.paths) as string[],
    tags: JSON.parse(row.tags) as string[],
    nodeCount: row.node_count,
    fileCount: row.file_count,
    totalSize: row.total_size,
    buildMs: row.build_ms,
  };
}

function sqliteCode(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

function sqliteReason(error: unknown): string {
  return `${sqliteCode(error) || 'error'}: ${error instanceof Error ? error.message : String(error)}`;
}

/** SQLITE_NOTADB, SQLITE_CORRUPT and its extended codes (SQLITE_CORRUPT_INDEX, ...). */
export function isDamaged(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}
