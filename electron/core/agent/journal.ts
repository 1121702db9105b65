// The journal: turns the queue's job events into history rows and API events, the same for every
// job kind. What differs by kind (the row's summary, extra fields of the finished event, what
// follows a finished job) comes from the job kind's own module as a `JobKindEnd`.
import type { JobKind } from '../api.js';
import type { JobInfo, JobOutcome, RetryPolicy } from '../jobs/index.js';
import { toJobInfo } from './job-info.js';
import type { Emit, History, JobKindEnd, JobTrackerPort, LogPort, Notify, Queue } from './ports.js';

export interface JournalDeps {
  queue: Queue;
  history: Pick<History, 'record' | 'update' | 'finish'>;
  tracker: JobTrackerPort;
  log: LogPort;
  emit: Emit;
  statusChanged: Notify;
  /** Retry policy of backups: the attempt count the status shows while one waits to try again. */
  retry: RetryPolicy;
  kinds: Partial<Record<JobKind, JobKindEnd>>;
  /** A backup, check or prune finished: scheduled slots may move. */
  ran(job: JobInfo): void;
  /** A one-shot command was stopped by a signal: its cancelled jobs are recorded as interrupted. */
  interrupted?(): boolean;
}

export class Journal {
  private readonly historyIds = new Map<string, number>();

  constructor(private readonly deps: JournalDeps) {
    const { queue, tracker, log, emit, statusChanged } = deps;
    queue.on('job-queued', ({ job }) => {
      if (job.kind !== 'index') emit({ type: 'jobQueued', data: toJobInfo(job, 'queued') });
      statusChanged();
    });
    queue.on('job-started', ({ job }) => this.started(job));
    queue.on('job-progress', ({ job, progress }) => {
      emit({ type: 'jobProgress', data: { jobId: job.id, kind: job.kind, planId: job.planId ?? null, progress: (progress ?? {}) as Record<string, unknown> } });
      if (job.kind === 'backup') statusChanged();
    });
    queue.on('job-retrying', ({ job, error, delayMs, nextAttempt }) => {
      tracker.struggling(job.id, error.cause);
      tracker.waitingFor(job.id, { attempt: nextAttempt, maxAttempts: deps.retry.maxAttempts, at: Date.now() + delayMs });
      log.warn(`${job.kind} ${job.planId ?? job.repoId}: ${error.message} — retrying in ${Math.round(delayMs / 1000)} s`);
      const historyId = this.historyIds.get(job.id);
      if (historyId !== undefined) deps.history.update(historyId, { cause: error.cause, message: error.message });
      statusChanged();
    });
    queue.on('job-finished', ({ job, outcome }) => {
      void this.finished(job, outcome).catch((error: unknown) => {
        log.error(`after ${job.kind}: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
  }

  private started(job: JobInfo): void {
    if (job.kind === 'index') return;
    // A retry keeps its cause until it shows progress: "Iniciando…" would hide that the server is still away.
    if (job.attempt <= 1) this.deps.tracker.cleared(job.id);
    // The queue starts a job again for each retry: it stays one operation in history.
    if (!this.historyIds.has(job.id)) {
      const id = this.deps.history.record({
        type: job.kind,
        planId: job.planId,
        repoId: job.repoId,
        trigger: job.trigger,
        status: 'running',
        startedAt: new Date(job.startedAt ?? Date.now()).toISOString(),
      });
      this.historyIds.set(job.id, id);
    }
    this.deps.statusChanged();
  }

  private async finished(job: JobInfo, outcome: JobOutcome): Promise<void> {
    const { log } = this.deps;
    this.deps.tracker.finished(job.id);
    const historyId = this.historyIds.get(job.id);
    this.historyIds.delete(job.id);
    const error = outcome.error ? { ...outcome.error, message: log.scrub(outcome.error.message), detail: outcome.error.detail ? log.scrub(outcome.error.detail) : undefined } : null;
    const kind = this.deps.kinds[job.kind];
    if (job.kind === 'index') {
      if (outcome.status === 'failure' && error) log.warn(`index ${job.repoId}: ${error.message}`);
      return;
    }
    if (error && outcome.status !== 'success') log.write(outcome.status === 'failure' ? 'error' : 'warn', `${job.kind} ${job.planId ?? job.repoId}: ${error.message}${error.detail ? `\n${error.detail}` : ''}`);
    else log.info(`${job.kind} ${job.planId ?? job.repoId}: ${outcome.status}`);

    if (historyId !== undefined) {
      this.deps.history.finish(historyId, {
        ...(kind?.row?.(outcome.value) ?? {}),
        // A signal is not a user's cancel: the attempt did not finish, as after a crash.
        status: outcome.status === 'cancelled' && this.deps.interrupted?.() ? 'interrupted' : outcome.status,
        endedAt: new Date(outcome.endedAt).toISOString(),
        cause: error?.cause,
        message: error?.message,
        detail: error?.detail,
      });
    }
    const ending = kind?.end?.({ job, outcome, error, historyId }) ?? {};
    const value = outcome.value as { snapshotId?: string | null } | undefined;
    this.deps.emit({
      type: 'jobFinished',
      data: {
        jobId: job.id,
        kind: job.kind,
        planId: job.planId ?? null,
        repoId: job.repoId,
        status: outcome.status,
        error,
        snapshotId: value?.snapshotId ?? null,
        restoreReport: null,
        ...ending.event,
      },
    });
    this.deps.statusChanged();
    if (job.kind === 'backup' || job.kind === 'check' || job.kind === 'prune') this.deps.ran(job);
    await ending.after?.();
  }
}
