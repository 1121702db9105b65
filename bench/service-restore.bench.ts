// Service restore benchmark (issue 13): what restoring as the requesting OS user costs, side by
// side in the same run with raw restic and with the in-process restore.
//   npx tsx bench/service-restore.bench.ts          (env BENCH_FILES=8000, as root)
// A generated tree (BENCH_FILES small files in ~BENCH_FILES/100 folders) is backed up once with
// restic 0.19 into a local repository; then the whole tree folder is restored, 3 interleaved runs each:
//   a. raw `restic restore <id> --target <dir> --include <folder>` (the floor),
//   b. Cofre in-process (no placeAs), as root into a root-owned folder,
//   c. Cofre as a service user: a temp OS user, destination in a home-like folder of theirs, with
//      placeAs / beforePlace / stagingParent wired as agent/restore-job.ts does,
//   d. c again with conflict 'replace' over a changed copy, so every file takes two moves,
//   e. (diagnostic) b again with 'replace': tells the cost of two moves from the cost of the user's child.
// Correctness is checked on every run (file count, owners, contents) and a miss fails the bench.
// Writes bench/results/service-restore.json. Needs root (it creates an OS user): skipped otherwise.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chmod, chown, lstat, mkdir, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SessionOwner } from '../electron/core/agent/ports.js';
import { detectRestic, ResticEngine } from '../electron/core/restic/index.js';
import { restoreJournalDir } from '../electron/core/restore/placement-journal.js';
import { restoreSelection, type ConflictPolicy, type RestoreSelectionReport } from '../electron/core/restore/restore-selection.js';
import type { RestoreScope } from '../electron/core/restore/scope.js';
import { SnapshotIndex } from '../electron/core/restore/snapshot-index.js';
import { giveToOwner, ownedStagingParent, privateStagingParent } from '../electron/core/service/owned-restore.js';
import { userFsFor } from '../electron/core/service/user-fs.js';
import { generateTree, makeTempDir, rawRestic, removeDir, repoRoot, resticBinary } from '../test/fixtures/index.js';

const FILES = Number(process.env.BENCH_FILES ?? 8_000);
const RUNS = 3;
const PASSWORD = 'bench-password';
const HOST = 'cofre-bench';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function log(message: string): void {
  process.stderr.write(`[service-restore-bench] ${message}\n`);
}

function fail(message: string): never {
  throw new Error(`service restore bench: ${message}`);
}

/** The phases of one Cofre restore: restic into staging, then (service) giving it away, then the moves. */
interface Phases {
  totalMs: number;
  resticMs: number;
  giveMs: number;
  placeMs: number;
  report: RestoreSelectionReport;
}

/**
 * Writes back what the previous step left dirty (a removed or changed tree of thousands of files),
 * so its write-back is not timed as part of the next run.
 */
function settle(): void {
  execFileSync('sync');
}

/** Every regular file below `dir`, relative, with `/`. */
async function filesBelow(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesBelow(join(dir, entry.name), rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** Where ownedStagingParent stages for `dir`: `.cofre-staging` at the top of its volume. */
async function volumeStaging(dir: string): Promise<string> {
  const dev = (await stat(dir)).dev;
  let top = dir;
  while (dirname(top) !== top && (await stat(dirname(top))).dev === dev) top = dirname(top);
  return join(top, '.cofre-staging');
}

/** A temp OS user as in user-fs.test.ts: no home on disk, the default group; removed in `finally`. */
function createTempUser(): SessionOwner {
  const username = `cfb${randomBytes(3).toString('hex')}`;
  execFileSync('useradd', ['-M', '-N', '-s', '/bin/sh', username]);
  const uid = Number(execFileSync('id', ['-u', username]).toString());
  const gid = Number(execFileSync('id', ['-g', username]).toString());
  return { uid, gid, username, homeDir: '' };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    process.stdout.write('service-restore bench skipped: needs root (it creates a temporary OS user and restores as it)\n');
    return;
  }
  if (!existsSync('/usr/sbin/useradd') || !existsSync('/usr/sbin/userdel')) {
    process.stdout.write('service-restore bench skipped: needs useradd and userdel\n');
    return;
  }
  const { bin, version } = resticBinary('0.19');
  const work = await makeTempDir('service-restore-bench');
  // The user must pass through the work folder to reach their home-like folder (mkdtemp makes 0700).
  await chmod(work, 0o755);
  const env = { RESTIC_REPOSITORY: join(work, 'repo'), RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(work, 'cache') };
  const data = join(work, 'data');
  const rootOwned = join(work, 'root-dest');
  const home = join(work, 'home');
  const dataDir = join(work, 'agent-data');
  const volumeStagingFolder = await volumeStaging(work);
  const stagingExisted = existsSync(volumeStagingFolder);
  let owner: SessionOwner | undefined;
  let index: SnapshotIndex | undefined;
  try {
    owner = createTempUser();
    const user = owner;
    await mkdir(home, { mode: 0o755 });
    await chown(home, user.uid, user.gid);
    await mkdir(rootOwned, { mode: 0o755 });
    await mkdir(dataDir, { mode: 0o700 });
    log(`temp user ${user.username} (${user.uid}:${user.gid})`);

    log(`generating ${FILES} files`);
    const tree = await generateTree(data, { files: FILES, dirs: Math.max(8, Math.round(FILES / 100)), depth: 3, minSize: 0, maxSize: 2048, seed: 13 });
    await rawRestic(bin, ['init'], env);
    await rawRestic(bin, ['backup', '--host', HOST, data], env, { timeoutMs: 900_000 });

    const { capabilities } = await detectRestic(bin);
    const engine = new ResticEngine({
      binary: bin, capabilities, cacheDir: env.RESTIC_CACHE_DIR,
      repo: { id: 'bench', uri: env.RESTIC_REPOSITORY, password: PASSWORD, env: {}, flags: [] },
      log: () => undefined,
    });
    const [snapshot] = await engine.snapshots({});
    if (!snapshot) fail('no snapshot after the backup');
    index = new SnapshotIndex(join(work, 'index.sqlite'));
    await index.ensureIndexed(snapshot, engine);
    const scope: RestoreScope = { technician: false, hostname: HOST, roots: [data, rootOwned, home] };
    const journal = { dir: restoreJournalDir(dataDir), repoId: 'bench' };
    const expected = tree.files.length;
    const folderName = data.slice(data.lastIndexOf('/') + 1);

    const cofreRestore = async (destination: string, conflict: ConflictPolicy, asService: boolean): Promise<Phases> => {
      settle();
      const marks = { start: performance.now(), restored: 0, given: 0 };
      // As restore-job.ts: the user's fs is opened inside the job and closed when it ends.
      const asUser = asService ? await userFsFor(user) : null;
      let report: RestoreSelectionReport;
      try {
        const give = asUser ? giveToOwner(user, asUser) : null;
        report = await restoreSelection(
          { index: index!, source: engine, journal },
          { snapshotId: snapshot.id, paths: [data], destination: { kind: 'folder', path: destination }, conflict },
          {
            scope, allowReplace: true, allowOutsideRoots: false,
            // The hook only takes the time when restic is done; the service's own hook runs inside it.
            beforePlace: async (prepared) => {
              marks.restored = performance.now();
              await give?.(prepared);
              marks.given = performance.now();
            },
            ...(asUser ? {
              stagingParent: user.uid === 0 ? privateStagingParent : ownedStagingParent,
              placeAs: { fs: asUser, owner: { uid: user.uid, gid: user.gid, username: user.username } },
            } : {}),
          },
        );
      } finally {
        await asUser?.close();
      }
      const end = performance.now();
      return { totalMs: end - marks.start, resticMs: marks.restored - marks.start, giveMs: marks.given - marks.restored, placeMs: end - marks.given, report };
    };

    /** File count, and owner + content of every 97th file (and the top folder), or the bench fails. */
    const verify = async (label: string, top: string, uid: number, changed = false): Promise<void> => {
      const found = await filesBelow(top);
      if (found.length !== expected) fail(`${label}: ${found.length} files in ${top}, expected ${expected}`);
      if ((await lstat(top)).uid !== uid) fail(`${label}: ${top} is owned by uid ${(await lstat(top)).uid}, expected ${uid}`);
      for (let i = 0; i < tree.files.length; i += 97) {
        const rel = tree.files[i]!;
        const info = await lstat(join(top, rel));
        if (info.uid !== uid) fail(`${label}: ${rel} is owned by uid ${info.uid}, expected ${uid}`);
        const [restored, original] = await Promise.all([readFile(join(top, rel)), readFile(join(data, rel))]);
        if (!restored.equals(original)) fail(`${label}: ${rel} differs from the backed-up file${changed ? ' (the changed copy was not replaced)' : ''}`);
      }
    };

    const samples = { rawMs: [] as number[], inProcess: [] as Phases[], asUser: [] as Phases[], replace: [] as Phases[], replaceInProcess: [] as Phases[] };
    for (let run = 0; run < RUNS; run++) {
      // a. the floor
      const rawTarget = join(work, `raw-${run}`);
      settle();
      const rawStart = performance.now();
      await rawRestic(bin, ['restore', snapshot.id, '--target', rawTarget, '--include', data], env, { timeoutMs: 900_000 });
      samples.rawMs.push(performance.now() - rawStart);
      await verify('raw restic', join(rawTarget, data), 0);
      await rm(rawTarget, { recursive: true, force: true });

      // b. in-process, root into a root-owned folder
      const ours = join(rootOwned, `run-${run}`);
      const b = await cofreRestore(ours, 'keep-both', false);
      if (b.report.restored !== expected) fail(`in-process restore placed ${b.report.restored} files, expected ${expected}`);
      await verify('in-process', join(ours, folderName), 0);
      samples.inProcess.push(b);

      // e. (diagnostic) 'replace' in-process over a changed copy: what two moves per file cost without the user's child.
      for (const rel of tree.files) await appendFile(join(ours, folderName, rel), 'changed\n');
      const e = await cofreRestore(ours, 'replace', false);
      if (e.report.replaced !== expected || e.report.restored !== 0) fail(`replace in-process: replaced ${e.report.replaced}, restored ${e.report.restored}, expected ${expected} replaced`);
      await verify('replace in-process', join(ours, folderName), 0, true);
      samples.replaceInProcess.push(e);
      await rm(ours, { recursive: true, force: true });

      // c. as the service user, into a new folder of their home
      const theirs = join(home, `Restaurado ${run}`);
      const c = await cofreRestore(theirs, 'keep-both', true);
      if (c.report.restored !== expected) fail(`restore as the user placed ${c.report.restored} files, expected ${expected}`);
      await verify('as the user', join(theirs, folderName), user.uid);
      if ((await lstat(theirs)).uid !== user.uid) fail(`the destination folder ${theirs} was not made as the user`);
      samples.asUser.push(c);

      // d. 'replace' over that copy, every file changed first so none is "unchanged": two moves each.
      for (const rel of tree.files) await appendFile(join(theirs, folderName, rel), 'changed by the user\n');
      const d = await cofreRestore(theirs, 'replace', true);
      if (d.report.replaced !== expected || d.report.restored !== 0) fail(`replace as the user: replaced ${d.report.replaced}, restored ${d.report.restored}, expected ${expected} replaced`);
      await verify('replace as the user', join(theirs, folderName), user.uid, true);
      const kept = d.report.replacedFolder;
      if (!kept) fail('replace as the user: no folder of replaced files reported');
      const keptFiles = await filesBelow(kept);
      if (keptFiles.length !== expected) fail(`replace as the user: ${keptFiles.length} files kept in ${kept}, expected ${expected}`);
      if ((await lstat(kept)).uid !== user.uid) fail(`replace as the user: ${kept} is not the user's`);
      samples.replace.push(d);
      await rm(theirs, { recursive: true, force: true });

      log(`run ${run + 1}/${RUNS}: raw ${samples.rawMs.at(-1)!.toFixed(0)} ms, in-process ${b.totalMs.toFixed(0)} ms, as user ${c.totalMs.toFixed(0)} ms, replace as user ${d.totalMs.toFixed(0)} ms, replace in-process ${samples.replaceInProcess.at(-1)!.totalMs.toFixed(0)} ms`);
    }
    if ((await readdir(journal.dir).catch(() => [])).length > 0) fail(`placement journals left in ${journal.dir}`);

    const med = (runs: Phases[], key: keyof Omit<Phases, 'report'>) => median(runs.map((r) => r[key]));
    const summary = (runs: Phases[]) => {
      // Placement = what follows restic: giving the files to the user (service) and the moves.
      const placementMs = median(runs.map((r) => r.giveMs + r.placeMs));
      return { totalMs: med(runs, 'totalMs'), resticMs: med(runs, 'resticMs'), giveMs: med(runs, 'giveMs'), placeMs: med(runs, 'placeMs'), placementMs, placementFilesPerSecond: expected / (placementMs / 1000) };
    };
    const raw = median(samples.rawMs);
    const inProcess = summary(samples.inProcess);
    const asUser = summary(samples.asUser);
    const replace = summary(samples.replace);
    const replaceInProcess = summary(samples.replaceInProcess);
    const ratios = {
      inProcessOverRaw: inProcess.totalMs / raw, asUserOverRaw: asUser.totalMs / raw, asUserOverInProcess: asUser.totalMs / inProcess.totalMs,
      replaceOverInProcess: replace.totalMs / inProcess.totalMs, replaceAsUserOverReplaceInProcess: replace.totalMs / replaceInProcess.totalMs,
    };

    const line = (name: string, s: ReturnType<typeof summary>) =>
      `${name.padEnd(28)} ${s.totalMs.toFixed(0).padStart(8)} ${s.resticMs.toFixed(0).padStart(8)} ${s.giveMs.toFixed(0).padStart(8)} ${s.placeMs.toFixed(0).padStart(8)} ${s.placementFilesPerSecond.toFixed(0).padStart(10)}`;
    process.stdout.write(`${[
      `restic ${version}, ${expected} files in ${tree.dirs} folders (${(tree.totalBytes / 1024 / 1024).toFixed(1)} MiB), median of ${RUNS} interleaved runs`,
      `${'run'.padEnd(28)} ${'total ms'.padStart(8)} ${'restic'.padStart(8)} ${'give'.padStart(8)} ${'place'.padStart(8)} ${'placed/s'.padStart(10)}`,
      `${'a. raw restic restore'.padEnd(28)} ${raw.toFixed(0).padStart(8)}`,
      line('b. in-process (root)', inProcess),
      line('c. as the service user', asUser),
      line('d. c + replace (2 moves)', replace),
      line('e. b + replace (diagnostic)', replaceInProcess),
      `b/a ${ratios.inProcessOverRaw.toFixed(3)}  c/a ${ratios.asUserOverRaw.toFixed(3)}  c/b ${ratios.asUserOverInProcess.toFixed(3)}  d/b ${ratios.replaceOverInProcess.toFixed(3)}  d/e ${ratios.replaceAsUserOverReplaceInProcess.toFixed(3)}`,
    ].join('\n')}\n`);

    const out = join(repoRoot, 'bench', 'results');
    await mkdir(out, { recursive: true });
    const phases = (runs: Phases[]) => runs.map(({ report: _report, ...times }) => times);
    await writeFile(join(out, 'service-restore.json'), `${JSON.stringify({
      date: new Date().toISOString(),
      restic: version,
      files: expected,
      folders: tree.dirs,
      bytes: tree.totalBytes,
      runs: RUNS,
      rawMs: raw,
      inProcess,
      asUser,
      replace,
      replaceInProcess,
      ratios,
      samples: { rawMs: samples.rawMs, inProcess: phases(samples.inProcess), asUser: phases(samples.asUser), replace: phases(samples.replace), replaceInProcess: phases(samples.replaceInProcess) },
    }, null, 2)}\n`);
  } finally {
    index?.close();
    if (owner) execFileSync('userdel', ['-f', owner.username]);
    // The service keeps its staging folder; a bench on a machine without one leaves none behind.
    if (!stagingExisted) await rmdir(volumeStagingFolder).catch(() => undefined);
    await removeDir(work);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
