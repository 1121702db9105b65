// Faults on the server side that no retry can fix: storage full, credentials changed, an untrusted
// TLS certificate, a wrong repository password, an append-only server. Each must be classified,
// told to the user once, never retried forever, and leave later backups working.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailureCause } from '../../electron/core/errors.js';
import {
  generateTree, makeTempDir, makeTestCa, rawRestic, removeDir, resticBinary, restRepoEnv, startRcloneServer, startRestServer, startTlsProxy,
  type ResticBinary, type RestServer, type TestCa, type TlsProxy,
} from '../fixtures/index.js';
import {
  backupNow, Capture, configWith, faultSecrets, planConfig, readHistory, repoConfig, secretValues, startAgent,
  type AgentRig, type AgentStatus, type JobFinished,
} from '../support/agent-rig.js';
import { recordFigure } from '../support/figures.js';
import { canMount, mountTmpfs, remount, unmount } from '../support/mounts.js';
import { scanForSecrets } from '../support/secret-scan.js';

const rest = { user: faultSecrets.restUser, password: faultSecrets.restPassword };
const fastRetry = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 3000, jitter: 0 };
const capture = new Capture();
const dataDirs: string[] = [];
let dir: string;

beforeAll(async () => {
  dir = await makeTempDir('faults-refusals');
});

afterAll(async () => {
  const scan = await scanForSecrets([capture], dataDirs, secretValues);
  if (dir) await removeDir(dir);
  expect(scan.leaks).toEqual([]);
  recordFigure('security', { name: 'secret scan: server refusals', itemsScanned: scan.itemsScanned, filesScanned: scan.filesScanned, leaks: scan.leaks.length });
});

/** What the user is told about one job: exactly one finished event, a cause, a translated message. */
function expectToldOnce(rig: AgentRig, jobId: string, finished: JobFinished, cause: FailureCause): void {
  expect(finished.status, JSON.stringify(finished.error)).toBe('failure');
  expect(finished.error?.cause, JSON.stringify(finished.error)).toBe(cause);
  expect(finished.error?.message).toBeTruthy();
  expect(finished.error?.message).not.toMatch(/^cause\./); // translated, not a key
  expect(finished.error?.action).toBeTruthy();
  expect(rig.finishedEvents(jobId)).toHaveLength(1);
}

describe.each(['0.19', '0.18', '0.14'] as const)('refusals by the server (restic %s)', (label) => {
  const restic: ResticBinary = resticBinary(label);
  let upstream: RestServer;
  let proxy: TlsProxy;
  let ca: TestCa;
  let rig: AgentRig;
  let source: string;

  beforeAll(async () => {
    upstream = await startRestServer();
    ca = await makeTestCa(join(dir, `ca-${label}`));
    proxy = await startTlsProxy({ upstream, users: { [rest.user]: rest.password }, ca });
    source = join(dir, `src-${label}`);
    await generateTree(source, { files: 30, seed: 3 });
    const dataDir = join(dir, `agent-tls-${label}`);
    dataDirs.push(dataDir);
    rig = await startAgent({
      dataDir, resticBin: restic.bin, capture, retry: fastRetry,
      config: configWith([repoConfig({ id: 'tls', uri: proxy.repoUri(`tls-${label}`), rest, caCertFile: ca.caCert })], [planConfig('docs', 'tls', [source])]),
    });
    const first = await backupNow(rig, 'docs');
    expect(first.finished.status, JSON.stringify(first.finished.error)).toBe('success');
  });

  afterAll(async () => {
    await rig?.close();
    await proxy?.close();
    await upstream?.close();
  });

  const attemptsOf = (jobStartedAfter: number) => readHistory(rig.dataDir).filter((r) => r.type === 'backup' && r.id > jobStartedAfter).length;
  const lastRowId = () => Math.max(0, ...readHistory(rig.dataDir).map((r) => r.id));

  it('credentials changed on the server: auth-refused, one attempt, told once; works again with the new credentials', async () => {
    await proxy.setUsers({ [rest.user]: 'Changed-On-Server-4471' });
    const before = lastRowId();
    const started = Date.now();
    const { jobId, finished } = await backupNow(rig, 'docs', 90_000);
    expectToldOnce(rig, jobId, finished, 'auth-refused');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(attemptsOf(before)).toBe(1);
    const status = await rig.ok<AgentStatus>('getStatus', {});
    expect(status).toMatchObject({ health: 'failed', cause: 'auth-refused' });

    await proxy.setUsers({ [rest.user]: rest.password });
    expect((await backupNow(rig, 'docs')).finished.status).toBe('success');
    recordFigure('faults', { name: `credentials changed on the server (restic ${label})`, injected: 1, survived: 1 });
  });

  it('TLS certificate replaced by an untrusted one: tls-untrusted within a minute, told once', async () => {
    const rogue = await makeTestCa(join(dir, `rogue-${label}`));
    await proxy.replaceCertificate(rogue);
    try {
      const before = lastRowId();
      const started = Date.now();
      const { jobId, finished } = await backupNow(rig, 'docs', 90_000);
      expectToldOnce(rig, jobId, finished, 'tls-untrusted');
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(attemptsOf(before)).toBe(1);
    } finally {
      await proxy.replaceCertificate(ca);
    }
    expect((await backupNow(rig, 'docs')).finished.status).toBe('success');
    recordFigure('faults', { name: `TLS certificate untrusted (restic ${label})`, injected: 1, survived: 1 });
  });

  it('repository password wrong: wrong-password, one attempt, told once; works again when corrected', async () => {
    await rig.ok('setRepoSecrets', { repoId: 'tls', password: faultSecrets.wrongPassword });
    const before = lastRowId();
    const { jobId, finished } = await backupNow(rig, 'docs', 90_000);
    expectToldOnce(rig, jobId, finished, 'wrong-password');
    expect(attemptsOf(before)).toBe(1);
    await rig.ok('setRepoSecrets', { repoId: 'tls', password: faultSecrets.repoPassword });
    expect((await backupNow(rig, 'docs')).finished.status).toBe('success');
    recordFigure('faults', { name: `repository password wrong (restic ${label})`, injected: 1, survived: 1 });
  });

  it('append-only server: backups succeed; forget is reported as server-managed (a warning), never a failure', async () => {
    const server = await startRestServer({ users: { [rest.user]: rest.password }, appendOnly: true });
    const dataDir = join(dir, `agent-append-${label}`);
    dataDirs.push(dataDir);
    const ao = await startAgent({
      dataDir, resticBin: restic.bin, capture, retry: fastRetry,
      config: configWith([repoConfig({ id: 'ao', uri: server.repoUri(`ao-${label}`), rest })], [planConfig('docs', 'ao', [source], { retention: { policyKeepLastN: 1 } })]),
    });
    try {
      for (let run = 0; run < 2; run++) {
        const started = Date.now();
        const { finished } = await backupNow(ao, 'docs');
        expect(finished.status, JSON.stringify(finished.error)).toBe('success');
        const forget = await waitForForget(ao, run + 1, 90_000);
        // The first forget has nothing to remove; the second must delete and is refused.
        if (run === 1) {
          expect(forget.status, JSON.stringify(forget.error)).toBe('warning');
          expect(forget.error?.cause).toBe('append-only');
          expect(forget.error?.message).toBeTruthy();
        } else {
          expect(forget.status, JSON.stringify(forget.error)).toBe('success');
        }
        expect(Date.now() - started).toBeLessThan(90_000);
      }
      const forgets = ao.finishedEvents().filter((f) => f.kind === 'forget');
      expect(forgets.map((f) => f.status)).toEqual(['success', 'warning']);
      expect(readHistory(dataDir).filter((r) => r.type === 'forget' && r.status === 'failure')).toEqual([]);
      const status = await ao.ok<AgentStatus>('getStatus', {});
      expect(status.health).toBe('ok');
      // Both snapshots are still there: the server keeps them, that is its job.
      const raw = await rawRestic(restic.bin, ['snapshots', '--json', '--no-lock'], { ...restRepoEnv(restic, server.repoUri(`ao-${label}`), rest), RESTIC_PASSWORD: faultSecrets.repoPassword });
      expect(JSON.parse(raw.stdout)).toHaveLength(2);
      recordFigure('faults', { name: `append-only server forget (restic ${label})`, injected: 1, survived: 1 });
    } finally {
      await ao.close();
      await server.close();
    }
  }, 240_000);
});

async function waitForForget(rig: AgentRig, count: number, timeoutMs: number): Promise<JobFinished> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const forgets = rig.finishedEvents().filter((f) => f.kind === 'forget');
    if (forgets.length >= count) return forgets[count - 1]!;
    if (Date.now() > until) throw new Error(`no forget job finished within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The real rest-server answers a full disk (ENOSPC) with 507; rclone serve restic answers a plain
// 500, which restic retries for about 15 minutes: that is why rclone is still run here.
describe.skipIf(!canMount()).each([
  { server: 'rest-server', start: startRestServer },
  { server: 'rclone', start: startRcloneServer },
])('server storage full (tmpfs under $server)', ({ server: kind, start }) => {
  const restic = resticBinary('0.18');
  let mountPoint: string;
  let server: RestServer;
  let rig: AgentRig;

  beforeAll(async () => {
    mountPoint = join(dir, `server-disk-${kind}`);
    await mkdir(mountPoint, { recursive: true });
    mountTmpfs(mountPoint, '8m');
    server = await start({ users: { [rest.user]: rest.password }, dataDir: mountPoint });
    const small = join(dir, `full-small-${kind}`);
    const large = join(dir, `full-large-${kind}`);
    await generateTree(small, { files: 20, seed: 8 });
    await generateTree(large, { files: 60, minSize: 256 * 1024, maxSize: 512 * 1024, seed: 9, unicode: false });
    const dataDir = join(dir, `agent-full-${kind}`);
    dataDirs.push(dataDir);
    rig = await startAgent({
      dataDir, resticBin: restic.bin, capture, retry: fastRetry,
      config: configWith([repoConfig({ id: 'full', uri: server.repoUri('full') , rest })], [planConfig('small', 'full', [small]), planConfig('large', 'full', [large])]),
    });
  });

  afterAll(async () => {
    await rig?.close();
    await server?.close();
    if (mountPoint) unmount(mountPoint);
  });

  // restic retries rclone's 500 for about 15 minutes. The scenario watches for a bounded time and
  // cancels if the job is still running, so a regression shows without a 15-minute test.
  const observedFull: { finished?: JobFinished; hungMs?: number } = {};

  it('no crash while the disk is full: the job can be cancelled, and backups succeed once space returns', async () => {
    expect((await backupNow(rig, 'small')).finished.status).toBe('success');
    const started = Date.now();
    const { jobId } = await rig.ok<{ jobId: string }>('runBackup', { planId: 'large' });
    const finished = await rig.finished(jobId, 40_000).catch(() => undefined);
    if (finished) {
      observedFull.finished = finished;
    } else {
      observedFull.hungMs = Date.now() - started;
      // The agent still answers while restic loops on the full server.
      expect((await rig.ok<AgentStatus>('getStatus', {})).plans.find((p) => p.planId === 'large')?.state).toBe('running');
      await rig.ok('cancelJob', { jobId });
      const cancelled = await rig.finished(jobId, 30_000);
      expect(cancelled.status).toBe('cancelled');
    }
    expect(rig.finishedEvents(jobId)).toHaveLength(1);

    // The administrator frees space (here: the filesystem grows): the next backups just work.
    remount(mountPoint, 'size=96m');
    const again = await backupNow(rig, 'large', 150_000);
    expect(again.finished.status, JSON.stringify(again.finished.error)).toBe('success');
    expect((await backupNow(rig, 'small')).finished.status).toBe('success');
    await rawRestic(restic.bin, ['unlock'], { ...restRepoEnv(restic, server.repoUri('full'), rest), RESTIC_PASSWORD: faultSecrets.repoPassword });
    const check = await rawRestic(restic.bin, ['check'], { ...restRepoEnv(restic, server.repoUri('full'), rest), RESTIC_PASSWORD: faultSecrets.repoPassword }, { reject: false, timeoutMs: 60_000 });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    recordFigure('faults', { name: `server storage full (${kind})`, injected: 1, survived: 1 });
  }, 300_000);

  // Was: the job hung for ~15 minutes while restic retried the 500s. The engine now stops restic when
  // the same upload is refused repeatedly (restic/run.ts, classify.ts persistentServerErrorCause).
  it('a full server disk ends the job within a minute, classified storage-full', () => {
    expect(observedFull.hungMs, 'the backup was still running when cancelled').toBeUndefined();
    expect(observedFull.finished?.error?.cause).toBe('storage-full');
  });
});
