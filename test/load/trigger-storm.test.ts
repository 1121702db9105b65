// 50 people (or one impatient person with a tray menu, a web tab and a script) press "back up now"
// at the same moment: 25 requests over the HTTP face and 25 in-process calls, all in flight together.
// Exactly one job runs: one job id, one history row, one snapshot in the real repository.
import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import type { ApiEvent } from '../../electron/core/api.js';
import { MemorySecretStore } from '../../electron/core/secrets/index.js';
import { startServer, type RunningServer } from '../../electron/server/server.js';
import { generateTree, makeTempDir, rawRestic, removeDir, resticBinary } from '../fixtures/index.js';
import { recordFigure } from '../support/figures.js';

const restic = resticBinary('0.18');
const password = 'Trigger-Storm-Pw-1Xc5';

function post(server: RunningServer, method: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request({
      host: '127.0.0.1', port: server.port, path: `/api/${method}`, method: 'POST', agent: false,
      headers: { authorization: `Bearer ${server.token}`, host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

describe('50 simultaneous "back up now" requests', () => {
  let dir: string;
  let repo: string;
  let agent: Agent;
  let server: RunningServer;
  const events: ApiEvent[] = [];

  beforeAll(async () => {
    dir = await makeTempDir('trigger-storm');
    const source = join(dir, 'home', 'ana', 'Documentos');
    await mkdir(source, { recursive: true });
    await generateTree(source, { files: 400, dirs: 10, depth: 3, seed: 50, maxSize: 8192 });
    repo = join(dir, 'repo');
    await rawRestic(restic.bin, ['init'], { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: password });
    await writeFile(join(dir, 'config.json'), JSON.stringify({
      modno: 1, version: 6, instance: 'storm-pc',
      repos: [{ id: 'local', uri: repo, password, env: [], flags: [] }],
      plans: [{ id: 'docs', repo: 'local', paths: [source], schedule: { disabled: true }, retention: { policyKeepAll: true } }],
    }));
    agent = await Agent.create({
      configPath: join(dir, 'config.json'), policyPath: null, dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'),
      secrets: new MemorySecretStore(), resticBinary: restic.bin, locale: 'en', hostname: 'storm-pc',
    });
    agent.subscribe((event) => events.push(event));
    server = await startServer({ host: agent, session: agent.createSession(), createSession: () => agent.createSession() });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await agent?.shutdown(10_000);
    if (dir) await removeDir(dir);
  });

  it('coalesce into exactly one job, one history row and one snapshot', async () => {
    const overHttp = Array.from({ length: 25 }, () => post(server, 'runBackup', { planId: 'docs' }).then((r) => {
      expect(r.status, r.body).toBe(200);
      return (JSON.parse(r.body) as { value: { jobId: string } }).value.jobId;
    }));
    const inProcess = Array.from({ length: 25 }, () => agent.call('runBackup', { planId: 'docs' }, agent.createSession()).then((r) => {
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { jobId: string }).jobId;
    }));
    const jobIds = await Promise.all([...overHttp, ...inProcess]);
    const distinct = new Set(jobIds);
    expect(distinct.size).toBe(1);
    const [jobId] = [...distinct];

    const until = Date.now() + 120_000;
    const finishedOf = () => events.find((e) => e.type === 'jobFinished' && e.data.jobId === jobId);
    while (!finishedOf()) {
      if (Date.now() > until) throw new Error('the backup did not finish');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const finished = finishedOf()!;
    expect(finished.type === 'jobFinished' && finished.data.status).toBe('success');
    // Let anything else that was (wrongly) queued get its chance to run.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const jobs = await agent.call('listJobs', {}, agent.createSession());
    expect(jobs.ok && (jobs.value as unknown[]).length).toBe(0);

    const history = await agent.call('listHistory', { type: 'backup', limit: 100 }, agent.createSession());
    if (!history.ok) throw new Error(history.error.message);
    const rows = (history.value as { items: Array<{ status: string }> }).items;
    const queuedEvents = events.filter((e) => e.type === 'jobQueued' && e.data.kind === 'backup').length;
    const raw = await rawRestic(restic.bin, ['snapshots', '--json'], { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: password });
    const snapshots = JSON.parse(raw.stdout) as unknown[];
    recordFigure('load', { name: '50 simultaneous backup-now triggers', triggers: jobIds.length, jobs: distinct.size, historyRows: rows.length, snapshots: snapshots.length });
    expect(rows.map((r) => r.status)).toEqual(['success']);
    expect(queuedEvents).toBe(1);
    expect(snapshots).toHaveLength(1);
  }, 180_000);
});
