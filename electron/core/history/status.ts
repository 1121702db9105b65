// Status = a pure function of configuration, history, running jobs and the clock. Every face (tray
// icon, status window, CLI, HTTP) shows this one value; nothing keeps its own idea of "is it ok".
// The shapes are the API contract's (api.ts), so the status goes out without conversion.
import type { AgentStatus, PlanStatus } from '../api.js';
import type { Plan } from '../config/backrest-schema.js';
import type { FailureCause } from '../errors.js';
import type { BackupProgress } from '../restic/types.js';
import type { PlanHistory } from './types.js';

export type { AgentStatus, PlanStatus };
export type Health = AgentStatus['health'];
export type PlanState = PlanStatus['state'];

export interface RunningPlan {
  jobId: string;
  progress: BackupProgress | null;
}

export interface StatusInput {
  plans: ReadonlyArray<Pick<Plan, 'id' | 'repo'> & { paths?: string[] }>;
  lastByPlan: ReadonlyMap<string, PlanHistory>;
  /** Backups running now, by plan id. */
  running: ReadonlyMap<string, RunningPlan>;
  nextRunByPlan: ReadonlyMap<string, Date | null>;
  now: Date;
  /** A plan without a successful backup for longer than this is overdue (policy; 0 turns it off). */
  overdueAfterDays: number;
  pausedUntil?: Date | null;
  /** Plans the machine policy manages (shown locked). */
  managedPlanIds?: ReadonlySet<string>;
}

/** How bad each state is; the overall health is the worst plan's. */
const severity: Record<PlanState, number> = { ok: 0, running: 1, paused: 2, never: 3, warning: 4, overdue: 5, failed: 6 };
const dayMs = 86_400_000;

/**
 * A recorded time later than now can only come from a clock that ran ahead: show it as now and
 * flag the skew, never "last backup: in 5 hours".
 */
function clampToNow(at: string | null, now: Date): { at: string | null; skewed: boolean } {
  if (at === null) return { at, skewed: false };
  const ms = Date.parse(at);
  return ms > now.getTime() ? { at: now.toISOString(), skewed: true } : { at, skewed: false };
}

export function derivePlanStatus(plan: StatusInput['plans'][number], input: StatusInput): PlanStatus {
  const history = input.lastByPlan.get(plan.id);
  // Health is judged by the last *completed* attempt; an interrupted or cancelled one after it
  // proves nothing either way and is only shown as the last outcome.
  const attempt = history?.lastAttempt ?? null;
  const latest = history?.latest ?? attempt;
  const success = history?.lastSuccess ?? null;
  const running = input.running.get(plan.id) ?? null;
  const paused = !!input.pausedUntil && input.pausedUntil.getTime() > input.now.getTime();
  const successAt = clampToNow(success?.startedAt ?? null, input.now);
  const attemptAt = clampToNow(latest?.startedAt ?? null, input.now);
  const lastSuccessMs = successAt.at ? Date.parse(successAt.at) : null;
  const overdue = input.overdueAfterDays > 0 && lastSuccessMs !== null && input.now.getTime() - lastSuccessMs > input.overdueAfterDays * dayMs;
  const finished = (op: typeof attempt) => (op && op.status !== 'pending' && op.status !== 'running' ? op.status : null);
  const health = finished(attempt);
  const outcome = finished(latest) ?? health;
  // A backup made whose retention met a lock nobody may clear (a live restic, another computer's):
  // old backups pile up until someone acts, so the plan is not "up to date" (issue 15).
  const lockedRetention = lockedRetentionOf(attempt);
  const troubled = health === 'failure' || health === 'warning' || lockedRetention !== null;

  let state: PlanState;
  if (running) state = 'running';
  else if (health === 'failure') state = 'failed';
  else if (overdue) state = 'overdue';
  else if (health === 'warning' || lockedRetention) state = 'warning';
  else if (paused) state = 'paused';
  else if (!success) state = 'never';
  else state = 'ok';

  const nextRun = input.nextRunByPlan.get(plan.id) ?? null;
  const skewed = successAt.skewed || attemptAt.skewed;
  return {
    planId: plan.id,
    repoId: plan.repo,
    paths: plan.paths ?? [],
    state,
    lastSuccessAt: successAt.at,
    lastAttemptAt: attemptAt.at,
    lastOutcome: outcome,
    lastCause: troubled ? (attempt?.cause ?? (health === 'warning' ? 'partial' : lockedRetention ? 'repo-locked' : null)) : null,
    lastMessage: troubled ? (attempt?.message ?? lockedRetention?.message ?? null) : null,
    lastBackupBytes: success?.totalBytes ?? null,
    nextRunAt: nextRun ? nextRun.toISOString() : null,
    overdue,
    managed: input.managedPlanIds?.has(plan.id) ?? false,
    running: running ? { jobId: running.jobId, progress: running.progress } : null,
    ...(skewed ? { clockSkew: true } : {}),
  };
}

/** The retention outcome linked to a backup row, when it failed on a repository lock. */
function lockedRetentionOf(attempt: PlanHistory['lastAttempt']): { message: string | null } | null {
  const retention = attempt?.summary?.retention as { status?: unknown; cause?: unknown; message?: unknown } | undefined;
  if (!retention || retention.status !== 'failure' || retention.cause !== 'repo-locked') return null;
  return { message: typeof retention.message === 'string' ? retention.message : null };
}

export function deriveStatus(input: StatusInput): AgentStatus {
  const plans = input.plans.map((plan) => derivePlanStatus(plan, input));
  const paused = input.pausedUntil && input.pausedUntil.getTime() > input.now.getTime() ? input.pausedUntil : null;
  let worst: PlanStatus | null = null;
  for (const plan of plans) if (!worst || severity[plan.state] > severity[worst.state]) worst = plan;
  // The contract's health has no "never": a plan never backed up leaves the machine without a
  // backup, which is what "overdue" tells the user (the plan itself still says "never").
  const health: Health = !worst ? 'not-configured' : worst.state === 'never' ? 'overdue' : worst.state;
  const cause: FailureCause | null = worst && (worst.state === 'failed' || worst.state === 'warning') ? worst.lastCause : null;
  return {
    health,
    cause,
    causePlanId: worst && worst.state !== 'ok' ? worst.planId : null,
    pausedUntil: paused ? paused.toISOString() : null,
    plans,
    generatedAt: input.now.toISOString(),
    ...(plans.some((plan) => plan.clockSkew) ? { clockSkew: true } : {}),
  };
}
