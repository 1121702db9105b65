// `cofre fleet --json` at the Prefeitura's scale and beyond, against the real rest-server, side by
// side with raw restic (`restic snapshots --json` over every repository, same concurrency).
//   npx tsx bench/fleet.bench.ts
//   env FLEET_REPOS=5 FLEET_HOSTS=40 FLEET_SNAPSHOTS=365 (issue 14's target: 50 x 40 x 365)
//       FLEET_CONCURRENCY=4 FLEET_RESTIC=0.18 FLEET_DIR=<folder to keep the generated fleet in>
// Each repository is made by real restic: `init`, then one real `restic backup --host h --time t
// --tag plan:documentos,created-by:h` per host (its oldest snapshot). The other snapshots of each
// host are that snapshot's JSON with a later time and a slowly growing file count, sealed with the
// repository's master key in restic's own format (bench/fleet-snapshots.ts); restic itself
// verifies them (`snapshots --json` count, `check` of one repository) before anything is timed.
// Timed: cold (empty cache), warm (cache, nothing changed), warm after one new real snapshot in
// one repository. Peak memory: cofre and its restic children together, sampled from /proc.
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTree, makeTempDir, removeDir, repoRoot, resticBinary, startRestServer } from '../test/fixtures/index.js';
import { sampleRss, type RssPeak } from './fleet-rss.js';
import { readMasterKey, writeSnapshot } from './fleet-snapshots.js';

const REPOS = Number(process.env.FLEET_REPOS ?? 5);
const HOSTS = Number(process.env.FLEET_HOSTS ?? 40);
const SNAPSHOTS = Number(process.env.FLEET_SNAPSHOTS ?? 365);
const CONCURRENCY = Number(process.env.FLEET_CONCURRENCY ?? 4);
const LABEL = (process.env.FLEET_RESTIC ?? '0.18') as '0.14' | '0.18' | '0.19';
const KEEP_DIR = process.env.FLEET_DIR;
const PASSWORD = 'bench-fleet-pw';
const PASSWORD_ENV = 'COFRE_FLEET_BENCH_PASSWORD';
const PLAN = 'documentos';
const DAY = 86_400_000;
const departments = ['Educação', 'Saúde', 'Finanças', 'Obras', 'Administração', 'Cultura', 'Assistência Social', 'Meio Ambiente', 'Gabinete', 'Tributação'];

function log(message: string): void {
  process.stderr.write(`[fleet-bench] ${message}\n`);
}

const repoName = (r: number) => `setor-${String(r).padStart(2, '0')}`;
const hostName = (r: number, h: number) => `pm-${String(r).padStart(2, '0')}-${String(h).padStart(2, '0')}`;

/** Most machines back up daily until an hour ago; a few stopped (late, overdue), as in a real fleet. */
function lastBackupLagMs(h: number): number {
  if (h % 20 === 19) return 6 * DAY;
  if (h % 20 === 18) return 2 * DAY;
  return 3_600_000 + (h % 7) * 600_000;
}

async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: Math.round(performance.now() - start), value };
}

async function main(): Promise<void> {
  const { bin, version } = resticBinary(LABEL);
  const work = KEEP_DIR ?? (await makeTempDir('fleet-bench'));
  const dataDir = join(work, 'rest');
  await mkdir(dataDir, { recursive: true });
  const rest = await startRestServer({ dataDir });
  const resticEnv = (name: string, extra: Record<string, string> = {}) => ({ RESTIC_REPOSITORY: rest.repoUri(name), RESTIC_PASSWORD: PASSWORD, HOME: work, ...extra });
  const restic = (name: string, args: string[], extra: Record<string, string> = {}) => execa(bin, args, { env: resticEnv(name, extra), extendEnv: false, stdin: 'ignore' });
  try {
    const source = join(work, 'source');
    if (!existsSync(source)) await generateTree(source, { files: 200, dirs: 10, depth: 2, minSize: 200, maxSize: 4_000, seed: 14 });
    const now = Date.now();
    const generateStart = performance.now();
    let generated = 0;
    let real = 0;
    for (let r = 0; r < REPOS; r += 1) {
      const name = repoName(r);
      const repoDir = join(dataDir, name);
      const marker = join(repoDir, `.bench-${HOSTS}x${SNAPSHOTS}`);
      if (existsSync(marker)) continue; // kept from an earlier run with FLEET_DIR
      await rm(repoDir, { recursive: true, force: true });
      await restic(name, ['init']);
      const hosts = Array.from({ length: HOSTS }, (_, h) => h);
      const firstTime = (h: number) => now - lastBackupLagMs(h) - (SNAPSHOTS - 1) * DAY;
      await pool(hosts, 2, async (h) => {
        const host = hostName(r, h);
        const time = new Date(firstTime(h)).toISOString().replace('T', ' ').slice(0, 19);
        await restic(name, ['backup', '--quiet', '--host', host, '--time', time, '--tag', `plan:${PLAN},created-by:${host}`, source], { TZ: 'UTC' });
        real += 1;
      });
      const key = await readMasterKey(repoDir, PASSWORD);
      const templates = JSON.parse((await restic(name, ['snapshots', '--json', '--no-lock'])).stdout) as Array<Record<string, unknown>>;
      for (const template of templates) {
        const h = Number(String(template.hostname).slice(-2));
        const { id: _id, short_id: _short, ...snapshot } = template;
        const summary = (snapshot.summary ?? {}) as Record<string, number>;
        for (let i = 1; i < SNAPSHOTS; i += 1) {
          const time = new Date(firstTime(h) + i * DAY + (i % 5) * 60_000).toISOString();
          // Files grow as people work; the trend column must have something to draw.
          const files = (summary.total_files_processed ?? 200) + i * 3 + (h % 4) * 50;
          const bytes = (summary.total_bytes_processed ?? 400_000) + i * 12_000 + h * 1_000;
          await writeSnapshot(repoDir, key, { ...snapshot, time, summary: { ...summary, total_files_processed: files, total_bytes_processed: bytes } });
          generated += 1;
        }
      }
      const count = (JSON.parse((await restic(name, ['snapshots', '--json', '--no-lock'])).stdout) as unknown[]).length;
      if (count !== HOSTS * SNAPSHOTS) throw new Error(`${name}: restic lists ${count} snapshots, expected ${HOSTS * SNAPSHOTS}`);
      if (r === 0) {
        const check = await restic(name, ['check', '--no-cache'], {});
        if (!/no errors were found/.test(check.stdout)) throw new Error(`restic check ${name}: ${check.stdout}`);
        log(`${name}: restic check found no errors in ${count} snapshots`);
      }
      await writeFile(marker, '');
      log(`${name}: ${HOSTS} real backups + ${HOSTS * (SNAPSHOTS - 1)} sealed snapshots, restic lists ${count}`);
    }
    const generateMs = Math.round(performance.now() - generateStart);

    // The fleet file IT would write: one repository per department, the password from the environment.
    const fleetFile = join(work, 'fleet.json');
    await writeFile(fleetFile, JSON.stringify({
      version: 1,
      defaults: { frequency: 'daily' },
      repositories: Array.from({ length: REPOS }, (_, r) => ({
        id: repoName(r),
        department: `${departments[r % departments.length]!}${r >= departments.length ? ` ${Math.floor(r / departments.length) + 1}` : ''}`,
        uri: rest.repoUri(repoName(r)),
        password: { env: PASSWORD_ENV },
      })),
    }, null, 2));

    const cofreData = join(work, 'cofre-data');
    const cofre = async (): Promise<{ ms: number; rss: RssPeak; report: FleetOutput }> => {
      let child: ResultPromise | undefined;
      const sampler = sampleRss(() => (child?.pid ? [child.pid] : []));
      const { ms, value } = await timed(async () => {
        child = execa('node', [join(repoRoot, 'bin', 'cofre.mjs'), 'fleet', '--file', fleetFile, '--json', '--data-dir', cofreData, '--restic', bin, '--policy', join(work, 'no-policy.json')], {
          cwd: repoRoot, env: { [PASSWORD_ENV]: PASSWORD, HOME: work, PATH: process.env.PATH ?? '' }, extendEnv: false, reject: false,
        });
        return child;
      });
      const rss = sampler.stop();
      if (value.exitCode !== 0 && value.exitCode !== 2) throw new Error(`cofre fleet exited ${value.exitCode}: ${String(value.stderr).slice(-2000)}`);
      return { ms, rss, report: JSON.parse(String(value.stdout)) as FleetOutput };
    };
    const running = new Set<number>();
    const raw = async (cacheDir: string | null): Promise<{ ms: number; rss: RssPeak; snapshots: number }> => {
      const sampler = sampleRss(() => [...running]);
      let snapshots = 0;
      const { ms } = await timed(() => pool(Array.from({ length: REPOS }, (_, r) => repoName(r)), CONCURRENCY, async (name) => {
        const child = restic(name, ['snapshots', '--json', '--no-lock', ...(cacheDir ? ['--cache-dir', cacheDir] : ['--no-cache'])]);
        if (child.pid) running.add(child.pid);
        const result = await child;
        if (child.pid) running.delete(child.pid);
        snapshots += (JSON.parse(result.stdout) as unknown[]).length;
      }));
      return { ms, rss: sampler.stop(), snapshots };
    };

    await rm(cofreData, { recursive: true, force: true });
    await mkdir(cofreData, { recursive: true });
    const rawCache = join(work, 'raw-cache');
    await rm(rawCache, { recursive: true, force: true });

    log(`timing: ${REPOS} repositories x ${HOSTS} hosts x ${SNAPSHOTS} snapshots, restic ${version}, concurrency ${CONCURRENCY}`);
    const cold = await cofre();
    const rawCold = await raw(rawCache);
    log(`cold: cofre ${cold.ms} ms (${cold.rss.treeMb} MB with restic, ${cold.rss.rootMb} MB node), raw ${rawCold.ms} ms (${rawCold.rss.treeMb} MB)`);
    const warm = await cofre();
    const rawWarm = await raw(rawCache);
    log(`warm: cofre ${warm.ms} ms (${warm.rss.treeMb} MB), raw ${rawWarm.ms} ms (${rawWarm.rss.treeMb} MB)`);
    const changedHost = hostName(0, 0);
    await restic(repoName(0), ['backup', '--quiet', '--host', changedHost, '--tag', `plan:${PLAN},created-by:${changedHost}`, source]);
    real += 1;
    const oneNew = await cofre();
    const rawOneNew = await raw(rawCache);
    log(`one new snapshot: cofre ${oneNew.ms} ms (${oneNew.rss.treeMb} MB), raw ${rawOneNew.ms} ms (${rawOneNew.rss.treeMb} MB)`);

    // restic's own count before the new snapshot, plus that one (a kept FLEET_DIR may hold earlier new ones).
    const expected = rawCold.snapshots + 1;
    if (rawCold.snapshots < REPOS * HOSTS * SNAPSHOTS) throw new Error(`restic lists ${rawCold.snapshots} snapshots, fewer than the ${REPOS * HOSTS * SNAPSHOTS} generated`);
    const counted = oneNew.report.repositories.reduce((n, repo) => n + repo.snapshotCount, 0);
    if (counted !== expected || rawOneNew.snapshots !== expected) throw new Error(`snapshot count: cofre ${counted}, raw ${rawOneNew.snapshots}, expected ${expected}`);
    const sources = (report: FleetOutput) => [...new Set(report.repositories.map((repo) => repo.source))].join('/');
    const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
    const row = (name: string, c: Awaited<ReturnType<typeof cofre>>, r: Awaited<ReturnType<typeof raw>>) => ({
      run: name, cofreMs: c.ms, rawMs: r.ms, ratio: ratio(c.ms, r.ms), cofrePeakRssMb: c.rss.treeMb, cofreNodePeakRssMb: c.rss.rootMb,
      rawPeakRssMb: r.rss.treeMb, rssRatio: ratio(c.rss.treeMb, r.rss.treeMb), repoSources: sources(c.report),
    });
    const summary = {
      benchmark: 'fleet',
      date: new Date().toISOString(),
      restic: version,
      server: 'restic-rest-server 0.14 (--no-auth)',
      size: { repositories: REPOS, hosts: HOSTS, snapshotsPerHost: SNAPSHOTS, snapshots: expected, machines: oneNew.report.totals.machines },
      concurrency: CONCURRENCY,
      generation: { ms: generateMs, realBackups: real, sealedSnapshots: generated },
      rows: [row('cold (no cache)', cold, rawCold), row('warm (cache, nothing changed)', warm, rawWarm), row('warm, one new snapshot in one repository', oneNew, rawOneNew)],
      totals: oneNew.report.totals,
    };
    const out = join(repoRoot, 'bench', 'results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'fleet.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await rest.close();
    if (!KEEP_DIR) await removeDir(work);
    else log(`fleet kept in ${work} (${(await readdir(dataDir)).length} repositories)`);
  }
}

/** The part of `cofre fleet --json` (electron/core/fleet/schema.ts FleetReport) the benchmark checks. */
interface FleetOutput {
  totals: { machines: number; ok: number; late: number; overdue: number; unreadable: number };
  repositories: Array<{ id: string; snapshotCount: number; source: string; readable: boolean }>;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
