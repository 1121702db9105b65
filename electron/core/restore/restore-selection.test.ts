import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { CofreError } from '../errors.js';
import { keepBothName } from './conflict-names.js';
import { memorySnapshot, type MemoryFile } from './memory-snapshot.test-helper.js';
import { placeRestored } from './place.js';
import { restoreSelection, sweepAbandonedStaging, type RestoreSelectionRequest } from './restore-selection.js';
import type { RestoreScope } from './scope.js';
import { SnapshotIndex } from './snapshot-index.js';
import type { SnapshotSource } from './types.js';

const SNAP = 'e'.repeat(64);
const SNAP_TIME = '2026-11-25T14:30:00-03:00';

let root: string;
let home: string;
let index: SnapshotIndex;
let scope: RestoreScope;

/** Every file under `dir` with its content, skipping nothing: proves what a restore changed. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      const key = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out[`${key}/`] = '';
        walk(full, key);
      } else out[key] = `${readFileSync(full).toString('hex')}@${statSync(full).mtimeMs}`;
    }
  };
  walk(dir, '');
  return out;
}

function write(path: string, content: string, mtime = '2026-11-27T09:00:00Z'): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  utimesSync(path, new Date(mtime), new Date(mtime));
}

async function setup(files: Record<string, MemoryFile>, options: Parameters<typeof memorySnapshot>[1] = {}): Promise<SnapshotSource> {
  const source = memorySnapshot(files, options);
  await index.ensureIndexed({ id: SNAP, time: SNAP_TIME, hostname: 'pc-01' }, source);
  return source;
}

function run(source: SnapshotSource, request: Partial<RestoreSelectionRequest>, extra: { allowReplace?: boolean; signal?: AbortSignal; free?: number } = {}) {
  return restoreSelection(
    { index, source, freeSpace: async () => extra.free ?? 1e12, now: () => new Date('2026-11-27T10:15:42') },
    { snapshotId: SNAP, paths: [], destination: { kind: 'original' }, ...request },
    { scope, allowReplace: extra.allowReplace ?? false, signal: extra.signal },
  );
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cofre-restore-'));
  home = join(root, 'home', 'ana');
  mkdirSync(home, { recursive: true });
  index = new SnapshotIndex(join(root, 'index.sqlite'));
  scope = { technician: false, hostname: 'pc-01', roots: [home] };
});
afterEach(() => {
  index.close();
  rmSync(root, { recursive: true, force: true });
});

describe('conflict names', () => {
  it('puts the snapshot date before the extension', () => {
    const time = new Date(2026, 10, 25, 14, 30);
    expect(keepBothName('Relatório.xlsx', time)).toBe('Relatório (2026-11-25 14.30).xlsx');
    expect(keepBothName('Relatório.xlsx', time, 2)).toBe('Relatório (2026-11-25 14.30) (2).xlsx');
    expect(keepBothName('.bashrc', time)).toBe('.bashrc (2026-11-25 14.30)');
    expect(keepBothName('Makefile', time)).toBe('Makefile (2026-11-25 14.30)');
    expect(keepBothName('pasta.v2', time, 1, true)).toBe('pasta.v2 (2026-11-25 14.30)');
    const long = keepBothName(`${'ç'.repeat(126)}.docx`, time);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith(' (2026-11-25 14.30).docx')).toBe(true);
  });
});

describe('restoreSelection', () => {
  it('keeps the current file and writes the old version beside it (keep-both is the default)', async () => {
    const report = join(home, 'Documentos', 'Relatório.xlsx');
    const source = await setup({ [report]: { content: 'old version', mtime: '2026-11-20T12:00:00Z' } });
    write(report, 'current version');
    const result = await run(source, { paths: [report] });
    const beside = join(home, 'Documentos', keepBothName('Relatório.xlsx', new Date(SNAP_TIME)));
    expect(result).toMatchObject({ restored: 0, keptBoth: 1, unchanged: 0, replaced: 0, skipped: 0, failed: [] });
    expect(result.renamed).toEqual([{ path: report, restoredAs: beside }]);
    expect(readFileSync(report, 'utf8')).toBe('current version');
    expect(readFileSync(beside, 'utf8')).toBe('old version');
    expect(statSync(beside).mtime.toISOString()).toBe('2026-11-20T12:00:00.000Z');
    expect(readdirSync(join(home, 'Documentos')).some((n) => n.startsWith('.cofre-staging'))).toBe(false);
    // Restoring the same version again finds the copy already beside it: nothing new is written.
    const again = await run(source, { paths: [report] });
    expect(again).toMatchObject({ keptBoth: 0, unchanged: 1 });
    // A different current file and a different old copy beside it: the next name is used.
    write(beside, 'edited copy');
    const third = await run(source, { paths: [report] });
    expect(third.renamed[0]!.restoredAs).toBe(join(home, 'Documentos', keepBothName('Relatório.xlsx', new Date(SNAP_TIME), 2)));
  });

  it('replace moves the current file into a dated folder first', async () => {
    const report = join(home, 'Documentos', 'Relatório.xlsx');
    const source = await setup({ [report]: { content: 'old version', mtime: '2026-11-20T12:00:00Z' } });
    write(report, 'current version');
    await expect(run(source, { paths: [report], conflict: 'replace' })).rejects.toMatchObject({ code: 'restore.error.replaceNotAllowed' });
    expect(readFileSync(report, 'utf8')).toBe('current version');
    const result = await run(source, { paths: [report], conflict: 'replace' }, { allowReplace: true });
    expect(result.replaced).toBe(1);
    expect(readFileSync(report, 'utf8')).toBe('old version');
    const kept = join(result.replacedFolder!, 'Relatório.xlsx');
    expect(result.replacedFolder).toContain('2026-11-27 10.15.42');
    expect(readFileSync(kept, 'utf8')).toBe('current version');
  });

  it('skips conflicts on request and leaves identical files alone', async () => {
    const a = join(home, 'a.txt');
    const b = join(home, 'b.txt');
    const c = join(home, 'c.txt');
    const source = await setup({
      [a]: { content: 'same', mtime: '2026-11-20T12:00:00Z' },
      [b]: { content: 'old', mtime: '2026-11-20T12:00:00Z' },
      [c]: { content: 'gone', mtime: '2026-11-20T12:00:00Z' },
    });
    write(a, 'same');
    write(b, 'new');
    const before = tree(home);
    const result = await run(source, { paths: [a, b, c], conflict: 'skip' });
    expect(result).toMatchObject({ restored: 1, unchanged: 1, skipped: 1, keptBoth: 0 });
    expect(tree(home)).toEqual({ ...before, 'c.txt': `${Buffer.from('gone').toString('hex')}@${Date.parse('2026-11-20T12:00:00Z')}` });
  });

  it('merges a folder into an existing one and into a chosen folder, keeping the structure below the selection', async () => {
    const docs = join(home, 'Documentos');
    const source = await setup({
      [join(docs, 'x.txt')]: { content: 'x', mtime: '2026-11-20T12:00:00Z' },
      [join(docs, 'sub', 'y.txt')]: { content: 'y', mtime: '2026-11-20T12:00:00Z' },
      [join(docs, 'sub', 'z.txt')]: { content: 'z-old', mtime: '2026-11-20T12:00:00Z' },
    });
    write(join(docs, 'sub', 'z.txt'), 'z-new');
    write(join(docs, 'mine.txt'), 'untouched');
    const merged = await run(source, { paths: [docs] });
    expect(merged).toMatchObject({ restored: 2, keptBoth: 1 });
    expect(readFileSync(join(docs, 'sub', 'y.txt'), 'utf8')).toBe('y');
    expect(readFileSync(join(docs, 'sub', 'z.txt'), 'utf8')).toBe('z-new');
    expect(readFileSync(join(docs, 'mine.txt'), 'utf8')).toBe('untouched');

    const out = join(home, 'Restaurados', 'novo');
    const elsewhere = await run(source, { paths: [join(docs, 'sub'), join(docs, 'x.txt')], destination: { kind: 'folder', path: out } });
    expect(elsewhere).toMatchObject({ restored: 3, destination: home });
    expect(readFileSync(join(out, 'sub', 'z.txt'), 'utf8')).toBe('z-old');
    expect(readFileSync(join(out, 'x.txt'), 'utf8')).toBe('x');
  });

  it('leaves the destination exactly as it was when restic fails or is cancelled', async () => {
    const docs = join(home, 'Documentos');
    const files: Record<string, MemoryFile> = {};
    for (let i = 0; i < 20; i++) files[join(docs, `f${i}.txt`)] = { content: `old ${i}`, mtime: '2026-11-20T12:00:00Z' };
    write(join(docs, 'f3.txt'), 'current');
    const before = tree(home);

    const failing = await setup(files, { failAfterFiles: 5 });
    await expect(run(failing, { paths: [docs] })).rejects.toMatchObject({ code: 'restore.error.failed' });
    expect(tree(home)).toEqual(before);

    const controller = new AbortController();
    const hanging = memorySnapshot(files, { hangAfterFiles: 7 });
    const pending = run(hanging, { paths: [docs] }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ code: 'cause.cancelled' });
    expect(tree(home)).toEqual(before);
  });

  it('refuses before writing anything when the free space is not enough', async () => {
    const big = join(home, 'big.iso');
    let called = false;
    const source = await setup({ [big]: { content: 'x'.repeat(1000), mtime: '2026-11-20T12:00:00Z' } }, { onRestore: () => (called = true) });
    const before = tree(home);
    const error = await run(source, { paths: [big] }, { free: 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CofreError);
    expect((error as CofreError).code).toBe('restore.error.noSpace');
    expect((error as CofreError).toPayload('pt-BR').message).toMatch(/Não há espaço livre suficiente/);
    expect(called).toBe(false);
    expect(tree(home)).toEqual(before);
  });

  it('refuses other users, other folders and traversal', async () => {
    const other = join(root, 'home', 'anabela', 'segredo.txt');
    const source = await setup({
      [other]: { content: 's', mtime: '2026-11-20T12:00:00Z' },
      [join(home, 'a.txt')]: { content: 'a', mtime: '2026-11-20T12:00:00Z' },
    });
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: CofreError) => e.code);
    expect(await code(run(source, { paths: [other] }))).toBe('restore.error.outOfScope');
    expect(await code(run(source, { paths: [join(home, 'a.txt')], destination: { kind: 'folder', path: join(root, 'home', 'anabela') } }))).toBe('error.forbidden');
    expect(await code(run(source, { paths: [`${home}/../anabela/segredo.txt`] }))).toBe('restore.error.invalidPath');
    expect(await code(run(source, { paths: ['relative/a.txt'] }))).toBe('restore.error.invalidPath');
    expect(await code(run(source, { paths: [`${home}/a.txt\0`] }))).toBe('restore.error.invalidPath');
    expect(await code(run(source, { paths: [join(home, 'a.txt')], destination: { kind: 'folder', path: `${home}/../anabela` } }))).toBe('restore.error.invalidDestination');
    expect(await code(run(source, { paths: [] }))).toBe('restore.error.emptySelection');
    expect(existsSync(join(root, 'home', 'anabela'))).toBe(false);
    scope = { technician: true, hostname: 'pc-01', roots: [] };
    expect((await run(source, { paths: [other] })).restored).toBe(1);
  });

  it('round-trips hostile names byte for byte', async () => {
    const names = ['espaço e acentuação.txt', 'cafe\u0301-nfd.txt', 'café-nfc.txt', '-rf --help', 'line\nbreak.txt', '*?[x].txt', 'ü'.repeat(120)];
    const files: Record<string, MemoryFile> = {};
    for (const name of names) files[join(home, 'h', name)] = { content: Buffer.from(name), mtime: '2026-11-20T12:00:00Z' };
    const source = await setup(files);
    const out = join(home, 'out');
    const result = await run(source, { paths: [join(home, 'h')], destination: { kind: 'folder', path: out } });
    expect(result.restored).toBe(names.length);
    expect(readdirSync(join(out, 'h')).sort()).toEqual([...names].sort());
    for (const name of names) expect(readFileSync(join(out, 'h', name))).toEqual(Buffer.from(name));
  });
});

describe('placeRestored', () => {
  it('undoes every move when a later one fails, so the destination is unchanged', async () => {
    const staging = join(root, 'staging');
    const dest = join(home, 'Documentos');
    for (let i = 0; i < 5; i++) write(join(staging, 'Documentos', `f${i}.txt`), `restored ${i}`);
    write(join(staging, 'Documentos', 'conflict.txt'), 'restored');
    write(join(dest, 'conflict.txt'), 'current');
    write(join(dest, 'f0.txt'), 'current 0');
    const before = tree(home);
    let renames = 0;
    const error = await placeRestored({
      items: [{ staged: join(staging, 'Documentos'), dest, snapshotPath: '/x' }],
      conflict: 'replace',
      snapshotTime: new Date(SNAP_TIME),
      replacedFolder: join(home, 'replaced', 'now'),
      replacedBase: home,
      fs: {
        rename: async (from, to) => {
          if (++renames === 4) throw new Error('EIO: disk went away');
          const { rename } = await import('node:fs/promises');
          await rename(from, to);
        },
        mkdir: async (p) => {
          const { mkdir } = await import('node:fs/promises');
          await mkdir(p);
        },
        rmdir: async (p) => {
          const { rmdir } = await import('node:fs/promises');
          await rmdir(p);
        },
      },
    }).catch((e: unknown) => e);
    expect((error as CofreError).code).toBe('restore.error.placeFailed');
    // The 4th move failed; the 3 done before are undone through the same fs (as the user, in service mode).
    expect(renames).toBe(7);
    expect(tree(home)).toEqual(before);
  });
});

describe('staging left behind by a killed restore', () => {
  it('is removed once abandoned, while fresh staging folders and user folders stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cofre-sweep-'));
    try {
      const dead = join(dir, '.cofre-staging-999999999-abc');
      const alive = join(dir, `.cofre-staging-${process.pid}-def`);
      mkdirSync(join(dead, 'home'), { recursive: true });
      writeFileSync(join(dead, 'home', 'copia.txt'), 'x');
      mkdirSync(alive);
      mkdirSync(join(dir, '.cofre-staging-999999998-recent'));
      mkdirSync(join(dir, 'Documentos'));
      const old = new Date(Date.now() - 2 * 3_600_000);
      utimesSync(dead, old, old);
      utimesSync(alive, old, old); // old but its restore is still running in this process
      const removed = await sweepAbandonedStaging(dir, path.posix, new Date());
      expect(removed).toEqual([dead]);
      expect(readdirSync(dir).sort()).toEqual([`.cofre-staging-${process.pid}-def`, '.cofre-staging-999999998-recent', 'Documentos']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
