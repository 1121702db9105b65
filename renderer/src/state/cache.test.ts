import { describe, expect, it } from 'vitest';
import { applyEvent, emptyCache, toProgressView } from './cache.js';
import type { AgentStatus, PlanStatus } from '../../../electron/core/api.js';

const plan = (over: Partial<PlanStatus> = {}): PlanStatus => ({
  planId: 'docs', repoId: 'srv', paths: ['/home/ana'], state: 'ok', lastSuccessAt: null, lastAttemptAt: null, lastOutcome: null, lastCause: null,
  lastMessage: null, lastBackupBytes: null, nextRunAt: null, overdue: false, managed: false, running: null, ...over,
});
const status: AgentStatus = { health: 'ok', cause: null, causePlanId: null, pausedUntil: null, plans: [plan(), plan({ planId: 'fotos' })], generatedAt: '2026-11-27T10:00:00Z' };

describe('cache reducer', () => {
  it('replaces the status on a status event', () => {
    const next = applyEvent(emptyCache, { type: 'status', data: status });
    expect(next.status).toBe(status);
  });

  it('puts backup progress on the right plan card', () => {
    const withStatus = { ...emptyCache, status };
    const next = applyEvent(withStatus, {
      type: 'jobProgress',
      data: { jobId: 'j1', kind: 'backup', planId: 'fotos', progress: { percentDone: 0.42, filesDone: 10, totalFiles: 20, bytesDone: 5, totalBytes: 10, secondsRemaining: 30, currentFiles: ['/home/ana/a.txt'] } },
    });
    expect(next.status!.plans[0]!.running).toBeNull();
    expect(next.status!.plans[1]!.state).toBe('running');
    expect(next.status!.plans[1]!.running).toMatchObject({ jobId: 'j1', progress: { percentDone: 0.42, filesDone: 10, currentFiles: ['/home/ana/a.txt'], secondsRemaining: 30 } });
    expect(next.jobs.j1!.progress!.percentDone).toBe(0.42);
  });

  it('forgets a finished job but keeps its result for the screen that started it', () => {
    let s = applyEvent(emptyCache, { type: 'jobQueued', data: { jobId: 'r1', kind: 'restore', planId: null, repoId: 'srv', state: 'queued', startedAt: null } });
    expect(s.jobs.r1).toBeDefined();
    s = applyEvent(s, {
      type: 'jobFinished',
      data: { jobId: 'r1', kind: 'restore', planId: null, repoId: 'srv', status: 'success', error: null, snapshotId: null, restoreReport: { restored: 1, unchanged: 0, keptBoth: 1, skipped: 0, replaced: 0, failed: [], destination: '/home/ana', replacedFolder: null } },
    });
    expect(s.jobs.r1).toBeUndefined();
    expect(s.finished.r1!.restoreReport!.keptBoth).toBe(1);
  });

  it('counts config changes and applies preference changes', () => {
    const s = applyEvent(emptyCache, { type: 'configChanged', data: { modno: 4 } });
    expect(s.configVersion).toBe(1);
  });

  it('reads restore progress given in bytes or percent', () => {
    expect(toProgressView({ bytesDone: 50, totalBytes: 200 }).percentDone).toBe(0.25);
    expect(toProgressView({ percentDone: 80 }).percentDone).toBe(0.8);
    expect(toProgressView({}).percentDone).toBe(0);
  });
});
