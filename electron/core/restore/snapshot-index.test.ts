import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LsNode } from '../restic/types.js';
import { CofreError } from '../errors.js';
import Database from 'better-sqlite3';
import { SnapshotIndex } from './snapshot-index.js';
import type { RestoreScope } from './scope.js';
import type { SnapshotLister, SnapshotMeta } from './types.js';

const tech: RestoreScope = { technician: true, hostname: 'pc-01', roots: [] };
const ana: RestoreScope = { technician: false, hostname: 'pc-01', roots: ['/home/ana'] };

function file(path: string, size: number, mtime: string): LsNode {
  return { name: path.slice(path.lastIndexOf('/') + 1), type: 'file', path, size, mtime };
}
function dir(path: string): LsNode {
  return { name: path.slice(path.lastIndexOf('/') + 1), type: 'dir', path, size: 0, mtime: '2026-11-01T10:00:00-03:00' };
}

/** An in-memory `ls`: one list of nodes per snapshot id, yielded asynchronously like a real stream. */
function lister(trees: Record<string, LsNode[]>, onNode?: (n: number) => void): SnapshotLister {
  return {
    async *ls(snapshotId: string, options?: { signal?: AbortSignal }) {
      let n = 0;
      for (const node of trees[snapshotId] ?? []) {
        options?.signal?.throwIfAborted();
        onNode?.(++n);
        if (n % 100 === 0) await new Promise((r) => setImmediate(r));
        yield node;
      }
    },
  };
}

const snapA: SnapshotMeta = { id: 'a'.repeat(64), time: '2026-11-23T10:00:00-03:00', hostname: 'pc-01' };
const snapB: SnapshotMeta = { id: 'b'.repeat(64), time: '2026-11-24T10:00:00-03:00', hostname: 'pc-01' };
const snapC: SnapshotMeta = { id: 'c'.repeat(64), time: '2026-11-25T14:30:00-03:00', hostname: 'pc-01' };
const other: SnapshotMeta = { id: 'd'.repeat(64), time: '2026-11-25T15:00:00-03:00', hostname: 'pc-02' };

function tree(reportSize: number, reportMtime: string): LsNode[] {
  return [
    dir('/home'),
    dir('/home/ana'),
    dir('/home/ana/Documentos'),
    file('/home/ana/Documentos/Relatório Anual.xlsx', reportSize, reportMtime),
    file('/home/ana/Documentos/notas.txt', 10, '2026-11-01T10:00:00-03:00'),
    dir('/home/ana/Documentos/zeta'),
    file('/home/ana/Documentos/zeta/ÁRVORE.txt', 3, '2026-11-01T10:00:00-03:00'),
    dir('/home/ana/Documentos/Alfa'),
    file('/home/ana/b.txt', 1, '2026-11-01T10:00:00-03:00'),
    dir('/home/anabela'),
    file('/home/anabela/relatorio-secreto.txt', 5, '2026-11-01T10:00:00-03:00'),
  ];
}

let dirPath: string;
let index: SnapshotIndex;
const trees = {
  [snapA.id]: tree(100, '2026-11-20T09:00:00-03:00'),
  [snapB.id]: tree(200, '2026-11-24T09:00:00-03:00'),
  [snapC.id]: tree(200, '2026-11-24T09:00:00-03:00'),
  [other.id]: tree(999, '2026-11-24T09:00:00-03:00'),
};

beforeEach(() => {
  dirPath = mkdtempSync(join(tmpdir(), 'cofre-index-'));
  index = new SnapshotIndex(join(dirPath, 'index.sqlite'));
});
afterEach(() => {
  index.close();
  rmSync(dirPath, { recursive: true, force: true });
});

async function buildAll(): Promise<void> {
  for (const meta of [snapA, snapB, snapC, other]) await index.ensureIndexed(meta, lister(trees));
}

describe('snapshot index', () => {
  it('lists a folder with folders first, then names ignoring case and accents', async () => {
    await buildAll();
    const page = index.listChildren(tech, snapA.id, '/home/ana/Documentos');
    expect(page.items.map((e) => `${e.type}:${e.name}`)).toEqual([
      'dir:Alfa', 'dir:zeta', 'file:notas.txt', 'file:Relatório Anual.xlsx',
    ]);
    expect(page.total).toBe(4);
    const report = page.items[3]!;
    expect(report).toMatchObject({ path: '/home/ana/Documentos/Relatório Anual.xlsx', size: 100 });
    expect(report.mtime).toBe(new Date('2026-11-20T09:00:00-03:00').toISOString());
    const bySize = index.listChildren(tech, snapA.id, '/home/ana/Documentos', { sort: 'size', direction: 'desc', limit: 1, offset: 2 });
    expect(bySize.items.map((e) => e.name)).toEqual(['Relatório Anual.xlsx']);
    expect(bySize.total).toBe(4);
    expect(index.listChildren(tech, snapA.id, '/').items.map((e) => e.name)).toEqual(['home']);
    expect(index.listChildren(tech, snapA.id, '/home/ana/Documentos/Alfa').total).toBe(0);
    expect(() => index.listChildren(tech, snapA.id, '/nope')).toThrow(CofreError);
  });

  it('finds "relatorio" in "Relatório" and supports globs', async () => {
    await buildAll();
    const hits = index.search(tech, 'relatorio', { snapshotIds: [snapA.id] });
    expect(hits.items.map((h) => h.path)).toEqual([
      '/home/ana/Documentos/Relatório Anual.xlsx', '/home/anabela/relatorio-secreto.txt',
    ]);
    expect(index.search(tech, 'RELATÓRIO anual').total).toBe(1);
    expect(index.search(tech, 'arvore').items[0]!.name).toBe('ÁRVORE.txt');
    expect(index.search(tech, '*.XLSX').items.map((h) => h.name)).toEqual(['Relatório Anual.xlsx']);
    expect(index.search(tech, 'b.tx?').items.map((h) => h.name)).toEqual(['b.txt']);
    expect(index.search(tech, 'xlsx*').total).toBe(0);
    // across all snapshots a path appears once, described by its newest snapshot
    const all = index.search(tech, 'anual');
    expect(all.items).toHaveLength(1);
    expect(all.items[0]).toMatchObject({ snapshotId: other.id, snapshotCount: 4, size: 999 });
    const paged = index.search(tech, 't', { limit: 2, offset: 1 });
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBe(7); // Documentos, zeta and five file names contain a t
  });

  it('groups the versions of a file by size and modification time, newest first', async () => {
    await buildAll();
    const versions = index.versions(ana, '/home/ana/Documentos/Relatório Anual.xlsx');
    expect(versions.map((v) => v.size)).toEqual([200, 100]);
    expect(versions[0]!.snapshots.map((s) => s.id)).toEqual([snapC.id, snapB.id]);
    expect(versions[1]!.snapshots.map((s) => s.id)).toEqual([snapA.id]);
    expect(index.versions(tech, '/home/ana/Documentos/Relatório Anual.xlsx').map((v) => v.size)).toEqual([999, 200, 100]);
    expect(index.versions(ana, '/home/ana/none.txt')).toEqual([]);
  });

  it('lists files present in a snapshot but missing now', async () => {
    await buildAll();
    const present = new Set(['/home/ana/Documentos/notas.txt', '/home/ana/b.txt']);
    const missing = index.missingFiles(ana, snapA.id, '/home/ana', { exists: (p) => present.has(p) });
    expect(missing.items.map((f) => f.path)).toEqual([
      '/home/ana/Documentos/Relatório Anual.xlsx', '/home/ana/Documentos/zeta/ÁRVORE.txt',
    ]);
    expect(missing.truncated).toBe(false);
    expect(index.missingFiles(ana, snapA.id, '/home/ana', { exists: () => false, limit: 1 }).truncated).toBe(true);
  });

  it('sums the files of a selection from the index', async () => {
    await buildAll();
    const { items } = index.selection(ana, snapA.id, ['/home/ana/Documentos', '/home/ana/b.txt']);
    expect(items).toEqual([
      { path: '/home/ana/Documentos', type: 'dir', files: 3, bytes: 113 },
      { path: '/home/ana/b.txt', type: 'file', files: 1, bytes: 1 },
    ]);
    expect(() => index.selection(ana, snapA.id, ['/home/ana/ghost'])).toThrow(/not in the chosen backup/);
  });

  it('keeps an end user inside their roots and their machine', async () => {
    await buildAll();
    const forbidden = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as CofreError).code;
      }
      return 'allowed';
    };
    expect(index.listChildren(ana, snapA.id, '/home').items.map((e) => e.name)).toEqual(['ana']);
    expect(index.listChildren(ana, snapA.id, '/').items.map((e) => e.name)).toEqual(['home']);
    expect(forbidden(() => index.listChildren(ana, snapA.id, '/home/anabela'))).toBe('restore.error.outOfScope');
    expect(forbidden(() => index.listChildren(ana, other.id, '/home/ana'))).toBe('error.forbidden');
    expect(forbidden(() => index.versions(ana, '/home/anabela/relatorio-secreto.txt'))).toBe('restore.error.outOfScope');
    expect(forbidden(() => index.missingFiles(ana, snapA.id, '/home'))).toBe('restore.error.outOfScope');
    expect(forbidden(() => index.selection(ana, snapA.id, ['/home/anabela']))).toBe('restore.error.outOfScope');
    expect(forbidden(() => index.search(ana, 'x', { snapshotIds: [other.id] }))).toBe('error.forbidden');
    expect(index.search(ana, 'relatorio').items.map((h) => h.path)).toEqual(['/home/ana/Documentos/Relatório Anual.xlsx']);
    expect(index.search(ana, 'anual').items[0]!.snapshotId).toBe(snapC.id);
    expect(index.snapshots(ana).map((s) => s.id)).toEqual([snapC.id, snapB.id, snapA.id]);
    expect(index.snapshots(tech)).toHaveLength(4);
  });

  it('rejects traversal and malformed paths', async () => {
    await buildAll();
    for (const bad of ['home/ana', '/home/ana/../anabela', '/home/ana/./x', '/home//ana', '/home/ana\0', '']) {
      expect(() => index.listChildren(ana, snapA.id, bad), bad).toThrow(CofreError);
    }
    expect(() => index.listChildren(tech, 'not-hex', '/')).toThrow(/not a valid backup identifier/);
    expect(index.listChildren(tech, snapA.id.slice(0, 8), '/').total).toBe(1);
  });

  it('removes forgotten snapshots and their unused names and folders', async () => {
    await buildAll();
    expect(index.removeStale([snapC.id, other.id])).toEqual([snapA.id, snapB.id]);
    expect(index.snapshots(tech).map((s) => s.id)).toEqual([other.id, snapC.id]);
    expect(index.versions(tech, '/home/ana/Documentos/Relatório Anual.xlsx').map((v) => v.size)).toEqual([999, 200]);
    index.removeStale([]);
    expect(index.snapshots(tech)).toEqual([]);
    expect(index.search(tech, 'a').total).toBe(0);
  });

  it('leaves nothing behind when a build is cancelled, and builds it fully later', async () => {
    const big: LsNode[] = [dir('/data')];
    for (let i = 0; i < 60_000; i++) big.push(file(`/data/f${i}.bin`, i, '2026-11-01T10:00:00Z'));
    const controller = new AbortController();
    const progress: number[] = [];
    const cancelled = index.ensureIndexed(snapA, lister({ [snapA.id]: big }, (n) => n === 40_000 && controller.abort()), {
      signal: controller.signal, onProgress: (p) => progress.push(p.nodes),
    });
    await expect(cancelled).rejects.toMatchObject({ code: 'cause.cancelled' });
    expect(progress.at(-1)).toBeGreaterThanOrEqual(35_000);
    expect(index.isIndexed(snapA.id)).toBe(false);
    expect(() => index.listChildren(tech, snapA.id, '/data')).toThrow(/not available/);

    const built = await index.ensureIndexed(snapA, lister({ [snapA.id]: big }));
    expect(built).toMatchObject({ nodeCount: 60_001, fileCount: 60_000 });
    expect(index.listChildren(tech, snapA.id, '/data').total).toBe(60_000);
    expect(index.sizeOnDisk()).toBeGreaterThan(0);
  });

  it('discards a half-built snapshot left by a crashed process when reopened', async () => {
    await index.ensureIndexed(snapA, lister(trees));
    index.close();
    // What a process killed mid-build leaves: committed batches of a snapshot never marked complete.
    const raw = new Database(join(dirPath, 'index.sqlite'));
    raw.prepare(`INSERT INTO snapshots (snap_id, short_id, time, time_ms, hostname, username, paths, tags, complete, builder_pid)
      VALUES (?, 'bbbbbbbb', ?, 0, 'pc-01', '', '[]', '[]', 0, 2147483646)`).run(snapB.id, snapB.time);
    const rowId = raw.prepare('SELECT id FROM snapshots WHERE snap_id = ?').pluck().get(snapB.id);
    raw.prepare('INSERT INTO nodes SELECT ?, dir, name_id, type, size, mtime FROM nodes').run(rowId);
    raw.close();

    index = new SnapshotIndex(join(dirPath, 'index.sqlite'));
    expect(index.isIndexed(snapB.id)).toBe(false);
    expect(index.snapshots(tech).map((s) => s.id)).toEqual([snapA.id]);
    const check = new Database(join(dirPath, 'index.sqlite'));
    expect(check.prepare('SELECT count(*) FROM nodes WHERE snap = ?').pluck().get(rowId)).toBe(0);
    check.close();
  });
});

describe('a damaged index file (issue 15)', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'cofre-index-damaged-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('is dropped and started again instead of failing every command, with SQLite\'s reason kept for the log', async () => {
    const path = join(folder, 'index.sqlite');
    writeFileSync(path, Buffer.from('definitely not sqlite '.repeat(300)));
    const index = new SnapshotIndex(path);
    try {
      expect(index.healed?.reason).toMatch(/^SQLITE_NOTADB/);
      await index.ensureIndexed(snapA, lister({ [snapA.id]: [dir('/home'), dir('/home/ana'), file('/home/ana/a.txt', 3, '2026-11-01T10:00:00Z')] }));
      expect(index.listChildren(tech, snapA.id, '/home/ana').items.map((e) => e.name)).toEqual(['a.txt']);
    } finally {
      index.close();
    }
    const again = new SnapshotIndex(path);
    expect(again.healed).toBeNull();
    again.close();
  });
});

describe('an index damaged where the first queries do not look (issue 15)', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'cofre-index-damaged-late-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('a browse that meets the damage drops the file and answers from a fresh index instead of failing', async () => {
    const path = join(folder, 'index.sqlite');
    const nodes: LsNode[] = [dir('/home'), dir('/home/ana')];
    for (let i = 0; i < 4000; i += 1) nodes.push(file(`/home/ana/documento-${String(i).padStart(5, '0')}-${'x'.repeat(40)}.txt`, i, '2026-11-01T10:00:00Z'));
    const built = new SnapshotIndex(path);
    await built.ensureIndexed(snapA, lister({ [snapA.id]: nodes }));
    built.checkpoint();
    built.close();
    const bytes = readFileSync(path);
    bytes.fill(0x33, Math.floor(bytes.length * 0.4), Math.floor(bytes.length * 0.9)); // node pages, not the schema
    writeFileSync(path, bytes);

    const reasons: string[] = [];
    const index = new SnapshotIndex(path, { onDamaged: (reason) => reasons.push(reason) });
    try {
      expect(index.healed).toBeNull(); // open and the first queries did not notice
      let answer: unknown;
      try {
        answer = index.listChildren(tech, snapA.id, '/home/ana', { limit: 5000 });
      } catch (error) {
        answer = error;
      }
      // A fresh index does not know the snapshot yet: the faces' "not indexed" answer, not SQLite's.
      expect(answer).toBeInstanceOf(CofreError);
      expect((answer as CofreError).code).toBe('restore.error.notIndexed');
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(/^SQLITE_CORRUPT/);
      await index.ensureIndexed(snapA, lister({ [snapA.id]: nodes }));
      expect(index.listChildren(tech, snapA.id, '/home/ana', { limit: 5000 }).items).toHaveLength(4000);
    } finally {
      index.close();
    }
  });
});
