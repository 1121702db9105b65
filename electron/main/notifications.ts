// When to show a desktop notification: a pure state machine fed with agent events and status.
// Rules: a failed backup, a backup with warnings, a restore that finished (or failed), and a plan
// with no successful backup for the policy's number of days. The level is the user's preference
// (all / problems / off) unless the policy fixes it. The same failure is announced once: a plan
// that keeps failing for the same cause every hour does not nag; a success resets it.
import { formatRelative, t, type Locale } from '../core/i18n/index.js';
import type { AgentStatus, ApiEvent, Preferences } from '../core/api.js';
import type { WindowKind } from './tray-menu.js';

export type NotificationLevel = Preferences['notifications'];
export type NotificationKind = 'backup-failed' | 'backup-warning' | 'backup-overdue' | 'restore-finished' | 'restore-failed';

export interface NotificationSpec {
  kind: NotificationKind;
  title: string;
  body: string;
  /** Window opened when the notification is clicked. */
  opens: WindowKind;
  urgent: boolean;
}

export interface NotifierState {
  /** planId -> what was last announced for the plan's current bad streak ('failure:<cause>' | 'warning'). */
  announcedOutcome: Record<string, string>;
  /** planIds whose overdue state was announced; cleared by the next success. */
  announcedOverdue: string[];
}

export interface NotifyContext {
  level: NotificationLevel;
  /** A policy-fixed level wins over the user's choice. */
  policyLevel?: NotificationLevel | null;
  locale: Locale;
  now: Date;
}

export const initialNotifierState = (): NotifierState => ({ announcedOutcome: {}, announcedOverdue: [] });

export function effectiveLevel(ctx: Pick<NotifyContext, 'level' | 'policyLevel'>): NotificationLevel {
  return ctx.policyLevel ?? ctx.level;
}

function allowed(kind: NotificationKind, level: NotificationLevel): boolean {
  if (level === 'off') return false;
  if (level === 'all') return true;
  return kind !== 'restore-finished';
}

interface Decision {
  notifications: NotificationSpec[];
  state: NotifierState;
}

export function notificationsForEvent(event: ApiEvent, state: NotifierState, ctx: NotifyContext): Decision {
  if (event.type !== 'jobFinished') return { notifications: [], state };
  const level = effectiveLevel(ctx);
  const { data } = event;
  const loc = ctx.locale;
  const emit = (spec: NotificationSpec): NotificationSpec[] => (allowed(spec.kind, level) ? [spec] : []);

  if (data.kind === 'restore') {
    if (data.status === 'success' || data.status === 'warning') {
      const report = data.restoreReport;
      const count = report ? report.restored + report.replaced + report.keptBoth : 0;
      return {
        state,
        notifications: emit({
          kind: 'restore-finished',
          title: t('desktop.notify.restoreFinished.title', undefined, loc),
          body: t('desktop.notify.restoreFinished.body', { count, destination: report?.destination ?? '' }, loc),
          opens: 'restore',
          urgent: false,
        }),
      };
    }
    if (data.status === 'failure') {
      return {
        state,
        notifications: emit({
          kind: 'restore-failed',
          title: t('desktop.notify.restoreFailed.title', undefined, loc),
          body: t('desktop.notify.restoreFailed.body', { reason: data.error?.message ?? '' }, loc),
          opens: 'restore',
          urgent: true,
        }),
      };
    }
    return { notifications: [], state };
  }

  if (data.kind !== 'backup' || !data.planId) return { notifications: [], state };
  const planId = data.planId;
  const outcome = { ...state.announcedOutcome };

  if (data.status === 'success') {
    delete outcome[planId];
    return { notifications: [], state: { announcedOutcome: outcome, announcedOverdue: state.announcedOverdue.filter((id) => id !== planId) } };
  }
  if (data.status === 'cancelled') return { notifications: [], state };

  const key = data.status === 'failure' ? `failure:${data.error?.cause ?? data.error?.code ?? 'unknown'}` : 'warning';
  if (outcome[planId] === key) return { notifications: [], state };
  // A warning after a failure of the same streak is news; a failure after a warning is too.
  outcome[planId] = key;
  const next = { ...state, announcedOutcome: outcome };
  const spec: NotificationSpec = data.status === 'failure'
    ? {
      kind: 'backup-failed',
      title: t('desktop.notify.backupFailed.title', undefined, loc),
      body: t('desktop.notify.backupFailed.body', { plan: planId, reason: data.error?.message ?? '' }, loc),
      opens: 'status',
      urgent: true,
    }
    : {
      kind: 'backup-warning',
      title: t('desktop.notify.backupWarning.title', undefined, loc),
      body: t('desktop.notify.backupWarning.body', { plan: planId }, loc),
      opens: 'history',
      urgent: false,
    };
  return { notifications: emit(spec), state: next };
}

/**
 * Overdue check, run on every status event and on a timer: a plan is overdue when its last
 * success is older than `overdueDays`. Plans that never succeeded count from their first attempt
 * (a fresh install that has not tried yet is not overdue).
 */
export function overdueNotifications(status: AgentStatus, state: NotifierState, ctx: NotifyContext & { overdueDays: number }): Decision {
  const level = effectiveLevel(ctx);
  const limitMs = ctx.overdueDays * 86_400_000;
  const notifications: NotificationSpec[] = [];
  const announced = new Set(state.announcedOverdue);
  for (const plan of status.plans) {
    const since = plan.lastSuccessAt ?? plan.lastAttemptAt;
    const overdue = since !== null && ctx.now.getTime() - Date.parse(since) > limitMs;
    if (!overdue) {
      announced.delete(plan.planId);
      continue;
    }
    if (announced.has(plan.planId)) continue;
    announced.add(plan.planId);
    if (!allowed('backup-overdue', level)) continue;
    notifications.push({
      kind: 'backup-overdue',
      title: t('desktop.notify.overdue.title', undefined, ctx.locale),
      body: plan.lastSuccessAt
        ? t('desktop.notify.overdue.body', { plan: plan.planId, when: formatRelative(plan.lastSuccessAt, ctx.now, ctx.locale) }, ctx.locale)
        : t('desktop.notify.overdueNever.body', { plan: plan.planId }, ctx.locale),
      opens: 'status',
      urgent: true,
    });
  }
  return { notifications, state: { ...state, announcedOverdue: [...announced].sort() } };
}
