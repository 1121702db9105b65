// Operations: what the agent does over time. Turns triggers (scheduler, "back up now", restore)
// into queued jobs, runs restic through the engine inside them, and turns job events into history
// rows, hook runs, API events and status. One place owns that flow so every face sees the same.
import { giveReplacedFolder, giveToOwner, privateStagingParent } from '../service/owned-restore.js';
import { backupFlagsFor } from '../service/open-file-protection.js';
import type { AgentStatus, ApiOutput, ApiParsedInput, RetentionOutcome, SessionRef } from '../api.js';
import type { HookCondition, Plan, Repo } from '../config/backrest-schema.js';
import { resolveHookSecrets } from '../config/extra-secrets.js';
import { CofreError, type FailureCause } from '../errors.js';
import { t } from '../i18n/index.js';
import { HistoryStore } from '../history/store.js';
import { deriveStatus } from '../history/status.js';
import { conditionsFor, runHooks, type HookVars, type OperationKind } from '../hooks/index.js';
import { defaultRetryPolicy, type JobHandle, type JobInfo, type JobOutcome, type JobTrigger, type RetryPolicy } from '../jobs/index.js';
import { retentionToFlags, sourceMissingWarning } from '../restic/index.js';
import type { BackupProgress, BackupResult, BackupSummary } from '../restic/types.js';
import { restoreSelection } from '../restore/restore-selection.js';
import type { RestoreReport } from '../restore/place.js';
import { Scheduler } from '../schedule/scheduler.js';
import { taskKey, type DueTask } from '../schedule/due.js';
import { nextRunsByTask, scheduledTasks } from '../schedule/due.js';
import type { AgentContext } from './agent.js';
import { PlanLabels } from './plan-labels.js';
import { dirname, join } from 'node:path';

interface BackupValue {
  snapshotId: string | null;
  summary: BackupSummary;
  fileErrors: number;
}

interface ForgetValue {
  removed: number;
  kept: number;
  managedByServer: boolean;
}

interface RestoreValue {
  report: RestoreReport;
  destination: string;
}

/** Scheduled work waits out short outages: 5 attempts over about 15 minutes. */
const backupRetry: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 8 * 60_000 };

export class Operations {
  readonly history: HistoryStore;
  /** Display names of plans (Cofre's sidecar beside the history). */
  readonly labels: PlanLabels;
  private readonly scheduler: Scheduler;
  private readonly historyIds = new Map<string, number>();
  private readonly progress = new Map<string, BackupProgress>();
  private readonly jobPlans = new Map<string, string>();
  /** Forget job id -> history row of the backup it follows. */
  private readonly retentionOf = new Map<string, number>();
  private pausedUntil: Date | null = null;
  private longLived = false;
  /** Jobs waiting out a transient cause: between queue attempts, or while restic retries by itself. */
  private readonly retrying = new Map<string, { cause: FailureCause; at: number }>();
  /** Jobs waiting between queue attempts: which attempt comes next and when. */
  private readonly nextAttempts = new Map<string, { attempt: number; maxAttempts: number; at: number }>();
  /** Plans whose last backup failed after every automatic attempt -> how many attempts it made. */
  private readonly gaveUp = new Map<string, number>();

  constructor(
    private readonly ctx: AgentContext,
    historyFile: string,
  ) {
    this.history = new HistoryStore(historyFile);
    this.labels = new PlanLabels(join(dirname(historyFile), 'plan-labels.json'));
    const interrupted = this.history.markInterrupted();
    if (interrupted > 0) ctx.log.warn(`history: ${interrupted} operation(s) were interrupted when Cofre stopped unexpectedly`);
    this.history.prune({ keepDays: 366, keepMax: 100_000 });
    this.scheduler = new Scheduler({
      clock: { now: () => ctx.now() },
      getPlans: () => ctx.config().plans,
      getRepos: () => ctx.config().repos,
      getState: () => ({ lastRun: this.lastRuns(), running: this.runningTaskKeys() }),
      onDue: (task) => this.onDue(task),
      onError: (error) => ctx.log.error(`scheduler: ${error instanceof Error ? error.message : String(error)}`),
      onClockJump: (jump) => ctx.log.warn(`scheduler: the clock moved back ${Math.round(jump.backwardMs / 60_000)} min (expected ${jump.expectedAt.toISOString()}, now ${jump.now.toISOString()}); scheduled runs continue`),
    });
  }

  private get retry(): RetryPolicy {
    return this.ctx.options.retry ?? backupRetry;
  }

  close(): void {
    this.scheduler.stop();
    this.history.close();
  }

  startScheduler(): void {
    this.longLived = true;
    this.scheduler.start();
  }

  stopScheduler(): void {
    this.scheduler.stop();
  }

  resumeScheduler(): void {
    this.scheduler.resume();
  }

  rescheduleAll(): void {
    this.scheduler.reschedule();
  }

  pause(until: Date | null): void {
    this.pausedUntil = until;
    this.scheduler.pauseUntil(until);
    this.ctx.log.info(until ? `backups paused until ${until.toISOString()}` : 'backups resumed');
    this.ctx.statusChanged();
  }

  status(): AgentStatus {
    const config = this.ctx.config();
    const now = this.ctx.now();
    const paused = this.pausedUntil && this.pausedUntil > now ? this.pausedUntil : null;
    const nextRuns = nextRunsByTask(scheduledTasks(config.plans), { now, lastRun: this.lastRuns(), pausedUntil: paused });
    const running = new Map<string, { jobId: string; progress: BackupProgress | null }>();
    const retries = new Map<string, { attempt: number; maxAttempts: number; nextAttemptAt: string }>();
    const attempts = new Map<string, { current: number; max: number }>();
    const retryCauses = new Map<string, FailureCause>();
    for (const job of this.ctx.queue.list()) {
      if (job.kind !== 'backup' || !job.planId || job.state === 'queued') continue;
      running.set(job.planId, { jobId: job.id, progress: this.progress.get(job.id) ?? null });
      const next = this.nextAttempts.get(job.id);
      if (next && job.state === 'retrying') retries.set(job.planId, { attempt: next.attempt, maxAttempts: next.maxAttempts, nextAttemptAt: new Date(next.at).toISOString() });
      attempts.set(job.planId, { current: Math.max(1, job.attempt), max: this.retry.maxAttempts });
      const retry = this.retrying.get(job.id);
      // restic's own retries are only seen as they happen; a minute of silence means it got through.
      // A later attempt that has not got through yet (it first unlocks, against the same dead server) still struggles.
      if (retry && (job.state === 'retrying' || Date.now() - retry.at < 60_000 || (job.attempt > 1 && !this.progress.has(job.id)))) retryCauses.set(job.planId, retry.cause);
    }
    const managed = new Set(this.ctx.policy.effective(this.ctx.configStore.get()).managedPlanIds);
    const status = deriveStatus({
      plans: config.plans,
      lastByPlan: this.history.lastByPlan(),
      running,
      nextRunByPlan: new Map(config.plans.map((p) => [p.id, nextRuns.get(taskKey('backup', p.id)) ?? null])),
      now,
      overdueAfterDays: this.ctx.policy.overdueAfterDays(),
      pausedUntil: paused,
      managedPlanIds: managed,
    });
    const labelled = { ...status, plans: status.plans.map((p) => ({ ...p, label: this.labels.get(p.planId) })) };
    return withRetrySchedule(withRetryCauses(labelled, retryCauses), retries, this.gaveUp, attempts);
  }

  listJobs(): ApiOutput<'listJobs'> {
    return this.ctx.queue.list().map((job) => this.jobInfo(job, job.state === 'queued' ? 'queued' : 'running'));
  }

  listHistory(query: ApiParsedInput<'listHistory'>): ApiOutput<'listHistory'> {
    return this.history.list(query);
  }

  // ---- triggers --------------------------------------------------------------------------------

  runBackup(planId: string, trigger: JobTrigger): string {
    const plan = this.ctx.plan(planId);
    return this.enqueueBackup(plan, trigger).id;
  }

  runMaintenance(kind: 'check' | 'prune', repoId: string, trigger: JobTrigger): string {
    const repo = this.ctx.repo(repoId);
    return this.ctx.queue.enqueue({
      key: `${kind}:${repo.id}`,
      repoId: repo.id,
      kind,
      trigger,
      run: async ({ signal }) => {
        const engine = await this.ctx.engines.forRepo(repo);
        // A killed restic or agent leaves a stale lock; `unlock` without --remove-all removes only
        // those, so a scheduled check or prune never needs a technician after a crash.
        await engine.unlock({ signal }).catch(() => undefined);
        if (kind === 'check') {
          const readDataSubset = repo.checkPolicy?.readDataSubsetPercent ? `${repo.checkPolicy.readDataSubsetPercent}%` : undefined;
          const result = await engine.check({ readDataSubset, signal });
          if (!result.ok) throw new CofreError('cause.unknown', { cause: 'unknown', detail: result.messages.slice(-20).join('\n') });
          return { ok: true };
        }
        const maxUnused = repo.prunePolicy?.maxUnusedPercent !== undefined
          ? `${repo.prunePolicy.maxUnusedPercent}%`
          : repo.prunePolicy?.maxUnusedBytes !== undefined ? `${repo.prunePolicy.maxUnusedBytes}` : undefined;
        await engine.prune({ maxUnused, signal });
        this.ctx.catalog.invalidate(repo.id);
        return { ok: true };
      },
    }).id;
  }

  async runRestore(session: SessionRef, input: ApiParsedInput<'restore'>): Promise<string> {
    const { snapshot, repo } = await this.ctx.catalog.locate(session, input.snapshotId);
    const snapshotId = await this.ctx.catalog.ensureIndexed(session, snapshot.id);
    const scope = this.ctx.catalog.scope(session);
    const caps = this.ctx.policy.capabilities();
    // Service mode: the requesting OS user owns what is restored and may only write where they could.
    const owner = this.ctx.sessions.owner(session);
    return this.ctx.queue.enqueue<RestoreValue>({
      key: `restore:${snapshotId}:${Date.now()}:${Math.random()}`,
      repoId: laneOf(repo.id, 'restore'),
      kind: 'restore',
      trigger: 'manual',
      retry: { ...defaultRetryPolicy, maxAttempts: 1 },
      run: async ({ signal, progress }) => {
        const engine = await this.ctx.engines.forRepo(repo);
        const report = await restoreSelection(
          { index: this.ctx.catalog.index, source: engine },
          { snapshotId, paths: input.paths, destination: input.destination, conflict: input.conflict },
          { scope, allowReplace: caps.overwriteOnRestore, allowOutsideRoots: caps.restoreOutsideHome || scope.technician, signal, onProgress: progress,
            ...(owner ? { beforePlace: giveToOwner(owner), stagingParent: privateStagingParent } : {}) },
        );
        if (owner && report.replacedFolder) await giveReplacedFolder(report.replacedFolder, owner);
        const destination = input.destination.kind === 'folder' ? input.destination.path : (report.destination ?? '');
        return { report, destination };
      },
    }).id;
  }

  private onDue(task: DueTask): void {
    if (task.kind === 'backup') {
      const plan = this.ctx.config().plans.find((p) => p.id === task.id);
      if (plan) this.enqueueBackup(plan, task.reason);
      return;
    }
    if (this.ctx.config().repos.some((r) => r.id === task.id)) this.runMaintenance(task.kind, task.id, task.reason);
  }

  private enqueueBackup(plan: Plan, trigger: JobTrigger): JobHandle<BackupValue> {
    return this.ctx.queue.enqueue<BackupValue>({
      key: `backup:${plan.id}`,
      repoId: plan.repo,
      kind: 'backup',
      planId: plan.id,
      trigger,
      retry: this.retry,
      run: async (job) => {
        const repo = this.ctx.repo(plan.repo);
        if (job.attempt === 1) await this.hooks('backup', 'start', plan, repo, {});
        const engine = await this.ctx.engines.forRepo(repo);
        // A retry follows a transient failure (often a lock): stale locks go first, whatever autoUnlock says.
        if (job.attempt > 1) await engine.unlock({ signal: job.signal }).catch(() => undefined);
        const request = {
          planId: plan.id,
          instance: this.ctx.config().instance,
          paths: plan.paths,
          excludes: plan.excludes,
          iexcludes: plan.iexcludes,
          // Open-file protection (--use-fs-snapshot) exists only on Windows: left out elsewhere.
          extraFlags: backupFlagsFor(plan.backup_flags),
          host: this.ctx.identity.hostname,
          skipIfUnchanged: plan.skipIfUnchanged,
        };
        const options = {
          signal: job.signal,
          onProgress: (p: BackupProgress) => {
            this.progress.set(job.jobId, p);
            job.progress(p);
          },
          onRetry: (cause: FailureCause) => {
            const first = !this.retrying.has(job.jobId);
            this.retrying.set(job.jobId, { cause, at: Date.now() });
            if (first) this.ctx.statusChanged();
          },
        };
        const backup = () => this.withAutoUnlock(repo, engine, job.signal, () => engine.backup(request, options));
        let result: BackupResult;
        try {
          result = await backup();
        } catch (error) {
          if (!(error instanceof CofreError && error.failure === 'no-repository' && repo.autoInitialize)) throw error;
          this.ctx.log.info(`repository ${repo.id}: initialising (autoInitialize)`);
          await engine.init({ signal: job.signal });
          result = await backup();
        }
        if (result.outcome === 'partial') job.warn('partial');
        else if (result.outcome === 'source-missing') job.warn(sourceMissingWarning(result.missingPaths));
        return { snapshotId: result.summary.snapshotId, summary: result.summary, fileErrors: result.fileErrors.length };
      },
    });
  }

  // ---- job events -> history, hooks, events, status ----------------------------------------------

  wireQueue(): void {
    const { queue } = this.ctx;
    queue.on('job-queued', ({ job }) => {
      if (job.kind !== 'index') this.ctx.emit({ type: 'jobQueued', data: this.jobInfo(job, 'queued') });
      this.ctx.statusChanged();
    });
    queue.on('job-started', ({ job }) => {
      if (job.kind === 'index') return;
      // A retry keeps its cause until it shows progress: "Iniciando…" would hide that the server is still away.
      if (job.attempt <= 1) this.retrying.delete(job.id);
      // The queue starts a job again for each retry: it stays one operation in history.
      if (this.historyIds.has(job.id)) {
        this.ctx.statusChanged();
        return;
      }
      const id = this.history.record({
        type: job.kind as never,
        planId: job.planId,
        repoId: repoOfLane(job.repoId),
        trigger: job.trigger,
        status: 'running',
        startedAt: new Date(job.startedAt ?? Date.now()).toISOString(),
      });
      this.historyIds.set(job.id, id);
      this.ctx.statusChanged();
    });
    queue.on('job-progress', ({ job, progress }) => {
      this.ctx.emit({
        type: 'jobProgress',
        data: { jobId: job.id, kind: job.kind as never, planId: job.planId ?? null, progress: (progress ?? {}) as Record<string, unknown> },
      });
      if (job.kind === 'backup') this.ctx.statusChanged();
    });
    queue.on('job-retrying', ({ job, error, delayMs, nextAttempt }) => {
      this.retrying.set(job.id, { cause: error.cause, at: Date.now() });
      this.nextAttempts.set(job.id, { attempt: nextAttempt, maxAttempts: this.retry.maxAttempts, at: Date.now() + delayMs });
      this.ctx.log.warn(`${job.kind} ${job.planId ?? job.repoId}: ${error.message} — retrying in ${Math.round(delayMs / 1000)} s`);
      const historyId = this.historyIds.get(job.id);
      if (historyId !== undefined) this.history.update(historyId, { cause: error.cause, message: error.message });
      this.ctx.statusChanged();
    });
    queue.on('job-finished', ({ job, outcome }) => {
      void this.onFinished(job, outcome).catch((error: unknown) => {
        this.ctx.log.error(`after ${job.kind}: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
  }

  private async onFinished(job: JobInfo, outcome: JobOutcome): Promise<void> {
    this.progress.delete(job.id);
    this.retrying.delete(job.id);
    this.nextAttempts.delete(job.id);
    if (job.kind === 'backup' && job.planId) {
      if (outcome.status === 'failure' && outcome.attempts > 1 && outcome.attempts >= this.retry.maxAttempts) this.gaveUp.set(job.planId, outcome.attempts);
      else this.gaveUp.delete(job.planId);
    }
    const historyId = this.historyIds.get(job.id);
    this.historyIds.delete(job.id);
    const error = outcome.error ? { ...outcome.error, message: this.ctx.log.scrub(outcome.error.message), detail: outcome.error.detail ? this.ctx.log.scrub(outcome.error.detail) : undefined } : null;
    const value = outcome.value as Partial<BackupValue & RestoreValue> | undefined;
    if (job.kind === 'index') {
      if (outcome.status === 'failure' && error) this.ctx.log.warn(`index ${job.repoId}: ${error.message}`);
      return;
    }
    if (error && outcome.status !== 'success') this.ctx.log.write(outcome.status === 'failure' ? 'error' : 'warn', `${job.kind} ${job.planId ?? job.repoId}: ${error.message}${error.detail ? `\n${error.detail}` : ''}`);
    else this.ctx.log.info(`${job.kind} ${job.planId ?? job.repoId}: ${outcome.status}`);

    const startedAt = outcome.startedAt ?? outcome.queuedAt;
    const summary = value?.summary;
    const finishRow = (status: 'success' | 'warning' | 'failure' | 'cancelled', extra: { cause?: FailureCause; message?: string } = {}) => {
      if (historyId === undefined) return;
      this.history.finish(historyId, {
        status,
        endedAt: new Date(outcome.endedAt).toISOString(),
        snapshotId: value?.snapshotId ?? undefined,
        summary: summary ? { ...summary } : value?.report ? { ...value.report } : job.kind === 'forget' && value ? { ...value } : undefined,
        bytesAdded: summary?.dataAdded,
        totalBytes: summary?.totalBytesProcessed,
        cause: extra.cause ?? error?.cause,
        message: extra.message ?? error?.message,
        detail: error?.detail,
      });
    };
    finishRow(outcome.status);

    const plan = job.planId ? this.ctx.config().plans.find((p) => p.id === job.planId) : undefined;
    const repo = plan ? this.ctx.config().repos.find((r) => r.id === plan.repo) : undefined;
    const madeSnapshot = job.kind === 'backup' && (outcome.status === 'success' || outcome.status === 'warning');
    if (madeSnapshot && repo) this.ctx.catalog.invalidate(repo.id);
    // Retention follows a backup that added a snapshot, as in Backrest (--skip-if-unchanged may add
    // none). It is queued before the backup's event goes out, so every face can follow it to its end.
    // Backrest runs the backup's end hooks before its forget: the forget waits for them.
    let backupHooksDone: () => void = () => undefined;
    const afterBackupHooks = new Promise<void>((resolve) => (backupHooksDone = resolve));
    const retentionJobId = madeSnapshot && plan && repo && value?.snapshotId ? this.enqueueForget(plan, repo, historyId, afterBackupHooks) : null;
    const retention = job.kind === 'forget' ? this.retentionOutcome(job, outcome, error) : null;

    this.ctx.emit({
      type: 'jobFinished',
      data: {
        jobId: job.id,
        kind: job.kind as never,
        planId: job.planId ?? null,
        repoId: repoOfLane(job.repoId),
        status: outcome.status,
        error,
        snapshotId: value?.snapshotId ?? null,
        restoreReport: value?.report
          ? {
            restored: value.report.restored,
            unchanged: value.report.unchanged,
            keptBoth: value.report.keptBoth,
            skipped: value.report.skipped,
            replaced: value.report.replaced,
            failed: value.report.failed.map((f) => ({ path: f.path, reason: t(`restore.failed.${f.reason}` as never) })),
            destination: value.destination ?? '',
            replacedFolder: value.report.replacedFolder ?? null,
          }
          : null,
        ...(job.kind === 'backup' ? { retentionJobId } : {}),
        ...(retention ? { retention } : {}),
      },
    });
    this.ctx.statusChanged();
    // A finished run moves "last run", and with it the next slot of interval schedules.
    if (this.longLived && (job.kind === 'backup' || job.kind === 'check' || job.kind === 'prune')) this.scheduler.reschedule();

    if (!plan || !repo) return;
    if (job.kind !== 'backup') return;
    const phase = outcome.status === 'success' ? 'success' : outcome.status === 'warning' ? 'warning' : 'error';
    try {
      if (outcome.status !== 'cancelled') {
        await this.hooks('backup', phase, plan, repo, {
          snapshotId: value?.snapshotId ?? null,
          error: error?.message,
          durationMs: outcome.endedAt - startedAt,
          summary,
        });
      }
    } finally {
      backupHooksDone();
    }
    if (!madeSnapshot) return;
    // A long-lived agent (tray, `cofre run`, `cofre serve`) indexes the new snapshot right away so
    // the restore window opens it instantly; a one-shot CLI backup leaves it to on-demand indexing.
    if (!this.longLived) return;
    void this.ctx.catalog.repoSnapshots(repo, { fresh: true })
      .then((snapshots) => this.ctx.catalog.scheduleIndexing(repo, snapshots.filter((s) => s.hostname === this.ctx.identity.hostname).slice(0, 5)))
      .catch(() => undefined);
  }

  /**
   * Retention after each backup that made a snapshot, per plan, as Backrest does. Returns the job id
   * (null when the plan keeps everything); its outcome is written into the backup's history row too.
   */
  private enqueueForget(plan: Plan, repo: Repo, backupHistoryId: number | undefined, after: Promise<void>): string | null {
    const flags = retentionToFlags(plan.retention);
    if (flags === 'keep-all') return null;
    const handle = this.ctx.queue.enqueue<ForgetValue>({
      key: `forget:${plan.id}`,
      repoId: repo.id,
      kind: 'forget',
      planId: plan.id,
      trigger: 'schedule',
      retry: { ...defaultRetryPolicy, maxAttempts: 1 },
      run: async ({ signal, warn }) => {
        await after;
        // Its hooks run inside the job, so they are done when the job's end is announced (and a
        // one-shot `cofre backup` may exit).
        await this.hooks('forget', 'start', plan, repo, {});
        const engine = await this.ctx.engines.forRepo(repo);
        let value: ForgetValue;
        try {
          const forget = () => engine.forget({ planId: plan.id, instance: this.ctx.config().instance, retention: flags, signal });
          const result = await this.withAutoUnlock(repo, engine, signal, forget);
          if (result.removed.length > 0) this.ctx.catalog.forgotten(repo.id, result.removed);
          value = { removed: result.removed.length, kept: result.kept.length, managedByServer: false };
        } catch (error) {
          // An append-only server refuses deletes by design: cleanup is the server's job, so this is
          // reported as "managed by the server", not as a daily failure.
          if (error instanceof CofreError && error.failure === 'append-only') {
            warn('append-only');
            value = { removed: 0, kept: 0, managedByServer: true };
          } else {
            if (!signal.aborted) await this.hooks('forget', 'error', plan, repo, { error: this.ctx.log.scrub(error instanceof Error ? error.message : String(error)) });
            throw error;
          }
        }
        await this.hooks('forget', 'success', plan, repo, {});
        return value;
      },
    });
    if (backupHistoryId !== undefined) this.retentionOf.set(handle.id, backupHistoryId);
    return handle.id;
  }

  /** What a finished forget did, for its event and for the history row of the backup it followed. */
  private retentionOutcome(job: JobInfo, outcome: JobOutcome, error: JobOutcome['error'] | null): RetentionOutcome {
    const value = outcome.value as Partial<ForgetValue> | undefined;
    const retention: RetentionOutcome = {
      status: outcome.status,
      removed: value?.removed ?? 0,
      kept: value?.kept ?? 0,
      managedByServer: value?.managedByServer ?? false,
      cause: error?.cause ?? null,
      message: error?.message ?? null,
    };
    const backupRow = this.retentionOf.get(job.id);
    this.retentionOf.delete(job.id);
    if (backupRow !== undefined) {
      try {
        const row = this.history.get(backupRow);
        if (row) this.history.update(backupRow, { summary: { ...(row.summary ?? {}), retention } });
      } catch (e) {
        this.ctx.log.warn(`history: could not link retention to backup ${backupRow}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return retention;
  }

  /**
   * Backrest's autoUnlock removes stale locks before an operation. Doing it only when the operation
   * actually meets a lock keeps that meaning (a stale lock never blocks the run) without paying a
   * `restic unlock` round trip on every run: no lock, no unlock. `unlock` without --remove-all
   * removes only stale locks, so a lock held by a live restic still makes the run fail (and retry).
   */
  private async withAutoUnlock<T>(repo: Repo, engine: { unlock(o: { signal?: AbortSignal }): Promise<void> }, signal: AbortSignal, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(repo.autoUnlock && error instanceof CofreError && error.failure === 'repo-locked') || signal.aborted) throw error;
      this.ctx.log.info(`repository ${repo.id}: locked; removing stale locks (autoUnlock) and trying again`);
      await engine.unlock({ signal });
      return run();
    }
  }

  private async hooks(kind: OperationKind, phase: 'start' | 'success' | 'warning' | 'error', plan: Plan, repo: Repo, extra: Partial<HookVars>): Promise<void> {
    if ((repo.hooks ?? []).length + (plan.hooks ?? []).length === 0) return;
    // Hook credentials live in the secret store; the runner needs the real values.
    const hooks = await resolveHookSecrets([...(repo.hooks ?? []), ...(plan.hooks ?? [])], this.ctx.options.secrets);
    const vars: HookVars = { plan: { id: plan.id, paths: plan.paths }, repo: { id: repo.id, uri: repo.uri }, time: new Date(), ...extra };
    for (const condition of conditionsFor(kind, phase) as HookCondition[]) {
      await runHooks(hooks, condition, vars, {
        locale: this.ctx.locale(),
        log: (line) => this.ctx.log.info(`hook: ${line}`),
        record: (result) => {
          const id = this.history.record({
            type: 'hook',
            planId: plan.id,
            repoId: repo.id,
            trigger: condition,
            status: 'running',
            startedAt: new Date().toISOString(),
          });
          this.history.finish(id, {
            status: result.status === 'unsupported' ? 'warning' : 'failure',
            endedAt: new Date().toISOString(),
            message: this.ctx.log.scrub(result.message ?? ''),
            detail: result.detail ? this.ctx.log.scrub(result.detail) : undefined,
          });
        },
      });
    }
  }

  // ---- scheduler state ---------------------------------------------------------------------------

  /**
   * When each task last started, from the shared history database: rows still running count too,
   * so a backup another process (the CLI, the tray) is running is not fired again here.
   */
  private lastRuns(): Map<string, Date> {
    const map = new Map<string, Date>();
    for (const [planId, at] of this.history.lastRunStarts('backup', 'plan')) map.set(taskKey('backup', planId), at);
    for (const kind of ['check', 'prune'] as const) {
      for (const [repoId, at] of this.history.lastRunStarts(kind, 'repo')) map.set(taskKey(kind, repoId), at);
    }
    return map;
  }

  private runningTaskKeys(): Set<string> {
    const keys = new Set<string>();
    for (const job of this.ctx.queue.list()) {
      if (job.kind === 'backup' && job.planId) keys.add(taskKey('backup', job.planId));
      if (job.kind === 'check' || job.kind === 'prune') keys.add(taskKey(job.kind as 'check' | 'prune', job.repoId));
    }
    return keys;
  }

  private jobInfo(job: JobInfo, state: 'queued' | 'running') {
    return {
      jobId: job.id,
      kind: job.kind as never,
      planId: job.planId ?? null,
      repoId: repoOfLane(job.repoId),
      state,
      startedAt: job.startedAt ? new Date(job.startedAt).toISOString() : null,
    };
  }
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

/**
 * Index builds and restores run in queue lanes of their own next to a repository's backup lane
 * (restic takes only shared locks for them), named `<repo>#<lane>`; faces see the repository.
 */
export function laneOf(repoId: string, lane: 'index' | 'restore'): string {
  return `${repoId}#${lane}`;
}

export function repoOfLane(lane: string): string {
  return lane.replace(/#(index|restore)$/, '');
}
