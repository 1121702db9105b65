// Restores that cannot finish: destination disk full (refused up front, and filled up by someone
// else half-way), cancelled by the user, destination read-only. In every case the destination
// folder must be left exactly as it was (hashTree before == after), no staging folder left over.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTree, hashTree, makeTempDir, removeDir, resticBinary, startRestServer, type RestServer } from '../fixtures/index.js';
import {
  backupNow, Capture, configWith, faultSecrets, planConfig, repoConfig, secretValues, startAgent, waitFor, type AgentRig, type JobFinished,
} from '../support/agent-rig.js';
import { recordFigure } from '../support/figures.js';
import { canMount, mountTmpfs, remount, unmount } from '../support/mounts.js';
import { scanForSecrets } from '../support/secret-scan.js';

function chattrWorks(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'cofre-chattr-probe-'));
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

async function stagingLeftovers(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith('.cofre-staging-'));
}

describe('restore faults leave the destination exactly as it was', () => {
  const restic = resticBinary('0.18');
  const capture = new Capture();
  const mounts: string[] = [];
  let server: RestServer;
  let dir: string;
  let home: string;
  let rig: AgentRig;
  let snapshotId: string;

  beforeAll(async () => {
    server = await startRestServer({ users: { [faultSecrets.restUser]: faultSecrets.restPassword } });
    dir = await makeTempDir('faults-restore');
    home = join(dir, 'home', 'ana');
    const docs = join(home, 'docs');
    await generateTree(join(docs, 'small'), { files: 8, seed: 1 });
    await generateTree(join(docs, 'medium'), { files: 40, minSize: 256 * 1024, maxSize: 384 * 1024, seed: 2, unicode: false });
    await generateTree(join(docs, 'big'), { files: 160, minSize: 256 * 1024, maxSize: 512 * 1024, seed: 3, unicode: false });
    rig = await startAgent({
      dataDir: join(dir, 'cofre'), resticBin: restic.bin, capture, homeDir: home,
      config: configWith([repoConfig({ id: 'r', uri: server.repoUri('restore-faults'), rest: { user: faultSecrets.restUser, password: faultSecrets.restPassword } })], [planConfig('docs', 'r', [docs])]),
    });
    expect((await backupNow(rig, 'docs')).finished.status).toBe('success');
    const snapshots = await rig.ok<Array<{ id: string }>>('listSnapshots', {});
    snapshotId = snapshots[0]!.id;
  });

  afterAll(async () => {
    await rig?.close();
    for (const m of mounts) unmount(m);
    const scan = await scanForSecrets([capture], [join(dir, 'cofre')], secretValues);
    await server?.close();
    if (dir) await removeDir(dir);
    expect(scan.leaks).toEqual([]);
    recordFigure('security', { name: 'secret scan: restore faults', itemsScanned: scan.itemsScanned, filesScanned: scan.filesScanned, leaks: scan.leaks.length });
  });

  /** A destination with the user's own files in it, which the failed restore must not touch. */
  async function destinationWithContent(path: string): Promise<Map<string, string>> {
    await mkdir(path, { recursive: true });
    await generateTree(join(path, 'meus arquivos'), { files: 6, seed: 77 });
    await writeFile(join(path, 'big'), 'a file named like the restored folder');
    return hashTree(path);
  }

  async function restoreInto(folder: string, what: 'small' | 'medium' | 'big'): Promise<string> {
    const { jobId } = await rig.ok<{ jobId: string }>('restore', {
      snapshotId, paths: [join(home, 'docs', what)], destination: { kind: 'folder', path: folder }, conflict: 'keep-both',
    });
    return jobId;
  }

  it.skipIf(!canMount())('destination too small: refused as a full local disk before anything is written', async () => {
    const vol = join(home, 'vol-small');
    await mkdir(vol, { recursive: true });
    mountTmpfs(vol, '24m');
    mounts.push(vol);
    const before = await destinationWithContent(vol);
    const jobId = await restoreInto(vol, 'big');
    const finished = await rig.finished(jobId, 60_000);
    expect(finished.status).toBe('failure');
    expect(finished.error?.cause).toBe('local-disk-full');
    expect(finished.error?.message).toMatch(/\d/); // says how much is needed / available
    expect(await hashTree(vol)).toEqual(before);
    expect(await stagingLeftovers(vol)).toEqual([]);
    recordFigure('faults', { name: 'restore destination too small (refused up front)', injected: 1, survived: 1 });
  });

  it.skipIf(!canMount())('destination fills up during the restore (another program): failure, destination untouched', async () => {
    const vol = join(home, 'vol-race');
    await mkdir(vol, { recursive: true });
    mountTmpfs(vol, '48m');
    mounts.push(vol);
    const dest = join(vol, 'dest');
    const before = await destinationWithContent(dest);
    const jobId = await restoreInto(dest, 'medium');
    // As soon as the staging folder exists (the space check is behind us), fill the volume.
    await waitFor(async () => (await stagingLeftovers(dest)).length > 0 || rig.finishedEvents(jobId).length > 0, 30_000, 'staging folder', 5);
    const free = await statfs(vol);
    execFileSync('fallocate', ['-l', String(Number(free.bavail) * Number(free.bsize)), join(vol, 'filler')]);
    const finished = await rig.finished(jobId, 60_000);
    rmSync(join(vol, 'filler'), { force: true });
    expect(finished.status, 'the restore must fail: the volume was full').toBe('failure');
    expect(finished.error?.message).toBeTruthy();
    expect(finished.error?.cause, JSON.stringify(finished.error)).toBe('local-disk-full');
    expect(await hashTree(dest)).toEqual(before);
    expect(await stagingLeftovers(dest)).toEqual([]);
    recordFigure('faults', { name: 'restore destination filled up mid-restore', injected: 1, survived: 1 });
  });

  it('restore cancelled by the user while restic writes: cancelled, destination untouched', async () => {
    const dest = join(home, 'restaurar-aqui');
    const before = await destinationWithContent(dest);
    const jobId = await restoreInto(dest, 'big');
    // restic is writing into staging once the folder exists: cancel right then.
    await waitFor(async () => (await stagingLeftovers(dest)).length > 0, 60_000, 'staging folder', 5);
    await rig.ok('cancelJob', { jobId });
    const finished: JobFinished = await rig.finished(jobId, 60_000);
    expect(finished.status).toBe('cancelled');
    expect(rig.finishedEvents(jobId)).toHaveLength(1);
    expect(await hashTree(dest)).toEqual(before);
    expect(await stagingLeftovers(dest)).toEqual([]);
    recordFigure('faults', { name: 'restore cancelled mid-way', injected: 1, survived: 1 });
  });

  it.skipIf(!canMount())('destination on a read-only filesystem: failure, destination untouched', async () => {
    const vol = join(home, 'vol-ro');
    await mkdir(vol, { recursive: true });
    mountTmpfs(vol, '16m');
    mounts.push(vol);
    const before = await destinationWithContent(vol);
    remount(vol, 'ro');
    const jobId = await restoreInto(vol, 'small');
    const finished = await rig.finished(jobId, 60_000);
    expect(finished.status).toBe('failure');
    expect(finished.error?.message).toBeTruthy();
    expect(await hashTree(vol)).toEqual(before);
    recordFigure('faults', { name: 'restore destination read-only (ro mount)', injected: 1, survived: 1 });
  });

  it.skipIf(!chattrWorks())('destination folder immutable (chattr +i, root ignores chmod): failure, destination untouched', async () => {
    const dest = join(home, 'imutavel');
    const before = await destinationWithContent(dest);
    execFileSync('chattr', ['+i', dest]);
    try {
      const jobId = await restoreInto(dest, 'small');
      const finished = await rig.finished(jobId, 60_000);
      expect(finished.status).toBe('failure');
      expect(finished.error?.message).toBeTruthy();
      expect(await hashTree(dest)).toEqual(before);
    } finally {
      execFileSync('chattr', ['-i', dest]);
    }
    recordFigure('faults', { name: 'restore destination read-only (chattr +i)', injected: 1, survived: 1 });
  });
});
