// The agent's status as every face shows it: each plan's health from history, what runs now and
// what it is going through (progress, a transient cause it waits out, the next attempt), the next
// scheduled run, pause, and the technician's plan labels.
import type { AgentStatus } from '../api.js';
import type { FailureCause } from '../errors.js';
import { deriveStatus } from '../history/status.js';
import type { RetryPolicy } from '../jobs/index.js';
import type { BackupProgress } from '../restic/types.js';
import { nextRunsByTask, scheduledTasks, taskKey } from '../schedule/due.js';
import type { Clock, History, JobTrackerPort, LabelsPort, PolicyPort, Queue, SchedulingPort, SettingsPort } from './ports.js';

export interface StatusDeps {
  settings: Pick<SettingsPort, 'effective' | 'merged'>;
  policy: Pick<PolicyPort, 'overdueAfterDays'>;
  history: Pick<History, 'lastByPlan'>;
  labels: Pick<LabelsPort, 'get'>;
  queue: Pick<Queue, 'list'>;
  tracker: JobTrackerPort;
  scheduling: Pick<SchedulingPort, 'pausedUntil' | 'lastRuns'>;
  retry: RetryPolicy;
  clock: Clock;
}

export function agentStatus(deps: StatusDeps): AgentStatus {
  const config = deps.settings.effective();
  const now = deps.clock.now();
  const pausedUntil = deps.scheduling.pausedUntil();
  const paused = pausedUntil && pausedUntil > now ? pausedUntil : null;
  const nextRuns = nextRunsByTask(scheduledTasks(config.plans), { now, lastRun: deps.scheduling.lastRuns(), pausedUntil: paused });
  const running = new Map<string, { jobId: string; progress: BackupProgress | null }>();
  const retries = new Map<string, { attempt: number; maxAttempts: number; nextAttemptAt: string }>();
  const attempts = new Map<string, { current: number; max: number }>();
  const retryCauses = new Map<string, FailureCause>();
  for (const job of deps.queue.list()) {
    if (job.kind !== 'backup' || !job.planId || job.state === 'queued') continue;
    running.set(job.planId, { jobId: job.id, progress: deps.tracker.progress(job.id) ?? null });
    const next = deps.tracker.nextAttempt(job.id);
    if (next && job.state === 'retrying') retries.set(job.planId, { attempt: next.attempt, maxAttempts: next.maxAttempts, nextAttemptAt: new Date(next.at).toISOString() });
    attempts.set(job.planId, { current: Math.max(1, job.attempt), max: deps.retry.maxAttempts });
    const retry = deps.tracker.trouble(job.id);
    // restic's own retries are only seen as they happen; a minute of silence means it got through.
    // A later attempt that has not got through yet (it first unlocks, against the same dead server) still struggles.
    if (retry && (job.state === 'retrying' || Date.now() - retry.at < 60_000 || (job.attempt > 1 && !deps.tracker.progress(job.id)))) retryCauses.set(job.planId, retry.cause);
  }
  const status = deriveStatus({
    plans: config.plans,
    lastByPlan: deps.history.lastByPlan(),
    running,
    nextRunByPlan: new Map(config.plans.map((p) => [p.id, nextRuns.get(taskKey('backup', p.id)) ?? null])),
    now,
    overdueAfterDays: deps.policy.overdueAfterDays(),
    pausedUntil: paused,
    managedPlanIds: new Set(deps.settings.merged().managedPlanIds),
  });
  const labelled = { ...status, plans: status.plans.map((p) => ({ ...p, label: deps.labels.get(p.planId) })) };
  return withRetrySchedule(withRetryCauses(labelled, retryCauses), retries, deps.tracker.gaveUpAfter(), attempts);
}

/** A running backup that waits out a transient problem says so: the user sees why it takes long. */
function withRetryCauses(status: AgentStatus, causes: ReadonlyMap<string, FailureCause>): AgentStatus {
  if (causes.size === 0) return status;
  const plans = status.plans.map((plan) => {
    const cause = causes.get(plan.planId);
    return cause && plan.running ? { ...plan, running: { ...plan.running, retryCause: cause } } : plan;
  });
  const first = plans.find((p) => p.running?.retryCause);
  return status.cause || !first
    ? { ...status, plans }
    : { ...status, plans, cause: first.running!.retryCause ?? null, causePlanId: first.planId };
}

/** A backup between attempts says when the next comes; one that used them all says so. */
function withRetrySchedule(
  status: AgentStatus,
  retries: ReadonlyMap<string, { attempt: number; maxAttempts: number; nextAttemptAt: string }>,
  gaveUp: ReadonlyMap<string, number>,
  attempts: ReadonlyMap<string, { current: number; max: number }>,
): AgentStatus {
  return {
    ...status,
    plans: status.plans.map((plan) => {
      const retry = retries.get(plan.planId) ?? null;
      const attempt = attempts.get(plan.planId);
      // Attempt numbers matter only while the backup struggles (waiting, or restic retrying by itself).
      const struggling = Boolean(retry || plan.running?.retryCause);
      const withRetry = plan.running && struggling ? { ...plan, running: { ...plan.running, retry, attempt: attempt ?? null } } : plan;
      const usedAll = gaveUp.get(plan.planId);
      return usedAll !== undefined && !plan.running && plan.state === 'failed' ? { ...withRetry, gaveUpAfterAttempts: usedAll } : withRetry;
    }),
  };
}
