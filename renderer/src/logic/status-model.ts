// What the status screen says, as pure functions of the agent's status: the banner's tone, title
// and cause, and the pause choices.
import type { AgentStatus, AppInfo, PlanStatus } from '../../../electron/core/api.js';
import type { MessageKey } from '../../../electron/core/i18n/index.js';

export type Tone = 'ok' | 'running' | 'warning' | 'failed' | 'overdue' | 'paused' | 'not-configured' | 'unknown';

export interface Banner {
  tone: Tone;
  title: MessageKey;
  /** Cause message and action keys when something is wrong. */
  cause: MessageKey | null;
  action: MessageKey | null;
}

export function bannerFor(status: AgentStatus | null, appInfo: AppInfo | null): Banner {
  if (!status || !appInfo) return { tone: 'unknown', title: 'ui.health.loading', cause: null, action: null };
  if (!appInfo.configured || status.health === 'not-configured') return { tone: 'not-configured', title: 'ui.health.not-configured', cause: null, action: 'ui.health.not-configured.action' };
  const tone: Tone = status.health;
  const title = `ui.health.${tone}` as MessageKey;
  if ((tone === 'failed' || tone === 'warning' || tone === 'overdue') && status.cause) {
    return { tone, title, cause: `cause.${status.cause}` as MessageKey, action: `cause.${status.cause}.action` as MessageKey };
  }
  // The agent reports a plan that never ran as "overdue"; right after setting Cofre up that reads as
  // a failure. Say what is true instead: there is no backup yet (still orange: nothing is protected).
  if (tone === 'overdue' && status.plans.length > 0 && status.plans.every((p) => p.state === 'never' || p.state === 'ok')) {
    return { tone, title: 'ui.planState.never', cause: null, action: 'ui.health.overdue.action' };
  }
  if (tone === 'overdue') return { tone, title, cause: null, action: 'ui.health.overdue.action' };
  // Still running, but waiting out a problem that may fix itself (server unreachable): say which.
  if (tone === 'running' && status.cause) return { tone, title, cause: `cause.${status.cause}` as MessageKey, action: `cause.${status.cause}.action` as MessageKey };
  return { tone, title, cause: null, action: null };
}

export type PauseChoice = 'hour' | 'tomorrow';

/** "1 hora" = now + 1 h; "até amanhã" = tomorrow at 08:00 local time, when the working day starts. */
export function pauseUntil(choice: PauseChoice, now: Date): string {
  if (choice === 'hour') return new Date(now.getTime() + 3_600_000).toISOString();
  const t = new Date(now);
  t.setDate(t.getDate() + 1);
  t.setHours(8, 0, 0, 0);
  return t.toISOString();
}

/** The state pill of one plan card. */
export function planTone(plan: PlanStatus): Tone {
  if (plan.running) return 'running';
  switch (plan.state) {
    case 'never':
      return 'unknown';
    default:
      return plan.state;
  }
}

/** The running backup of the status, if any (the first, when several repositories run at once). */
export function runningPlans(status: AgentStatus | null): PlanStatus[] {
  return status ? status.plans.filter((p) => p.running) : [];
}
