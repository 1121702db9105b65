// Restore benchmark: the snapshot index against raw restic, side by side in the same run.
//   npx tsx bench/restore.bench.ts            (env BENCH_FILES=200000 BENCH_SNAPSHOTS=10)
// A generated tree of >= 200,000 files is backed up 10 times (a few files change between
// backups) into a local repository with restic 0.18; then we measure folder listing, name search,
// single-file restore and index build, and write bench/results/restore.json.
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectRestic, ResticEngine } from '../electron/core/restic/index.js';
import type { Snapshot } from '../electron/core/restic/types.js';
import { restoreSelection } from '../electron/core/restore/restore-selection.js';
import type { RestoreScope } from '../electron/core/restore/scope.js';
import { SnapshotIndex } from '../electron/core/restore/snapshot-index.js';
import { generateTree, makeTempDir, rawRestic, removeDir, repoRoot, resticBinary } from '../test/fixtures/index.js';

const FILES = Number(process.env.BENCH_FILES ?? 200_000);
const SNAPSHOTS = Number(process.env.BENCH_SNAPSHOTS ?? 10);
const PASSWORD = 'bench-password';
const HOST = 'cofre-bench';

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const median = (values: number[]) => quantile(values, 0.5);

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

function log(message: string): void {
  process.stderr.write(`[restore-bench] ${message}\n`);
}

async function main(): Promise<void> {
  const { bin, version } = resticBinary('0.18');
  const work = await makeTempDir('restore-bench');
  const env = { RESTIC_REPOSITORY: join(work, 'repo'), RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(work, 'cache') };
  const data = join(work, 'data');
  try {
    log(`generating ${FILES} files`);
    const tree = await generateTree(data, { files: FILES, dirs: Math.max(50, Math.round(FILES / 100)), depth: 4, minSize: 0, maxSize: 512, seed: 7 });
    await rawRestic(bin, ['init'], env);
    const target = tree.files[Math.floor(tree.files.length / 2)]!;
    for (let i = 0; i < SNAPSHOTS; i++) {
      // A few changed files per backup, the target among them, so versions differ.
      for (const rel of [target, ...tree.files.slice(i * 10, i * 10 + 10)]) {
        const file = join(data, rel);
        await writeFile(file, `version ${i} of ${rel}\n`);
        const when = new Date(Date.UTC(2026, 10, 1 + i, 9));
        await utimes(file, when, when);
      }
      const [ms] = await timed(() => rawRestic(bin, ['backup', '--host', HOST, data], env, { timeoutMs: 900_000 }));
      log(`backup ${i + 1}/${SNAPSHOTS}: ${(ms / 1000).toFixed(1)} s`);
    }

    const { capabilities } = await detectRestic(bin);
    const engine = new ResticEngine({
      binary: bin, capabilities, cacheDir: env.RESTIC_CACHE_DIR,
      repo: { id: 'bench', uri: env.RESTIC_REPOSITORY, password: PASSWORD, env: {}, flags: [] },
      log: () => undefined,
    });
    const snapshots: Snapshot[] = (await engine.snapshots({})).sort((a: Snapshot, b: Snapshot) => Date.parse(a.time) - Date.parse(b.time));
    const latest = snapshots.at(-1)!;
    const index = new SnapshotIndex(join(work, 'index.sqlite'));
    const scope: RestoreScope = { technician: false, hostname: HOST, roots: [data] };

    // Index build vs a full `restic ls --json`, interleaved so both see the same machine load.
    const lsMs: number[] = [];
    const buildMs: number[] = [];
    for (const snapshot of snapshots) {
      const [raw] = await timed(() => rawRestic(bin, ['ls', '--json', snapshot.id], env, { timeoutMs: 600_000 }));
      lsMs.push(raw);
      const [built, info] = await timed(() => index.ensureIndexed(snapshot, engine));
      buildMs.push(built);
      log(`snapshot ${snapshot.shortId}: restic ls ${(raw / 1000).toFixed(2)} s, index build ${(built / 1000).toFixed(2)} s (${info.nodeCount} nodes)`);
    }
    index.checkpoint();
    const indexBytes = index.sizeOnDisk();

    // Folder listing: every folder of the tree from the index; a sample with restic ls <snap> <dir>.
    const folders = new Set<string>();
    for (const rel of tree.files) folders.add(join(data, rel, '..'));
    const folderList = [...folders];
    const listMs: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const folder of folderList) listMs.push((await timed(() => index.listChildren(scope, latest.id, folder, { limit: 500 })))[0]);
    }
    const rawListMs: number[] = [];
    for (const folder of folderList.slice(0, 5)) {
      rawListMs.push((await timed(() => rawRestic(bin, ['ls', latest.id, folder], env)))[0]);
    }

    // Name search across all snapshots vs restic find (which also searches every snapshot).
    const targetName = target.slice(target.lastIndexOf('/') + 1);
    const searchMs: number[] = [];
    let hits = 0;
    for (let i = 0; i < 5; i++) {
      const [ms, page] = await timed(() => index.search(scope, targetName));
      searchMs.push(ms);
      hits = page.total;
    }
    const globMs: number[] = [];
    for (let i = 0; i < 5; i++) globMs.push((await timed(() => index.search(scope, '*relat*.pdf')))[0]);
    const rawFindMs: number[] = [];
    for (let i = 0; i < 2; i++) rawFindMs.push((await timed(() => rawRestic(bin, ['find', targetName], env, { timeoutMs: 600_000 })))[0]);

    // Single-file restore of an old version: Cofre (staging + move into place) vs restic restore --include.
    const targetPath = join(data, target);
    const oldest = snapshots[0]!;
    const restoreMs: number[] = [];
    const rawRestoreMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const rawTarget = join(work, `raw-restore-${i}`);
      rawRestoreMs.push((await timed(() => rawRestic(bin, ['restore', oldest.id, '--target', rawTarget, '--include', targetPath], env)))[0]);
      const ours = join(data, `cofre-restore-${i}`);
      const [ms, result] = await timed(() => restoreSelection(
        { index, source: engine }, { snapshotId: oldest.id, paths: [targetPath], destination: { kind: 'folder', path: ours } },
        { scope, allowReplace: false },
      ));
      if (result.restored !== 1) throw new Error(`restore restored ${result.restored} files`);
      restoreMs.push(ms);
      await rm(ours, { recursive: true, force: true });
      await rm(rawTarget, { recursive: true, force: true });
    }
    const versions = index.versions(scope, targetPath).length;
    index.close();

    const nodes = (await readdir(data, { recursive: true })).length;
    const rows = [
      { metric: 'folder listing p50 (ms)', cofre: median(listMs), restic: median(rawListMs), goal: '<= 50 ms p95' },
      { metric: 'folder listing p95 (ms)', cofre: quantile(listMs, 0.95), restic: quantile(rawListMs, 0.95), goal: '<= 50 ms, >= 50x faster' },
      { metric: `name search, ${snapshots.length} snapshots (ms)`, cofre: median(searchMs), restic: median(rawFindMs), goal: '<= 200 ms' },
      { metric: 'glob search *relat*.pdf (ms)', cofre: median(globMs), restic: median(rawFindMs), goal: '<= 200 ms' },
      { metric: 'single-file restore (ms)', cofre: median(restoreMs), restic: median(rawRestoreMs), goal: '<= 1.2x raw' },
      { metric: 'index build vs ls --json (ms)', cofre: median(buildMs), restic: median(lsMs), goal: '<= 1.3x raw' },
    ].map((row) => ({ ...row, ratio: row.cofre / row.restic }));

    const table = [
      `restic ${version}, ${nodes} nodes on disk (${tree.files.length} files), ${snapshots.length} snapshots, index ${(indexBytes / 1024 / 1024).toFixed(1)} MiB`,
      `${'metric'.padEnd(36)} ${'cofre'.padStart(10)} ${'restic'.padStart(10)} ${'ratio'.padStart(8)}  goal`,
      ...rows.map((r) => `${r.metric.padEnd(36)} ${r.cofre.toFixed(1).padStart(10)} ${r.restic.toFixed(1).padStart(10)} ${r.ratio.toFixed(3).padStart(8)}  ${r.goal}`),
      `search hits for "${targetName}": ${hits}; versions of the target: ${versions}`,
    ].join('\n');
    process.stdout.write(`${table}\n`);

    const out = join(repoRoot, 'bench', 'results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'restore.json'), `${JSON.stringify({
      date: new Date().toISOString(),
      restic: version,
      files: tree.files.length,
      snapshots: snapshots.length,
      indexBytes,
      indexBytesPerNodePerSnapshot: indexBytes / (nodes * snapshots.length),
      rows,
      samples: { listCalls: listMs.length, rawListMs, searchMs, globMs, rawFindMs, restoreMs, rawRestoreMs, buildMs, lsMs },
    }, null, 2)}\n`);
  } finally {
    await removeDir(work);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
