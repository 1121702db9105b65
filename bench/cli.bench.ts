// `cofre backup <plan>` (a whole CLI process: start, load config and secrets, run restic, record
// history, exit) against raw `restic backup` of the same tree to the same REST server, interleaved.
// Reports the wall-time ratio for a first backup and for an incremental one.
// Run: npx tsx bench/cli.bench.ts   (COFRE_BENCH_RUNS, COFRE_BENCH_FILES to change the size)
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTree, makeTempDir, rawRestic, removeDir, repoRoot, resticBinary, restRepoEnv, startRestServer } from '../test/fixtures/index.js';

const runs = Number(process.env.COFRE_BENCH_RUNS ?? 5);
const files = Number(process.env.COFRE_BENCH_FILES ?? 5000);
const restic = resticBinary('0.18');
const user = 'bench';
const pass = 'bench-rest-pw';
const repoPassword = 'bench-repo-pw';

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

// Measure the bundle users run: bin/cofre.mjs falls back to tsx (about 1 s slower to start) when
// the bundle is older than the sources, so build it now and do not edit sources while this runs.
await execa('node', [join(repoRoot, 'scripts', 'build-cli.mjs')], { cwd: repoRoot });
const dir = await makeTempDir('bench-cli');
const server = await startRestServer({ users: { [user]: pass } });
try {
  const source = join(dir, 'data');
  const tree = await generateTree(source, { files, dirs: Math.ceil(files / 100), depth: 3, minSize: 1_000, maxSize: 20_000, seed: 11 });
  console.log(`tree: ${tree.files.length} files, ${(tree.totalBytes / 1e6).toFixed(1)} MB; ${runs} interleaved runs`);
  const first: number[] = [];
  const incremental: number[] = [];
  const rows: Array<Record<string, number>> = [];
  for (let i = 0; i < runs; i++) {
    const rawEnv = { ...restRepoEnv(restic, server.repoUri(`raw-${i}`), { user, password: pass }), RESTIC_PASSWORD: repoPassword, RESTIC_CACHE_DIR: join(dir, `cache-raw-${i}`) };
    await rawRestic(restic.bin, ['init'], rawEnv);
    const dataDir = join(dir, `cofre-${i}`);
    await mkdir(dataDir, { recursive: true });
    const config = {
      version: 6,
      instance: 'bench',
      repos: [{ id: 'r', uri: server.repoUri(`cofre-${i}`), password: repoPassword, env: [`RESTIC_REST_USERNAME=${user}`, `RESTIC_REST_PASSWORD=${pass}`] }],
      plans: [{ id: 'p', repo: 'r', paths: [source], retention: { policyKeepAll: true } }],
    };
    await writeFile(join(dir, `backrest-${i}.json`), JSON.stringify(config));
    const cofre = (args: string[]) => execa('node', [join(repoRoot, 'bin', 'cofre.mjs'), ...args, '--data-dir', dataDir, '--restic', restic.bin, '--policy', join(dir, 'none.json')], { cwd: repoRoot });
    await cofre(['config', 'import-backrest', join(dir, `backrest-${i}.json`)]);
    // Initialise Cofre's repository outside the timing, as for raw restic.
    await rawRestic(restic.bin, ['init'], { ...restRepoEnv(restic, server.repoUri(`cofre-${i}`), { user, password: pass }), RESTIC_PASSWORD: repoPassword });

    const rawFirst = await timed(() => rawRestic(restic.bin, ['backup', '--json', '--exclude-caches', source], rawEnv));
    const cofreFirst = await timed(() => cofre(['backup', 'p']));
    const rawIncr = await timed(() => rawRestic(restic.bin, ['backup', '--json', '--exclude-caches', source], rawEnv));
    const cofreIncr = await timed(() => cofre(['backup', 'p']));
    first.push(cofreFirst / rawFirst);
    incremental.push(cofreIncr / rawIncr);
    rows.push({ rawFirst, cofreFirst, rawIncr, cofreIncr });
    console.log(`run ${i + 1}: first ${(cofreFirst / 1000).toFixed(2)} s vs raw ${(rawFirst / 1000).toFixed(2)} s; incremental ${(cofreIncr / 1000).toFixed(2)} s vs raw ${(rawIncr / 1000).toFixed(2)} s`);
  }
  const result = { files: tree.files.length, bytes: tree.totalBytes, runs, firstRatio: stats(first), incrementalRatio: stats(incremental), rows };
  console.log(`cofre CLI / raw restic, first backup:       min ${result.firstRatio.min.toFixed(3)}  median ${result.firstRatio.median.toFixed(3)}  max ${result.firstRatio.max.toFixed(3)}`);
  console.log(`cofre CLI / raw restic, incremental backup: min ${result.incrementalRatio.min.toFixed(3)}  median ${result.incrementalRatio.median.toFixed(3)}  max ${result.incrementalRatio.max.toFixed(3)}`);
  await mkdir(join(repoRoot, 'bench', 'results'), { recursive: true });
  await writeFile(join(repoRoot, 'bench', 'results', 'cli.json'), JSON.stringify(result, null, 2) + '\n');
} finally {
  await server.close();
  await removeDir(dir);
}
