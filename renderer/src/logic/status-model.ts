// What the status screen says, as pure functions of the agent's status: the banner's tone, title
// and cause, and the pause choices.
import type { AgentStatus, AppInfo, PlanStatus } from '../../../electron/core/api.js';
import type { FailureCause } from '../../../electron/core/errors.js';
import { formatDayTime, formatTime, hasMessage, t, type Locale, type MessageKey } from '../../../electron/core/i18n/index.js';

export type Tone = 'ok' | 'running' | 'warning' | 'failed' | 'overdue' | 'paused' | 'not-configured' | 'unknown';

export interface Banner {
  tone: Tone;
  title: MessageKey;
  /** Cause message and action keys when something is wrong. */
  cause: MessageKey | null;
  action: MessageKey | null;
  /** The failure cause behind `cause`, so a face can word it for its reader (causeText/causeAction). */
  causeCode?: FailureCause | null;
}

export function bannerFor(status: AgentStatus | null, appInfo: AppInfo | null): Banner {
  const banner = rawBanner(status, appInfo);
  return banner.cause && status?.cause ? { ...banner, causeCode: status.cause } : banner;
}

function rawBanner(status: AgentStatus | null, appInfo: AppInfo | null): Banner {
  if (!status || !appInfo) return { tone: 'unknown', title: 'ui.health.loading', cause: null, action: null };
  if (!appInfo.configured || status.health === 'not-configured') return { tone: 'not-configured', title: 'ui.health.not-configured', cause: null, action: 'ui.health.not-configured.action' };
  const tone: Tone = status.health;
  const title = `ui.health.${tone}` as MessageKey;
  if ((tone === 'failed' || tone === 'warning' || tone === 'overdue') && status.cause) {
    // After the last attempt "Cofre will try again automatically" (the transient causes' action) is no longer true.
    const gaveUp = status.plans.some((p) => p.gaveUpAfterAttempts && !p.running && p.lastCause === status.cause);
    return { tone, title, cause: `cause.${status.cause}` as MessageKey, action: gaveUp ? 'ui.status.gaveUpAction' : (`cause.${status.cause}.action` as MessageKey) };
  }
  // The agent reports a plan that never ran as "overdue"; right after setting Cofre up that reads as
  // a failure. Say what is true instead: there is no backup yet (still orange: nothing is protected).
  if (tone === 'overdue' && status.plans.length > 0 && status.plans.every((p) => p.state === 'never' || p.state === 'ok')) {
    return { tone, title: 'ui.planState.never', cause: null, action: 'ui.health.overdue.action' };
  }
  if (tone === 'overdue') return { tone, title, cause: null, action: 'ui.health.overdue.action' };
  // Waiting between attempts is not "backing up now": say that it will try again, and why.
  if (tone === 'running' && status.plans.some((p) => p.running?.retry || p.running?.retryCause)) {
    return { tone: 'warning', title: 'ui.health.retrying', cause: status.cause ? (`cause.${status.cause}` as MessageKey) : null, action: null };
  }
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

export type Audience = 'clerk' | 'technician';

/**
 * The words for a failure cause. A clerk never meets restic's vocabulary ("senha do repositório",
 * "repositório"): causes that speak it have a plain version; a technician gets the precise one.
 */
export function causeText(cause: FailureCause, audience: Audience, locale?: Locale): string {
  const plain = `ui.clerkCause.${cause}`;
  if (audience === 'clerk' && hasMessage(plain)) return t(plain, undefined, locale);
  return t(`cause.${cause}` as MessageKey, undefined, locale);
}

/** What to do about a cause, addressed to who reads it: a technician is never told to ask the technician. */
export function causeAction(cause: FailureCause, audience: Audience, locale?: Locale): string {
  const key = audience === 'technician' ? `ui.techAction.${cause}` : `ui.clerkCause.${cause}.action`;
  if (hasMessage(key)) return t(key, undefined, locale);
  return t(`cause.${cause}.action` as MessageKey, undefined, locale);
}

/** A plan's name for people: its label, else its id made readable ("financeiro-2024" -> "Financeiro 2024"). */
export function planLabel(plan: { planId: string; label?: string | null }): string {
  if (plan.label && plan.label.trim()) return plan.label.trim();
  return humanizeId(plan.planId);
}

export function humanizeId(id: string): string {
  const words = id.replace(/[-_.]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words ? words.charAt(0).toLocaleUpperCase() + words.slice(1) : id;
}

/**
 * The sentence a person reads about a plan: up to when the files are safe, and, when the last
 * attempt did not succeed, what happened to it. Time of day, not "há 15 minutos" beside "Falhou".
 */
export function protectionSentence(plan: PlanStatus, now: Date, audience: Audience, locale?: Locale): string {
  const safe = plan.lastSuccessAt
    ? t('ui.status.protectedUntil', { time: formatDayTime(plan.lastSuccessAt, now, locale) }, locale)
    : t('ui.status.notProtectedYet', undefined, locale);
  const attempt = lastAttemptNote(plan, audience, locale);
  return attempt ? `${safe} · ${attempt}` : safe;
}

function lastAttemptNote(plan: PlanStatus, audience: Audience, locale?: Locale): string | null {
  const outcome = plan.lastOutcome;
  if (!outcome || outcome === 'success' || !plan.lastAttemptAt) return null;
  // A warning backup still made a snapshot: that one is the success the sentence already names.
  const time = formatTime(plan.lastAttemptAt, locale);
  const cause = plan.lastCause ? causeText(plan.lastCause, audience, locale) : '';
  switch (outcome) {
    case 'failure':
      return t('ui.status.attempt.failure', { time, cause }, locale).replace(/:\s*$/, '');
    case 'warning':
      return t('ui.status.attempt.warning', { time, cause }, locale).replace(/:\s*$/, '');
    default:
      return t(`ui.status.attempt.${outcome}` as MessageKey, { time }, locale);
  }
}

/** "Tentando de novo às 14:40 (tentativa 3 de 5)" while a backup waits between attempts. */
export function retryLine(plan: PlanStatus, locale?: Locale): string | null {
  const retry = plan.running?.retry;
  if (!retry) return null;
  return t('ui.status.retryAt', { time: formatTime(retry.nextAttemptAt, locale), attempt: retry.attempt, max: retry.maxAttempts }, locale);
}

/** While restic itself retries a transient problem inside an attempt: say so, not "0 % · Iniciando…". */
export function strugglingLine(plan: PlanStatus, locale?: Locale): string | null {
  const running = plan.running;
  if (!running || running.retry || !running.retryCause || (running.progress && running.progress.percentDone > 0)) return null;
  const attempt = running.attempt ?? { current: 1, max: 1 };
  return t('ui.status.struggling', { attempt: attempt.current, max: attempt.max }, locale);
}

/** After the last automatic attempt: when the schedule tries next. */
export function gaveUpLine(plan: PlanStatus, now: Date, locale?: Locale): string | null {
  if (!plan.gaveUpAfterAttempts || plan.running) return null;
  return plan.nextRunAt
    ? t('ui.status.gaveUp', { max: plan.gaveUpAfterAttempts, time: formatDayTime(plan.nextRunAt, now, locale) }, locale)
    : t('ui.status.gaveUpNoSchedule', { max: plan.gaveUpAfterAttempts }, locale);
}

/** The machine policy could not be used (damaged, unreadable, invalid): everything it governs is locked. */
export function policyBroken(appInfo: AppInfo | null): boolean {
  return Boolean(appInfo?.configProblem?.code && /^policy\.(invalid|notJson|unreadable)$/.test(appInfo.configProblem.code));
}
