// What cron, Task Scheduler and RMM tools run, `cofre backup <plan>` with the plan's retention
// applied before it exits, against the same job done by hand: raw `restic backup` then
// `restic forget` with the same keep rule, same tags and same data, to the real rest-server.
//   npx tsx bench/retention.bench.ts   (env BENCH_RUNS=8 BENCH_FILES=10000 BENCH_RESTIC=0.18)
// Each side has its own repository, warmed with two untimed backups so that every timed run's
// forget really removes one snapshot (keep last 2). Between runs about 1% of the files change, as
// between two working days. Runs alternate which side goes first; the median ratio is reported.
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { backupArgs, buildInvocation, detectRestic, forgetArgs } from '../electron/core/restic/index.js';
import type { RepoTarget } from '../electron/core/restic/types.js';
import { answersHttp, freePort, generateTree, makeTempDir, removeDir, repoRoot, resticBinary } from '../test/fixtures/index.js';
import { spawnServer, stopServer, waitUntilReady } from '../test/fixtures/process.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 8);
const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const LABEL = (process.env.BENCH_RESTIC ?? '0.18') as '0.14' | '0.18';
const PASSWORD = 'bench-repo-pw';
const KEEP_LAST = 2;
const PLAN = 'documentos';
const INSTANCE = 'bench-pc';
const restServerBin = join(repoRoot, '.tools', 'rest-server', 'usr', 'bin', 'restic-rest-server');

function log(message: string): void {
  process.stderr.write(`[retention-bench] ${message}\n`);
}

function stats(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const { bin, version } = resticBinary(LABEL);
  const { capabilities } = await detectRestic(bin);
  const work = await makeTempDir('retention-bench');
  const port = await freePort();
  const server = spawnServer(restServerBin, ['--path', join(work, 'rest'), '--listen', `127.0.0.1:${port}`, '--no-auth']);
  try {
    await waitUntilReady(server, () => answersHttp(`http://127.0.0.1:${port}/`), `restic-rest-server on port ${port}`);
    const uri = (name: string) => `rest:http://127.0.0.1:${port}/${name}/`;
    const data = join(work, 'data');
    log(`generating ${FILES} files`);
    const tree = await generateTree(data, { files: FILES, dirs: Math.max(10, Math.round(FILES / 100)), depth: 4, minSize: 500, maxSize: 20_000, seed: 23 });
    log(`tree: ${tree.files.length} files, ${(tree.totalBytes / 1024 / 1024).toFixed(1)} MB; restic ${version}; rest-server at ${port}`);

    // Raw restic gets what Cofre would pass: the same backup and forget arguments and environment.
    const rawRepo: RepoTarget = { id: 'raw', uri: uri('raw'), password: PASSWORD, env: {}, flags: [] };
    const request = { planId: PLAN, instance: INSTANCE, paths: [data], host: hostname() };
    const raw = (command: string[]) => {
      const inv = buildInvocation(rawRepo, capabilities, command, { cacheDir: join(work, 'cache-raw') });
      return execa(bin, inv.args, { env: inv.env, extendEnv: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
    };
    const rawRun = async () => {
      await raw(backupArgs(request, capabilities));
      await raw(forgetArgs({ planId: PLAN, instance: INSTANCE, retention: { keepLast: KEEP_LAST } }));
    };

    const dataDir = join(work, 'cofre');
    await mkdir(dataDir, { recursive: true });
    const backrest = {
      version: 6,
      instance: INSTANCE,
      repos: [{ id: 'setor', uri: uri('cofre'), password: PASSWORD, autoUnlock: true }],
      plans: [{ id: PLAN, repo: 'setor', paths: [data], schedule: { disabled: true }, retention: { policyKeepLastN: KEEP_LAST } }],
    };
    await writeFile(join(work, 'backrest.json'), JSON.stringify(backrest));
    const cofre = (args: string[]) => execa('node', [join(repoRoot, 'bin', 'cofre.mjs'), ...args, '--data-dir', dataDir, '--restic', bin, '--policy', join(work, 'none.json')], { cwd: repoRoot });
    await cofre(['config', 'import-backrest', join(work, 'backrest.json')]);
    let cofreRemoved = 0;
    const cofreRun = async () => {
      const result = await cofre(['backup', PLAN, '--json']);
      const out = JSON.parse(result.stdout) as { status: string; retention: { status: string; removed: number } | null };
      if (out.status !== 'success' || out.retention?.status !== 'success') throw new Error(`cofre backup: ${result.stdout}`);
      cofreRemoved += out.retention.removed;
    };

    // Repositories are created outside the timing, for both sides.
    for (const repo of [rawRepo, { ...rawRepo, id: 'cofre', uri: uri('cofre') }]) {
      const inv = buildInvocation(repo, capabilities, ['init']);
      await execa(bin, inv.args, { env: inv.env, extendEnv: false, stdin: 'ignore' });
    }
    log('warm-up: two untimed runs per side');
    for (let i = 0; i < KEEP_LAST; i++) {
      await rawRun();
      await cofreRun();
    }
    cofreRemoved = 0;

    const changeSome = async (run: number) => {
      const step = 100;
      for (let i = run % step; i < tree.files.length; i += step) await writeFile(join(data, tree.files[i]!), `changed in run ${run}\n`);
    };

    const runs: { run: number; first: 'cofre' | 'raw'; cofreMs: number; rawMs: number; ratio: number }[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await changeSome(run);
      const first = run % 2 === 1 ? 'cofre' : 'raw';
      let cofreMs: number;
      let rawMs: number;
      if (first === 'cofre') {
        cofreMs = await timed(cofreRun);
        rawMs = await timed(rawRun);
      } else {
        rawMs = await timed(rawRun);
        cofreMs = await timed(cofreRun);
      }
      const ratio = cofreMs / rawMs;
      runs.push({ run, first, cofreMs: Math.round(cofreMs), rawMs: Math.round(rawMs), ratio: Number(ratio.toFixed(4)) });
      log(`run ${run}/${RUNS} (${first} first): cofre backup+retention ${(cofreMs / 1000).toFixed(2)} s, raw backup+forget ${(rawMs / 1000).toFixed(2)} s, ratio ${ratio.toFixed(3)}`);
    }
    if (cofreRemoved !== RUNS) throw new Error(`retention removed ${cofreRemoved} snapshots over ${RUNS} runs, expected ${RUNS}`);

    const ratio = stats(runs.map((r) => r.ratio));
    const summary = {
      benchmark: 'retention',
      date: new Date().toISOString(),
      restic: version,
      server: 'restic-rest-server 0.14 (--no-auth)',
      files: tree.files.length,
      bytes: tree.totalBytes,
      keepLast: KEEP_LAST,
      runs,
      cofreMs: stats(runs.map((r) => r.cofreMs)),
      rawMs: stats(runs.map((r) => r.rawMs)),
      ratio,
      goal: 'median ratio <= 1.10',
      goalMet: ratio.median <= 1.1,
    };
    const out = join(repoRoot, 'bench', 'results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'retention.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(
      `cofre backup + retention / raw restic backup + forget over ${RUNS} runs (restic ${version}, ${tree.files.length} files): ` +
        `min ${ratio.min.toFixed(3)}, median ${ratio.median.toFixed(3)}, max ${ratio.max.toFixed(3)} -> ${summary.goalMet ? 'goal met' : 'goal NOT met'}\n`,
    );
  } finally {
    await stopServer(server);
    await removeDir(work);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
