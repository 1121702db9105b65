// Regression tests (issue 15): the status never says "em dia" after a failed or interrupted attempt,
// and a row recorded while the clock ran ahead neither wins over later rows nor shows in the future.
import { describe, expect, it } from 'vitest';
import { agentStatusSchema } from '../api.js';
import { deriveStatus } from './status.js';
import { HistoryStore } from './store.js';

const now = new Date('2026-03-10T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

function statusOf(store: HistoryStore, at = now) {
  const status = deriveStatus({
    plans: [{ id: 'p', repo: 'nas', paths: ['/home/ana'] }],
    lastByPlan: store.lastByPlan(['p']), running: new Map(), nextRunByPlan: new Map(), now: at, overdueAfterDays: 3,
  });
  expect(agentStatusSchema.parse(status)).toEqual(status);
  return status;
}

function backup(store: HistoryStore, status: 'success' | 'failure', startedAt: Date) {
  const id = store.record({ type: 'backup', planId: 'p', repoId: 'nas', trigger: 'schedule', startedAt });
  store.finish(id, { status, endedAt: new Date(startedAt.getTime() + 60_000), ...(status === 'failure' ? { cause: 'server-unreachable', message: 'unreachable' } : {}) });
}

describe('status after failed, interrupted and clock-skewed attempts', () => {
  it('a backup killed after a failed one leaves health failed and shows the interruption', () => {
    const store = new HistoryStore(':memory:', { pid: 4242, isAlive: () => false, bootTime: 0, processStart: 0 });
    backup(store, 'success', hours(-30));
    backup(store, 'failure', hours(-2));
    store.record({ type: 'backup', planId: 'p', repoId: 'nas', trigger: 'schedule', startedAt: hours(-1) });
    expect(store.markInterrupted(4242)).toBe(1);
    const status = statusOf(store);
    expect(status.health).toBe('failed');
    expect(status.cause).toBe('server-unreachable');
    expect(status.plans[0]).toMatchObject({ state: 'failed', lastOutcome: 'interrupted', lastAttemptAt: hours(-1).toISOString() });
    store.close();
  });

  it('an interruption after a success is shown as such, not as a success', () => {
    const store = new HistoryStore(':memory:', { pid: 4242 });
    backup(store, 'success', hours(-3));
    store.record({ type: 'backup', planId: 'p', repoId: 'nas', trigger: 'schedule', startedAt: hours(-1) });
    store.markInterrupted(4242);
    const plan = statusOf(store).plans[0]!;
    expect(plan.lastOutcome).toBe('interrupted');
    expect(plan.lastSuccessAt).toBe(hours(-3).toISOString());
    store.close();
  });

  it('a success recorded 5 h ahead does not outrank a later failure and never shows in the future', () => {
    const store = new HistoryStore(':memory:');
    backup(store, 'success', hours(5));
    backup(store, 'failure', hours(-0.5));
    const status = statusOf(store);
    expect(status.health).toBe('failed');
    const plan = status.plans[0]!;
    expect(plan.lastOutcome).toBe('failure');
    expect(Date.parse(plan.lastSuccessAt!)).toBeLessThanOrEqual(now.getTime());
    expect(plan.clockSkew).toBe(true);
    expect(status.clockSkew).toBe(true);
  });

  it('no skew flag when every time is in the past', () => {
    const store = new HistoryStore(':memory:');
    backup(store, 'success', hours(-1));
    const status = statusOf(store);
    expect(status.health).toBe('ok');
    expect(status.clockSkew).toBeUndefined();
  });

  it('a backup whose retention failed on a lock it could not clear is a warning, not "up to date"', () => {
    const store = new HistoryStore(':memory:', { pid: 4242 });
    const id = store.record({ type: 'backup', planId: 'p', repoId: 'nas', trigger: 'schedule', startedAt: hours(-1) });
    store.finish(id, { status: 'success', endedAt: hours(-1), summary: { retention: { status: 'failure', removed: 0, kept: 0, managedByServer: false, cause: 'repo-locked', message: 'The repository is locked by another operation.' } } });
    const status = statusOf(store);
    expect(status.health).toBe('warning');
    expect(status.cause).toBe('repo-locked');
    expect(status.plans[0]).toMatchObject({ state: 'warning', lastOutcome: 'success', lastCause: 'repo-locked', lastMessage: 'The repository is locked by another operation.' });
    store.close();
  });
});
