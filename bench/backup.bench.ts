// Backup benchmark: the engine against the raw restic CLI on the same tree, interleaved.
//   npx tsx bench/backup.bench.ts     (env BENCH_RUNS=5 BENCH_FILES=20000 BENCH_MB=200 BENCH_RESTIC=0.18)
// Each run backs up the tree into a fresh local repository (init not timed). Raw restic gets the
// very arguments and environment the engine would use (buildInvocation + backupArgs), with output
// discarded, so the ratio measures only what the engine adds: process handling and JSON parsing.
// Runs alternate which side goes first; one untimed warm-up backup fills the page cache.
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backupArgs, buildInvocation, detectRestic, ResticEngine } from '../electron/core/restic/index.js';
import type { BackupRequest, RepoTarget } from '../electron/core/restic/types.js';
import { generateTree, makeTempDir, removeDir, repoRoot, resticBinary } from '../test/fixtures/index.js';

// Even, so "engine first" and "raw first" runs are equally many: the second backup of a pair finds
// warmer OS caches, and an odd count would tilt the median toward one side.
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const MEGABYTES = Number(process.env.BENCH_MB ?? 200);
const LABEL = (process.env.BENCH_RESTIC ?? '0.18') as '0.14' | '0.18';
const PASSWORD = 'bench-password';

function log(message: string): void {
  process.stderr.write(`[backup-bench] ${message}\n`);
}

function stats(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

async function main(): Promise<void> {
  const { bin, version } = resticBinary(LABEL);
  const { capabilities } = await detectRestic(bin);
  const work = await makeTempDir('backup-bench');
  try {
    const data = join(work, 'data');
    const averageSize = Math.round((MEGABYTES * 1024 * 1024) / FILES);
    log(`generating ${FILES} files, about ${MEGABYTES} MB`);
    const tree = await generateTree(data, { files: FILES, dirs: Math.max(10, Math.round(FILES / 100)), depth: 5, minSize: 0, maxSize: averageSize * 2, seed: 42 });
    log(`tree: ${tree.files.length} files, ${(tree.totalBytes / 1024 / 1024).toFixed(1)} MB`);

    const request: BackupRequest = { planId: 'bench', instance: 'bench-host', paths: [data], host: 'bench-host' };
    let repoCount = 0;
    const freshRepo = async (): Promise<RepoTarget> => {
      repoCount += 1;
      const repo: RepoTarget = { id: `r${repoCount}`, uri: join(work, `repo-${repoCount}`), password: PASSWORD, env: {}, flags: [] };
      const inv = buildInvocation(repo, capabilities, ['init'], { cacheDir: join(work, 'cache') });
      await execa(bin, inv.args, { env: inv.env, extendEnv: false, stdin: 'ignore' });
      return repo;
    };
    const rawBackup = async (repo: RepoTarget): Promise<number> => {
      const inv = buildInvocation(repo, capabilities, backupArgs(request, capabilities), { cacheDir: join(work, 'cache') });
      const start = performance.now();
      await execa(bin, inv.args, { env: inv.env, extendEnv: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
      return performance.now() - start;
    };
    const engineBackup = async (repo: RepoTarget): Promise<number> => {
      const engine = new ResticEngine({ binary: bin, capabilities, repo, cacheDir: join(work, 'cache') });
      let updates = 0;
      const start = performance.now();
      const result = await engine.backup(request, { onProgress: () => (updates += 1) });
      const ms = performance.now() - start;
      if (result.summary.totalFilesProcessed !== tree.files.length) throw new Error(`engine backed up ${result.summary.totalFilesProcessed} files`);
      return ms;
    };

    log('warm-up backup (untimed)');
    await rawBackup(await freshRepo());

    const runs: { run: number; first: 'engine' | 'raw'; engineMs: number; rawMs: number; ratio: number }[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const engineRepo = await freshRepo();
      const rawRepo = await freshRepo();
      const first = run % 2 === 1 ? 'engine' : 'raw';
      let engineMs: number;
      let rawMs: number;
      if (first === 'engine') {
        engineMs = await engineBackup(engineRepo);
        rawMs = await rawBackup(rawRepo);
      } else {
        rawMs = await rawBackup(rawRepo);
        engineMs = await engineBackup(engineRepo);
      }
      const ratio = engineMs / rawMs;
      runs.push({ run, first, engineMs: Math.round(engineMs), rawMs: Math.round(rawMs), ratio: Number(ratio.toFixed(4)) });
      log(`run ${run}/${RUNS} (${first} first): engine ${(engineMs / 1000).toFixed(2)} s, raw ${(rawMs / 1000).toFixed(2)} s, ratio ${ratio.toFixed(3)}`);
    }

    const ratio = stats(runs.map((r) => r.ratio));
    const summary = {
      benchmark: 'backup',
      date: new Date().toISOString(),
      restic: version,
      files: tree.files.length,
      bytes: tree.totalBytes,
      runs,
      engineMs: stats(runs.map((r) => r.engineMs)),
      rawMs: stats(runs.map((r) => r.rawMs)),
      ratio,
      goal: 'median ratio <= 1.03',
      goalMet: ratio.median <= 1.03,
    };
    const out = join(repoRoot, 'bench', 'results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'backup.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(
      `engine/raw wall-time ratio over ${RUNS} runs (restic ${version}, ${tree.files.length} files, ${(tree.totalBytes / 1024 / 1024).toFixed(0)} MB): ` +
        `min ${ratio.min.toFixed(3)}, median ${ratio.median.toFixed(3)}, max ${ratio.max.toFixed(3)} -> ${summary.goalMet ? 'goal met' : 'goal NOT met'}\n`,
    );
  } finally {
    await removeDir(work);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
