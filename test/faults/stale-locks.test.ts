// Regression tests (issue 15): a restic killed mid-run leaves its lock, and the next job of any kind
// (forget, prune, check, restore, backup) on a repository WITHOUT autoUnlock clears it because the
// lock's process is gone on this host. A lock of a live restic, or of a restic of another computer
// (a real restic run with another hostname in its own UTS namespace), is left alone and the job
// fails as locked. Real restic, real rest-server; locks are read back with restic itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTree, makeTempDir, rawRestic, removeDir, resticBinary, restRepoEnv, startRestServer, type ResticBinary, type RestServer } from '../fixtures/index.js';
import {
  backupNow, Capture, configWith, faultSecrets, planConfig, repoConfig, secretValues, startAgent, waitFor,
  type AgentRig, type AgentStatus,
} from '../support/agent-rig.js';
import { recordFigure } from '../support/figures.js';
import { scanForSecrets } from '../support/secret-scan.js';
import type { SessionRef } from '../../electron/core/api.js';

const rest = { user: faultSecrets.restUser, password: faultSecrets.restPassword };
// No queue retries: the first attempt must get through on its own (the old retry unlocked blindly).
const noRetry = { maxAttempts: 1, baseDelayMs: 1000, maxDelayMs: 1000, jitter: 0 };
const canUnshareUts = spawnSync('unshare', ['--uts', 'true']).status === 0;

interface LockSeen { id: string; pid: number; hostname: string; exclusive: boolean }

function repoEnv(bin: ResticBinary, server: RestServer, repo: string): Record<string, string> {
  return { ...restRepoEnv(bin, server.repoUri(repo), rest), RESTIC_PASSWORD: faultSecrets.repoPassword };
}

async function locksOf(bin: ResticBinary, env: Record<string, string>): Promise<LockSeen[]> {
  const ids = (await rawRestic(bin.bin, ['list', 'locks', '--no-lock'], env)).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const locks: LockSeen[] = [];
  for (const id of ids) {
    const r = await rawRestic(bin.bin, ['cat', 'lock', id, '--no-lock'], env, { reject: false });
    if (r.exitCode === 0) locks.push({ id, ...(JSON.parse(r.stdout) as Omit<LockSeen, 'id'>) });
  }
  return locks;
}

/**
 * A real restic holding a lock: `check --read-data` at 1 KiB/s holds an exclusive lock for
 * minutes; `backup --stdin` fed nothing holds a shared one. With `hostname`, restic runs in a
 * UTS namespace of its own, so its lock names another computer.
 */
async function lockHolder(bin: ResticBinary, env: Record<string, string>, kind: 'exclusive' | 'shared', hostname?: string): Promise<{ child: ChildProcess; lock: LockSeen; gone: Promise<void> }> {
  const args = kind === 'exclusive' ? ['check', '--read-data', '--limit-download=1'] : ['backup', '--stdin', '--stdin-filename=notes.txt', '--host=fault-pc'];
  const [command, argv] = hostname ? ['unshare', ['--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname, bin.bin, ...args]] : [bin.bin, args];
  const base = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith('RESTIC_'))) as Record<string, string>;
  const child = spawn(command as string, argv as string[], { env: { ...base, ...env }, stdio: ['pipe', 'ignore', 'ignore'] });
  const gone = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const lock = await waitFor(async () => (await locksOf(bin, env)).find((l) => l.pid === child.pid), 60_000, `a lock of restic ${args[0]}`, 300);
    return { child, lock, gone };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** A lock whose restic was killed the hard way (SIGKILL: no chance to remove it). */
async function deadLock(bin: ResticBinary, env: Record<string, string>, kind: 'exclusive' | 'shared', hostname?: string): Promise<LockSeen> {
  const holder = await lockHolder(bin, env, kind, hostname);
  holder.child.kill('SIGKILL');
  await holder.gone;
  expect(await locksOf(bin, env)).toContainEqual(holder.lock);
  return holder.lock;
}

describe('stale locks, every job kind', () => {
  const capture = new Capture();
  const dataDirs: string[] = [];
  const held: string[] = [];
  let tried = 0;
  let server: RestServer;
  let dir: string;
  let tree: string;

  beforeAll(async () => {
    server = await startRestServer({ users: { [rest.user]: rest.password } });
    dir = await makeTempDir('faults-stale-locks');
    tree = join(dir, 'home', 'ana', 'docs');
    await generateTree(tree, { files: 30, dirs: 4, depth: 2, minSize: 8 * 1024, maxSize: 64 * 1024, seed: 15, unicode: false });
  });

  afterAll(async () => {
    const scan = await scanForSecrets([capture], dataDirs, secretValues);
    await server?.close();
    if (dir) await removeDir(dir);
    expect(scan.leaks).toEqual([]);
    recordFigure('hardening', { name: 'stale locks: every job kind, live and foreign locks kept', kind: 'fault', tried, held: held.length });
  });

  async function agentFor(bin: ResticBinary, name: string): Promise<{ rig: AgentRig; tech: SessionRef; env: Record<string, string> }> {
    const dataDir = join(dir, name);
    dataDirs.push(dataDir);
    const rig = await startAgent({
      dataDir, resticBin: bin.bin, capture, retry: noRetry,
      config: configWith([repoConfig({ id: 'nas', uri: server.repoUri(name), rest })], [planConfig('docs', 'nas', [tree], { retention: { policyKeepLastN: 2 } })]),
    });
    const first = await backupNow(rig, 'docs');
    expect(first.finished.status, JSON.stringify(first.finished.error)).toBe('success');
    // Its retention (a forget) runs right after; the locks below must not race with it.
    expect((await rig.finished(first.finished.retentionJobId!, 120_000)).status).toBe('success');
    return { rig, tech: rig.agent.createSession({ technician: true }), env: repoEnv(bin, server, name) };
  }

  async function job(rig: AgentRig, started: Promise<{ jobId: string }>) {
    return rig.finished((await started).jobId, 180_000);
  }

  it('restic 0.18: forget, backup, check, prune and restore each clear a lock left by a killed restic', async () => {
    const bin = resticBinary('0.18');
    const { rig, tech, env } = await agentFor(bin, 'kinds');
    try {
      // The case found: a backup killed mid-way leaves its (shared) lock; the retention forget after
      // the next backup needs the repository to itself.
      tried += 1;
      await deadLock(bin, env, 'shared');
      const next = await backupNow(rig, 'docs');
      expect(next.finished.status).toBe('success');
      const forget = await rig.finished(next.finished.retentionJobId!, 120_000);
      expect(forget.status, JSON.stringify(forget.error)).toBe('success');
      expect(forget.retention?.status).toBe('success');
      expect(await locksOf(bin, env)).toEqual([]);
      held.push('forget');

      // An exclusive lock left by a killed restic blocks every other kind.
      const kinds: Array<[string, () => Promise<{ status: string; error: unknown }>]> = [
        ['backup', async () => (await backupNow(rig, 'docs')).finished],
        ['check', () => job(rig, rig.ok('checkRepo', { repoId: 'nas' }, tech))],
        ['prune', () => job(rig, rig.ok('pruneRepo', { repoId: 'nas' }, tech))],
        ['restore', async () => {
          const [snapshot] = await rig.ok<Array<{ id: string }>>('listSnapshots', { repoId: 'nas' }, tech);
          return job(rig, rig.ok('restore', { snapshotId: snapshot!.id, paths: [tree], destination: { kind: 'folder', path: join(dir, 'restored') }, conflict: 'keep-both' }, tech));
        }],
      ];
      for (const [kind, run] of kinds) {
        tried += 1;
        const lock = await deadLock(bin, env, 'exclusive');
        const finished = await run();
        expect(finished.status, `${kind}: ${JSON.stringify(finished.error)}`).toBe('success');
        expect(await locksOf(bin, env), kind).toEqual([]);
        held.push(kind);
        // What was removed is in the log, without any secret (the scan in afterAll reads the data dir).
        const log = await rig.ok<{ lines: string[] }>('readLog', { limit: 400 }, tech);
        expect(log.lines.join('\n'), kind).toContain(`${lock.id.slice(0, 8)} (exclusive, pid ${lock.pid}`);
      }
      expect((await readdir(join(dir, 'restored'), { recursive: true })).length).toBeGreaterThan(0);
    } finally {
      await rig.close();
    }
  }, 600_000);

  it('a lock of a live restic is left alone: the job fails as locked, status does not say ok, listing still works', async () => {
    const bin = resticBinary('0.18');
    const { rig, tech, env } = await agentFor(bin, 'live');
    const holder = await lockHolder(bin, env, 'exclusive');
    try {
      tried += 1;
      const backup = await backupNow(rig, 'docs');
      expect(backup.finished.status).toBe('failure');
      expect(backup.finished.error).toMatchObject({ cause: 'repo-locked' });
      const check = await job(rig, rig.ok('checkRepo', { repoId: 'nas' }, tech));
      expect(check.error).toMatchObject({ cause: 'repo-locked' });
      expect(await locksOf(bin, env)).toContainEqual(holder.lock);
      const status = await rig.ok<AgentStatus>('getStatus', {});
      expect(status.health).not.toBe('ok');
      expect(status.plans[0]).toMatchObject({ state: 'failed', lastOutcome: 'failure' });
      // Listing and browsing read without a lock: they work while the live one holds the repository.
      const snapshots = await rig.ok<Array<{ id: string }>>('listSnapshots', { repoId: 'nas' }, tech);
      expect(snapshots).toHaveLength(1);
      await rig.ok('browse', { snapshotId: snapshots[0]!.id, path: tree }, tech);
      held.push('live lock kept');

      // A live backup elsewhere (a shared lock): this backup is made, its retention cannot run.
      holder.child.kill('SIGINT');
      await holder.gone;
      tried += 1;
      const sharer = await lockHolder(bin, env, 'shared');
      try {
        const made = await backupNow(rig, 'docs');
        expect(made.finished.status).toBe('success');
        const forget = await rig.finished(made.finished.retentionJobId!, 120_000);
        expect(forget.error).toMatchObject({ cause: 'repo-locked' });
        expect(await locksOf(bin, env)).toContainEqual(sharer.lock);
        // Not "up to date" while old backups cannot be removed.
        const after = await waitFor(async () => {
          const s = await rig.ok<AgentStatus>('getStatus', {});
          return s.plans[0]?.lastCause === 'repo-locked' ? s : undefined;
        }, 10_000, 'the status to show the locked retention');
        expect(after.health).not.toBe('ok');
        expect(after.plans[0]).toMatchObject({ state: 'warning', lastOutcome: 'success', lastCause: 'repo-locked' });
        held.push('live lock kept, retention locked shows in status');
      } finally {
        // restic reading stdin does not wake up for SIGINT; this repository is not used again.
        sharer.child.kill('SIGKILL');
        await sharer.gone;
      }
    } finally {
      holder.child.kill('SIGINT');
      await holder.gone;
      await rig.close();
    }
  }, 300_000);

  it.skipIf(!canUnshareUts)('a lock of another computer is left alone, even when its pid is free here', async () => {
    const bin = resticBinary('0.18');
    const { rig, tech, env } = await agentFor(bin, 'foreign');
    try {
      tried += 1;
      const lock = await deadLock(bin, env, 'exclusive', 'pc-da-recepcao');
      expect(lock.hostname).toBe('pc-da-recepcao');
      const backup = await backupNow(rig, 'docs');
      expect(backup.finished.error).toMatchObject({ cause: 'repo-locked' });
      const prune = await job(rig, rig.ok('pruneRepo', { repoId: 'nas' }, tech));
      expect(prune.error).toMatchObject({ cause: 'repo-locked' });
      expect(await locksOf(bin, env)).toContainEqual(lock);
      held.push('foreign lock kept');
    } finally {
      await rig.close();
    }
  }, 300_000);

  for (const label of ['0.14', '0.19'] as const) {
    it(`restic ${label}: a backup clears the lock of a killed restic`, async () => {
      const bin = resticBinary(label);
      const { rig, env } = await agentFor(bin, `v${label.replace('.', '')}`);
      try {
        tried += 1;
        await deadLock(bin, env, 'exclusive');
        const backup = await backupNow(rig, 'docs');
        expect(backup.finished.status, JSON.stringify(backup.finished.error)).toBe('success');
        expect(await locksOf(bin, env)).toEqual([]);
        held.push(`backup on ${label}`);
      } finally {
        await rig.close();
      }
    }, 300_000);
  }
});
