import { describe, expect, it } from 'vitest';
import { agentStatusSchema } from '../api.js';
import { deriveStatus, type StatusInput } from './status.js';
import type { Operation, OperationStatus, PlanHistory } from './types.js';

const now = new Date('2026-03-10T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

function op(status: OperationStatus, startedAt: string, extra: Partial<Operation> = {}): Operation {
  return {
    id: 1, type: 'backup', planId: 'p', repoId: 'nas', snapshotId: null, status, trigger: 'schedule', startedAt,
    endedAt: startedAt, durationMs: 1000, bytesAdded: null, totalBytes: 5_000, cause: null, message: null, detail: null, summary: null, pid: null,
    ...extra,
  };
}
function history(lastAttempt: Operation | null, lastSuccess: Operation | null): PlanHistory {
  return { lastAttempt, lastSuccess, lastAttemptAt: lastAttempt?.startedAt ?? null, lastSuccessAt: lastSuccess?.startedAt ?? null };
}
function input(last: PlanHistory | undefined, extra: Partial<StatusInput> = {}): StatusInput {
  return {
    plans: [{ id: 'p', repo: 'nas', paths: ['/home/ana'] }],
    lastByPlan: new Map(last ? [['p', last]] : []),
    running: new Map(), nextRunByPlan: new Map([['p', new Date('2026-03-10T15:30:00Z')]]),
    now, overdueAfterDays: 3, ...extra,
  };
}

describe('deriveStatus', () => {
  const ok = op('success', daysAgo(1));
  const failure = op('failure', daysAgo(0.5), { cause: 'server-unreachable', message: 'The backup server cannot be reached.' });
  const partial = op('warning', daysAgo(0.5), { message: '2 files could not be read.' });
  const cases: Array<[string, StatusInput, { state: string; health: string; cause: string | null; overdue: boolean }]> = [
    ['recent success', input(history(ok, ok)), { state: 'ok', health: 'ok', cause: null, overdue: false }],
    ['never backed up', input(undefined), { state: 'never', health: 'overdue', cause: null, overdue: false }],
    ['success 2 days ago is still fine', input(history(op('success', daysAgo(2)), op('success', daysAgo(2)))), { state: 'ok', health: 'ok', cause: null, overdue: false }],
    ['no success for more than 3 days', input(history(op('success', daysAgo(4)), op('success', daysAgo(4)))), { state: 'overdue', health: 'overdue', cause: null, overdue: true }],
    ['partial backup', input(history(partial, partial)), { state: 'warning', health: 'warning', cause: 'partial', overdue: false }],
    ['failure surfaces its cause', input(history(failure, ok)), { state: 'failed', health: 'failed', cause: 'server-unreachable', overdue: false }],
    ['failure while also overdue stays failed', input(history(failure, op('success', daysAgo(9)))), { state: 'failed', health: 'failed', cause: 'server-unreachable', overdue: true }],
    ['paused', input(history(ok, ok), { pausedUntil: new Date('2026-03-11T08:00:00Z') }), { state: 'paused', health: 'paused', cause: null, overdue: false }],
    ['an expired pause is no pause', input(history(ok, ok), { pausedUntil: new Date('2026-03-10T11:00:00Z') }), { state: 'ok', health: 'ok', cause: null, overdue: false }],
    ['running wins over a failure', input(history(failure, ok), { running: new Map([['p', { jobId: 'j1', progress: null }]]) }), { state: 'running', health: 'running', cause: null, overdue: false }],
    ['a cancelled run is not a failure', input(history(op('cancelled', daysAgo(0.1)), ok)), { state: 'ok', health: 'ok', cause: null, overdue: false }],
    ['an interrupted run is not a failure', input(history(op('interrupted', daysAgo(0.1)), ok)), { state: 'ok', health: 'ok', cause: null, overdue: false }],
    ['overdue check can be turned off', input(history(op('success', daysAgo(40)), op('success', daysAgo(40))), { overdueAfterDays: 0 }), { state: 'ok', health: 'ok', cause: null, overdue: false }],
  ];
  it.each(cases)('%s', (_name, given, expected) => {
    const status = deriveStatus(given);
    const plan = status.plans[0]!;
    expect({ state: plan.state, health: status.health, cause: status.cause, overdue: plan.overdue }).toEqual(expected);
    expect(agentStatusSchema.safeParse(status).success).toBe(true);
  });

  it('fills the plan line the status window shows', () => {
    const status = deriveStatus(input(history(failure, ok), { managedPlanIds: new Set(['p']) }));
    expect(status.plans[0]).toEqual({
      planId: 'p', repoId: 'nas', paths: ['/home/ana'], state: 'failed',
      lastSuccessAt: ok.startedAt, lastAttemptAt: failure.startedAt, lastOutcome: 'failure',
      lastCause: 'server-unreachable', lastMessage: 'The backup server cannot be reached.',
      lastBackupBytes: 5_000, nextRunAt: '2026-03-10T15:30:00.000Z', overdue: false, managed: true, running: null,
    });
    expect(status.causePlanId).toBe('p');
    expect(status.generatedAt).toBe(now.toISOString());
  });

  it('takes the worst plan as overall health, with its cause and plan', () => {
    const status = deriveStatus({
      plans: [{ id: 'a', repo: 'nas' }, { id: 'b', repo: 'nas' }, { id: 'c', repo: 'usb' }],
      lastByPlan: new Map([
        ['a', history(ok, ok)],
        ['b', history(op('failure', daysAgo(0.2), { cause: 'wrong-password' }), ok)],
        ['c', history(partial, partial)],
      ]),
      running: new Map([['a', { jobId: 'j', progress: null }]]),
      nextRunByPlan: new Map(), now, overdueAfterDays: 3,
    });
    expect(status.plans.map((p) => p.state)).toEqual(['running', 'failed', 'warning']);
    expect([status.health, status.cause, status.causePlanId]).toEqual(['failed', 'wrong-password', 'b']);
  });

  it('says "not configured" without plans', () => {
    const status = deriveStatus({ plans: [], lastByPlan: new Map(), running: new Map(), nextRunByPlan: new Map(), now, overdueAfterDays: 3, pausedUntil: new Date('2026-03-11T00:00:00Z') });
    expect([status.health, status.cause, status.causePlanId, status.pausedUntil]).toEqual(['not-configured', null, null, '2026-03-11T00:00:00.000Z']);
  });
});
