import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../core/api.js';
import { initialNotifierState, notificationsForEvent, overdueNotifications, type NotifierState, type NotifyContext } from './notifications.js';
import { agentStatus, planStatus } from './test-status.js';

const now = new Date('2026-11-27T12:00:00.000Z');
const ctx: NotifyContext = { level: 'problems', locale: 'pt-BR', now };

function backupFinished(status: 'success' | 'warning' | 'failure' | 'cancelled', cause: 'server-unreachable' | 'wrong-password' = 'server-unreachable', planId = 'documentos'): ApiEvent {
  return {
    type: 'jobFinished',
    data: {
      jobId: 'j', kind: 'backup', planId, repoId: 'financeiro', status, snapshotId: null, restoreReport: null,
      error: status === 'failure' ? { code: `cause.${cause}`, message: 'O servidor não respondeu.', cause } : null,
    },
  };
}
const restoreFinished: ApiEvent = {
  type: 'jobFinished',
  data: {
    jobId: 'r', kind: 'restore', planId: null, repoId: 'financeiro', status: 'success', error: null, snapshotId: 'abcdef12',
    restoreReport: { restored: 3, unchanged: 0, keptBoth: 1, skipped: 0, replaced: 0, failed: [], destination: 'C:\\Users\\ana\\Documents', replacedFolder: null },
  },
};

function feed(events: ApiEvent[], context: NotifyContext = ctx) {
  let state: NotifierState = initialNotifierState();
  const shown = [];
  for (const event of events) {
    const decision = notificationsForEvent(event, state, context);
    state = decision.state;
    shown.push(...decision.notifications);
  }
  return shown;
}

describe('notifications', () => {
  it('announces a failed backup with its reason, once per failure streak', () => {
    const shown = feed([backupFinished('failure'), backupFinished('failure'), backupFinished('failure')]);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ kind: 'backup-failed', title: 'O backup falhou', body: 'documentos: O servidor não respondeu.', urgent: true });
  });

  it('announces again when the cause changes or after a success', () => {
    expect(feed([backupFinished('failure'), backupFinished('failure', 'wrong-password')])).toHaveLength(2);
    expect(feed([backupFinished('failure'), backupFinished('success'), backupFinished('failure')])).toHaveLength(2);
    expect(feed([backupFinished('failure'), backupFinished('cancelled'), backupFinished('failure')])).toHaveLength(1);
  });

  it('keeps plans apart', () => {
    expect(feed([backupFinished('failure', 'server-unreachable', 'a'), backupFinished('failure', 'server-unreachable', 'b')])).toHaveLength(2);
  });

  it('tells about finished restores only at level "all", failed ones at "problems" too', () => {
    expect(feed([restoreFinished])).toHaveLength(0);
    const shown = feed([restoreFinished], { ...ctx, level: 'all' });
    expect(shown[0]).toMatchObject({ kind: 'restore-finished', body: 'Arquivos restaurados: 4. Destino: C:\\Users\\ana\\Documents' });
  });

  it('stays quiet at level "off", and the policy level wins over the user', () => {
    expect(feed([backupFinished('failure'), backupFinished('warning')], { ...ctx, level: 'off' })).toHaveLength(0);
    expect(feed([backupFinished('failure')], { ...ctx, level: 'all', policyLevel: 'off' })).toHaveLength(0);
    expect(feed([backupFinished('failure')], { ...ctx, level: 'off', policyLevel: 'problems' })).toHaveLength(1);
  });

  it('announces a warning (unreadable files) once', () => {
    const shown = feed([backupFinished('warning'), backupFinished('warning')]);
    expect(shown).toEqual([expect.objectContaining({ kind: 'backup-warning', body: 'Alguns arquivos de documentos não puderam ser lidos.' })]);
  });
});

describe('overdue notifications', () => {
  const overdueCtx = { ...ctx, overdueDays: 3 };
  const stale = agentStatus({ plans: [planStatus({ lastSuccessAt: '2026-11-22T12:00:00.000Z' })] });

  it('announces a plan without success for more than the policy days, once', () => {
    const first = overdueNotifications(stale, initialNotifierState(), overdueCtx);
    expect(first.notifications).toEqual([expect.objectContaining({ kind: 'backup-overdue', body: 'O último backup bem-sucedido de documentos foi há 5 dias.' })]);
    expect(overdueNotifications(stale, first.state, overdueCtx).notifications).toHaveLength(0);
  });

  it('does not nag a fresh install, nor a plan inside the limit, and re-arms after a success', () => {
    const fresh = agentStatus({ plans: [planStatus({ lastSuccessAt: null, lastAttemptAt: null })] });
    expect(overdueNotifications(fresh, initialNotifierState(), overdueCtx).notifications).toHaveLength(0);
    expect(overdueNotifications(agentStatus(), initialNotifierState(), overdueCtx).notifications).toHaveLength(0);
    const announced = overdueNotifications(stale, initialNotifierState(), overdueCtx).state;
    const afterSuccess = notificationsForEvent(backupFinished('success'), announced, ctx).state;
    expect(overdueNotifications(stale, afterSuccess, overdueCtx).notifications).toHaveLength(1);
  });

  it('counts a plan that never succeeded from its first attempt', () => {
    const never = agentStatus({ plans: [planStatus({ lastSuccessAt: null, lastAttemptAt: '2026-11-20T12:00:00.000Z' })] });
    expect(overdueNotifications(never, initialNotifierState(), overdueCtx).notifications[0]?.body).toBe('Ainda não houve nenhum backup bem-sucedido de documentos.');
  });
});
