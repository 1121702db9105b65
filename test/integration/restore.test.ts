// Restore against real restic (0.14 and 0.18) and a real REST server: the snapshot index built
// from the engine's streamed `ls`, versions across backups, and safe restores that never destroy
// a file. Backups are made with the raw restic CLI so this file tests only the restore side.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CofreError } from '../../electron/core/errors.js';
import { detectRestic, ResticEngine } from '../../electron/core/restic/index.js';
import type { Snapshot } from '../../electron/core/restic/types.js';
import { keepBothName } from '../../electron/core/restore/conflict-names.js';
import { restoreSelection, type RestoreSelectionRequest } from '../../electron/core/restore/restore-selection.js';
import type { RestoreScope } from '../../electron/core/restore/scope.js';
import { SnapshotIndex } from '../../electron/core/restore/snapshot-index.js';
import {
  hashTree, hostileNames, makeTempDir, rawRestic, removeDir, resticBinaries, startRestServer, type RestServer,
} from '../fixtures/index.js';

const HOST = 'cofre-restore-test';
const PASSWORD = 'restore-test-password';

describe.each(resticBinaries)('restore with restic $label', ({ label, bin }) => {
  let server: RestServer;
  let work: string;
  let home: string;
  let otherHome: string;
  let env: Record<string, string>;
  let index: SnapshotIndex;
  let engine: ResticEngine;
  let snapshots: Snapshot[]; // oldest first
  const report = () => join(home, 'Documentos', 'Relatório Financeiro.xlsx');
  const versionsOfReport = ['primeira versão', 'segunda versão, maior', 'terceira versão, a atual no disco'];
  const mtimes = ['2026-11-20T09:00:00Z', '2026-11-21T09:00:00Z', '2026-11-22T09:00:00Z'];
  const user = (): RestoreScope => ({ technician: false, hostname: HOST, roots: [home], home });

  const restore = (request: Partial<RestoreSelectionRequest>, options: { allowReplace?: boolean; signal?: AbortSignal; free?: number } = {}) =>
    restoreSelection(
      { index, source: engine, ...(options.free !== undefined ? { freeSpace: async () => options.free! } : {}) },
      { snapshotId: snapshots[2]!.id, paths: [], destination: { kind: 'original' }, ...request },
      { scope: user(), allowReplace: options.allowReplace ?? false, signal: options.signal },
    );

  const backup = async () => {
    await rawRestic(bin, ['backup', '--host', HOST, join(work, 'home')], env);
  };

  beforeAll(async () => {
    server = await startRestServer();
    work = await makeTempDir(`restore-${label}`);
    home = join(work, 'home', 'ana');
    otherHome = join(work, 'home', 'anabela');
    env = { RESTIC_REPOSITORY: server.repoUri(`restore-${label}-${randomBytes(3).toString('hex')}`), RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(work, 'cache') };
    await rawRestic(bin, ['init'], env);

    await mkdir(join(home, 'Documentos', 'Projetos'), { recursive: true });
    await mkdir(join(home, 'hostile'), { recursive: true });
    await mkdir(join(home, 'big'), { recursive: true });
    await mkdir(otherHome, { recursive: true });
    await writeFile(join(otherHome, 'segredo.txt'), 'not for ana');
    for (const [i, name] of ['a.txt', 'b.txt', 'c.txt'].entries()) await writeFile(join(home, 'Documentos', 'Projetos', name), `projeto ${i}`);
    for (const name of hostileNames) await writeFile(join(home, 'hostile', name), `conteúdo de ${name}`);
    // Incompressible and large enough that a restore is still running when it is cancelled.
    await writeFile(join(home, 'big', 'video.bin'), randomBytes(96 * 1024 * 1024));

    for (const [i, content] of versionsOfReport.entries()) {
      await writeFile(report(), content);
      await utimes(report(), new Date(mtimes[i]!), new Date(mtimes[i]!));
      await backup();
    }

    const { capabilities } = await detectRestic(bin);
    engine = new ResticEngine({
      binary: bin, capabilities, cacheDir: join(work, 'cache'),
      repo: { id: 'restore-test', uri: env.RESTIC_REPOSITORY!, password: PASSWORD, env: {}, flags: [] },
      log: () => undefined,
    });
    snapshots = (await engine.snapshots({})).sort((a: Snapshot, b: Snapshot) => Date.parse(a.time) - Date.parse(b.time));
    expect(snapshots).toHaveLength(3);
    index = new SnapshotIndex(join(work, 'index.sqlite'));
    for (const snapshot of snapshots) await index.ensureIndexed(snapshot, engine);
  }, 300_000);

  afterAll(async () => {
    index?.close();
    await server?.close();
    if (work) await removeDir(work);
  });

  it('indexes every snapshot and lists a folder from the index', () => {
    const page = index.listChildren(user(), snapshots[0]!.id, join(home, 'Documentos'));
    expect(page.items.map((e) => `${e.type}:${e.name}`)).toEqual(['dir:Projetos', 'file:Relatório Financeiro.xlsx']);
    expect(index.search(user(), 'relatorio financeiro').items.map((h) => h.path)).toEqual([report()]);
  });

  it('a file changed across three backups has three versions', () => {
    const versions = index.versions(user(), report());
    expect(versions.map((v) => v.size)).toEqual([...versionsOfReport].reverse().map((c) => Buffer.byteLength(c)));
    expect(versions.map((v) => v.mtime)).toEqual([...mtimes].reverse().map((m) => new Date(m).toISOString()));
    expect(versions.map((v) => v.snapshots.map((s) => s.id))).toEqual([[snapshots[2]!.id], [snapshots[1]!.id], [snapshots[0]!.id]]);
  });

  it('restoring an old version to the original place keeps the current file', async () => {
    const result = await restore({ snapshotId: snapshots[0]!.id, paths: [report()] });
    const beside = join(home, 'Documentos', keepBothName('Relatório Financeiro.xlsx', new Date(snapshots[0]!.time)));
    expect(result).toMatchObject({ keptBoth: 1, restored: 0, failed: [] });
    expect(await readFile(report())).toEqual(Buffer.from(versionsOfReport[2]!));
    expect(await readFile(beside)).toEqual(Buffer.from(versionsOfReport[0]!));
    expect((await stat(beside)).mtime.toISOString()).toBe(new Date(mtimes[0]!).toISOString());
    expect((await readdir(join(home, 'Documentos'))).filter((n) => n.startsWith('.cofre'))).toEqual([]);
    await rm(beside);
  });

  it('replace keeps the replaced file recoverable', async () => {
    await expect(restore({ snapshotId: snapshots[1]!.id, paths: [report()], conflict: 'replace' }))
      .rejects.toMatchObject({ code: 'restore.error.replaceNotAllowed' });
    const result = await restore({ snapshotId: snapshots[1]!.id, paths: [report()], conflict: 'replace' }, { allowReplace: true });
    expect(result.replaced).toBe(1);
    expect(await readFile(report())).toEqual(Buffer.from(versionsOfReport[1]!));
    const kept = join(result.replacedFolder!, 'Relatório Financeiro.xlsx');
    expect(await readFile(kept)).toEqual(Buffer.from(versionsOfReport[2]!));
    // Put today's file back for the next tests (the user would do the same from the replaced folder).
    await rm(report());
    await writeFile(report(), versionsOfReport[2]!);
    await utimes(report(), new Date(mtimes[2]!), new Date(mtimes[2]!));
    await rm(dirname(result.replacedFolder!), { recursive: true, force: true });
  });

  it('a folder restore merges with what is there', async () => {
    const projects = join(home, 'Documentos', 'Projetos');
    await rm(join(projects, 'a.txt'));
    await writeFile(join(projects, 'b.txt'), 'changed since the backup');
    await writeFile(join(projects, 'new.txt'), 'made after the backup');
    const result = await restore({ paths: [projects] });
    expect(result).toMatchObject({ restored: 1, keptBoth: 1, unchanged: 1, failed: [] });
    expect(await readFile(join(projects, 'a.txt'), 'utf8')).toBe('projeto 0');
    expect(await readFile(join(projects, 'b.txt'), 'utf8')).toBe('changed since the backup');
    expect(await readFile(result.renamed[0]!.restoredAs, 'utf8')).toBe('projeto 1');
    expect(await readFile(join(projects, 'new.txt'), 'utf8')).toBe('made after the backup');
  });

  it('a restore cancelled midway leaves the destination unchanged', async () => {
    await rm(join(home, 'big', 'video.bin'));
    const before = await hashTree(home);
    const controller = new AbortController();
    // Cancel once restic has started writing the file into staging.
    const watcher = setInterval(async () => {
      const staging = (await readdir(join(home, 'big'))).find((n) => n.startsWith('.cofre-staging-'));
      if (!staging) return;
      const inside = await readdir(join(home, 'big', staging), { recursive: true }).catch(() => [] as string[]);
      if (inside.some((p) => p.endsWith('video.bin'))) controller.abort();
    }, 10);
    try {
      await expect(restore({ paths: [join(home, 'big', 'video.bin')] }, { signal: controller.signal }))
        .rejects.toMatchObject({ code: 'cause.cancelled' });
    } finally {
      clearInterval(watcher);
    }
    expect(controller.signal.aborted).toBe(true);
    expect(await hashTree(home)).toEqual(before);
  });

  it('a user cannot list or restore another user\'s home folder', async () => {
    const code = (fn: () => unknown) => Promise.resolve().then(fn).then(() => 'allowed', (e: CofreError) => e.code);
    expect(await code(() => index.listChildren(user(), snapshots[2]!.id, otherHome))).toBe('restore.error.otherProfile');
    expect(await code(() => index.versions(user(), join(otherHome, 'segredo.txt')))).toBe('restore.error.otherProfile');
    expect(await code(() => restore({ paths: [join(otherHome, 'segredo.txt')], destination: { kind: 'folder', path: join(home, 'loot') } })))
      .toBe('restore.error.otherProfile');
    // Even a scope whose roots include every home keeps the other user's folder hidden.
    const everyHome: RestoreScope = { ...user(), roots: [join(work, 'home')] };
    expect(index.listChildren(everyHome, snapshots[2]!.id, join(work, 'home')).items.map((e) => e.name)).toEqual(['ana']);
    expect(index.search(everyHome, 'segredo').total).toBe(0);
    // ...nor restored with the folder that holds it, nor listed among "missing files".
    expect(await code(() => index.selection(everyHome, snapshots[2]!.id, [join(work, 'home')]))).toBe('restore.error.holdsOtherProfiles');
    expect(await code(() => index.selection(everyHome, snapshots[2]!.id, [home]))).toBe('allowed');
    const missing = index.missingFiles(everyHome, snapshots[2]!.id, join(work, 'home'), { exists: () => false }).items;
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.filter((f) => f.path.startsWith(`${otherHome}/`))).toEqual([]);
    expect(index.search(user(), 'segredo').total).toBe(0);
    expect(existsSync(join(home, 'loot'))).toBe(false);
  });

  it('hostile names round-trip byte-identical', async () => {
    const out = join(home, 'restored-hostile');
    const result = await restore({ paths: [join(home, 'hostile')], destination: { kind: 'folder', path: out } });
    expect(result.restored).toBe(hostileNames.length);
    expect(await hashTree(join(out, 'hostile'))).toEqual(await hashTree(join(home, 'hostile')));
    const glob = hostileNames.find((n) => n.includes('*'))!;
    const single = await restore({ paths: [join(home, 'hostile', glob)], destination: { kind: 'folder', path: join(out, 'single') } });
    expect(single.restored).toBe(1);
    expect(await readdir(join(out, 'single'))).toEqual([glob]);
    await rm(out, { recursive: true });
  });

  it('not enough free space gives the clear error before any write', async () => {
    const before = await hashTree(home);
    const error = await restore({ paths: [join(home, 'Documentos')], destination: { kind: 'folder', path: join(home, 'novo') } }, { free: 1024 })
      .catch((e: unknown) => e);
    expect((error as CofreError).code).toBe('restore.error.noSpace');
    expect((error as CofreError).toPayload('pt-BR').message).toMatch(/^Não há espaço livre suficiente/);
    expect(await hashTree(home)).toEqual(before);
  });
});
