// File names that break naive code (both Unicode normalisation forms, newlines, leading dashes,
// names that look like restic flags, 255-byte names, very long paths) backed up and restored
// through the agent, with real restic 0.18 and 0.14: restored to a chosen folder byte-identical,
// and restored to the original place with keep-both, where changed files stay untouched and the
// snapshot's version lands beside them.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import type { ApiEvent, SessionRef } from '../../electron/core/api.js';
import { keepBothName } from '../../electron/core/restore/conflict-names.js';
import { MemorySecretStore } from '../../electron/core/secrets/index.js';
import { generateTree, hashTree, hostileNames, makeTempDir, rawRestic, removeDir, resticBinaries } from '../fixtures/index.js';
import { recordFigure } from '../support/figures.js';

const password = 'Hostile-Names-Pw-4Rt8';

type JobFinished = Extract<ApiEvent, { type: 'jobFinished' }>['data'];

describe.each(resticBinaries)('hostile names through the agent, restic $label', ({ label, bin }) => {
  let dir: string;
  let home: string;
  let source: string;
  let agent: Agent;
  let session: SessionRef;
  let snapshot: { id: string; time: Date };
  let original: Map<string, string>;
  const finished = new Map<string, JobFinished>();

  async function call<T>(method: string, input: unknown): Promise<T> {
    const result = await agent.call(method, input, session);
    if (!result.ok) throw new Error(`${method}: ${result.error.message} ${result.error.detail ?? ''}`);
    return result.value as T;
  }

  async function job(jobId: string): Promise<JobFinished> {
    const until = Date.now() + 120_000;
    while (!finished.has(jobId)) {
      if (Date.now() > until) throw new Error(`job ${jobId} did not finish`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return finished.get(jobId)!;
  }

  beforeAll(async () => {
    dir = await makeTempDir(`hostile-${label}`);
    home = join(dir, 'home', 'ana');
    source = join(home, 'Documentos');
    await mkdir(source, { recursive: true });
    await generateTree(source, { files: 30, dirs: 4, depth: 3, seed: 23, maxSize: 4096, hostileNames: true, unicode: true });
    original = await hashTree(source);
    const repo = join(dir, 'repo');
    await rawRestic(bin, ['init'], { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: password });
    await writeFile(join(dir, 'config.json'), JSON.stringify({
      modno: 1, version: 6, instance: 'hostile-pc',
      repos: [{ id: 'local', uri: repo, password, env: [], flags: [], autoUnlock: true }],
      plans: [{ id: 'docs', repo: 'local', paths: [source], schedule: { disabled: true }, retention: { policyKeepAll: true } }],
    }));
    agent = await Agent.create({
      configPath: join(dir, 'config.json'), policyPath: null, dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'),
      secrets: new MemorySecretStore(), resticBinary: bin, locale: 'pt-BR', homeDir: home, username: 'ana', hostname: 'hostile-pc',
    });
    agent.subscribe((event) => {
      if (event.type === 'jobFinished') finished.set(event.data.jobId, event.data);
    });
    session = agent.createSession();
    const backup = await job((await call<{ jobId: string }>('runBackup', { planId: 'docs' })).jobId);
    expect(backup.status, JSON.stringify(backup.error)).toBe('success');
    const snapshots = await call<Array<{ id: string; time: string }>>('listSnapshots', { planId: 'docs' });
    expect(snapshots).toHaveLength(1);
    snapshot = { id: snapshots[0]!.id, time: new Date(snapshots[0]!.time) };
  }, 180_000);

  afterAll(async () => {
    await agent?.shutdown(10_000);
    if (dir) await removeDir(dir);
  });

  it('the snapshot index lists every hostile name exactly as it is on disk', async () => {
    const page = await call<{ entries: Array<{ name: string }> }>('browse', { snapshotId: snapshot.id, path: join(source, 'hostile'), limit: 1000 });
    const onDisk = await readdir(join(source, 'hostile'));
    expect(page.entries.map((e) => e.name).sort()).toEqual([...onDisk].sort());
    for (const name of hostileNames) expect(onDisk).toContain(name);
  });

  it('restores the whole tree to a chosen folder byte-identical', async () => {
    const target = join(home, 'Restaurado');
    await mkdir(target, { recursive: true });
    const result = await job((await call<{ jobId: string }>('restore', { snapshotId: snapshot.id, paths: [source], destination: { kind: 'folder', path: target } })).jobId);
    expect(result.status, JSON.stringify(result)).toBe('success');
    expect(result.restoreReport?.failed).toEqual([]);
    // The selection keeps its own name below the chosen folder.
    const restoredRoot = join(target, basename(source));
    expect(await hashTree(restoredRoot)).toEqual(original);
    recordFigure('bad-input', { name: `hostile names restored byte-identical (restic ${label})`, tried: original.size, crashes: 0, fiveXX: 0, badErrors: 0 });
  });

  it('restores to the original place with keep-both: changed files untouched, the snapshot version beside them', async () => {
    const files = [...original.keys()].filter((p) => !p.endsWith('/') && p.startsWith('hostile/'));
    const changed = files.filter((_, i) => i % 3 === 0);
    const deleted = files.filter((_, i) => i % 3 === 1);
    const longest = files.reduce((a, b) => (Buffer.byteLength(basename(b)) > Buffer.byteLength(basename(a)) ? b : a));
    if (!changed.includes(longest)) changed.push(longest);
    for (const rel of changed) await writeFile(join(source, rel), `alterado depois do backup: ${rel}`);
    for (const rel of deleted.filter((r) => !changed.includes(r))) await rm(join(source, rel));

    const result = await job((await call<{ jobId: string }>('restore', { snapshotId: snapshot.id, paths: [join(source, 'hostile')], destination: { kind: 'original' }, conflict: 'keep-both' })).jobId);
    expect(result.status, JSON.stringify(result)).toBe('success');
    expect(result.restoreReport?.failed).toEqual([]);
    expect(result.restoreReport?.keptBoth).toBe(changed.length);

    const now = await hashTree(source);
    for (const rel of files) {
      if (changed.includes(rel)) {
        expect(now.get(rel), rel).not.toBe(original.get(rel));
        const beside = join(dirname(rel), keepBothName(basename(rel), snapshot.time)).replace(/^\.\//, '');
        expect(Buffer.byteLength(basename(beside)), beside).toBeLessThanOrEqual(255);
        expect(now.get(beside), `${rel} -> ${beside}`).toBe(original.get(rel));
      } else {
        expect(now.get(rel), rel).toBe(original.get(rel));
      }
    }
  });
});
