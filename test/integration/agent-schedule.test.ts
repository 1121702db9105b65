// The agent's scheduler wiring with real restic: a plan that never ran and is due fires once at
// start (catch-up), its snapshot lands in the repository, history and status say so, and pausing
// stops scheduled work. Also: the same plan is never run twice at once across two agents.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import type { ApiEvent } from '../../electron/core/api.js';
import { MemorySecretStore } from '../../electron/core/secrets/index.js';
import { makeTempDir, rawRestic, removeDir, resticBinary } from '../fixtures/index.js';

describe('agent scheduler with real restic', () => {
  let dir: string;
  let repoDir: string;
  let source: string;
  const restic = resticBinary('0.18');

  beforeAll(async () => {
    dir = await makeTempDir('agent-schedule');
    repoDir = join(dir, 'repo');
    source = join(dir, 'home', 'Documentos');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'a.txt'), 'conteúdo\n');
    await rawRestic(restic.bin, ['init'], { RESTIC_REPOSITORY: repoDir, RESTIC_PASSWORD: 'pw-sched' });
  });

  afterAll(async () => {
    await removeDir(dir);
  });

  async function makeAgent(name: string, secrets = new MemorySecretStore()): Promise<Agent> {
    const dataDir = join(dir, name);
    await mkdir(dataDir, { recursive: true });
    const config = {
      version: 6,
      instance: 'pc-sched',
      repos: [{ id: 'local', uri: repoDir, password: 'pw-sched' }],
      plans: [{ id: 'docs', repo: 'local', paths: [source], schedule: { maxFrequencyHours: 6, clock: 'CLOCK_LAST_RUN_TIME' }, retention: { policyKeepLastN: 5 } }],
    };
    const agent = await Agent.create({ configPath: join(dataDir, 'config.json'), policyPath: null, dataDir, cacheDir: join(dataDir, 'cache'), secrets, resticBinary: restic.bin, locale: 'en' });
    const session = agent.createSession({ technician: true });
    const imported = await agent.call('importBackrest', { content: JSON.stringify(config) }, session);
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    return agent;
  }

  it('runs a due plan once at start and reports it in history and status', async () => {
    const agent = await makeAgent('one');
    const events: ApiEvent[] = [];
    agent.subscribe((e) => events.push(e));
    try {
      agent.start();
      await expect.poll(() => events.filter((e) => e.type === 'jobFinished' && e.data.kind === 'backup').length, { timeout: 60_000, interval: 200 }).toBe(1);
      const finished = events.find((e) => e.type === 'jobFinished' && e.data.kind === 'backup');
      expect(finished?.type === 'jobFinished' && finished.data.status).toBe('success');
      const session = agent.createSession();
      const status = await agent.call('getStatus', {}, session);
      expect(status.ok && status.value.plans[0]?.lastSuccessAt).toBeTruthy();
      expect(status.ok && status.value.plans[0]?.nextRunAt).toBeTruthy();
      const history = await agent.call('listHistory', { type: 'backup' }, session);
      const rows = history.ok ? history.value.items : [];
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('success');
      expect(['schedule', 'catch-up']).toContain(rows[0]!.trigger);
      // Nothing else fires: the next run is six hours away.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(events.filter((e) => e.type === 'jobQueued' && e.data.kind === 'backup')).toHaveLength(1);
    } finally {
      await agent.shutdown(10_000);
    }
    const snapshots = JSON.parse((await rawRestic(restic.bin, ['snapshots', '--json'], { RESTIC_REPOSITORY: repoDir, RESTIC_PASSWORD: 'pw-sched' })).stdout) as Array<{ tags: string[] }>;
    expect(snapshots.some((s) => s.tags.includes('plan:docs') && s.tags.includes('created-by:pc-sched'))).toBe(true);
  });

  it('does not run scheduled work while paused', async () => {
    const agent = await makeAgent('paused');
    const events: ApiEvent[] = [];
    agent.subscribe((e) => events.push(e));
    try {
      const session = agent.createSession();
      const paused = await agent.call('pause', { until: new Date(Date.now() + 3_600_000).toISOString() }, session);
      expect(paused.ok && paused.value.pausedUntil).toBeTruthy();
      agent.start();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(events.filter((e) => e.type === 'jobQueued')).toHaveLength(0);
    } finally {
      await agent.shutdown(10_000);
    }
  });

  it('never runs the same plan twice at once, even from two agents sharing the data folder', async () => {
    const secrets = new MemorySecretStore();
    const first = await makeAgent('shared', secrets);
    const second = await Agent.create({ configPath: join(dir, 'shared', 'config.json'), policyPath: null, dataDir: join(dir, 'shared'), cacheDir: join(dir, 'shared', 'cache'), secrets, resticBinary: restic.bin, locale: 'en' });
    const outcomes: string[] = [];
    const listen = (agent: Agent) => agent.subscribe((e) => {
      if (e.type === 'jobFinished' && e.data.kind === 'backup') outcomes.push(`${e.data.status}:${e.data.error?.code ?? ''}`);
    });
    listen(first);
    listen(second);
    try {
      const a = await first.call('runBackup', { planId: 'docs' }, first.createSession());
      const b = await second.call('runBackup', { planId: 'docs' }, second.createSession());
      expect(a.ok && b.ok).toBe(true);
      await expect.poll(() => outcomes.length, { timeout: 60_000, interval: 200 }).toBe(2);
      expect(outcomes.sort()).toEqual(['failure:error.busy', 'success:']);
    } finally {
      await first.shutdown(10_000);
      await second.shutdown(10_000);
    }
  });
});
