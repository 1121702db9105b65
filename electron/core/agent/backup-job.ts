// The backup job: a plan's `restic backup` with Backrest's hooks around it, autoInitialize and
// autoUnlock, automatic retries of transient failures, and what follows a backup that made a
// snapshot (retention, dropping cached listings, indexing the new snapshot).
import type { JobTrigger } from '../api.js';
import type { Plan, Repo } from '../config/backrest-schema.js';
import { CofreError, type FailureCause } from '../errors.js';
import { defaultRetryPolicy, type JobHandle, type RetryPolicy } from '../jobs/index.js';
import { sourceMissingWarning } from '../restic/index.js';
import type { BackupProgress, BackupResult, BackupSummary } from '../restic/types.js';
import type { CatalogPort, EnginesPort, FinishedJob, Identity, IndexerPort, JobEnding, JobKindEnd, JobTrackerPort, LogPort, Notify, Queue, RowFields, RunJobHooks, SettingsPort } from './ports.js';
import { backupFlagsFor } from '../service/open-file-protection.js';

/** Scheduled work waits out short outages: 5 attempts over about 15 minutes. */
export const backupRetry: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 8 * 60_000 };

interface BackupValue {
  snapshotId: string | null;
  summary: BackupSummary;
  fileErrors: number;
}

export interface BackupJobDeps {
  settings: Pick<SettingsPort, 'effective' | 'repo'>;
  engines: Pick<EnginesPort, 'forRepo'>;
  queue: Pick<Queue, 'enqueue'>;
  tracker: JobTrackerPort;
  catalog: Pick<CatalogPort, 'invalidate' | 'repoSnapshots'>;
  indexer: Pick<IndexerPort, 'schedule'>;
  log: Pick<LogPort, 'info'>;
  identity: Identity;
  hooks: RunJobHooks;
  retry: RetryPolicy;
  statusChanged: Notify;
  /** Queues the plan's retention after the backup's end hooks; null when it keeps everything. */
  retention(plan: Plan, repo: Repo, backupHistoryId: number | undefined, after: Promise<void>): string | null;
  /** Long-lived agents index a new snapshot at once; a one-shot CLI backup leaves it to on-demand indexing. */
  longLived(): boolean;
}

export class BackupJobs implements JobKindEnd {
  constructor(private readonly deps: BackupJobDeps) {}

  run(plan: Plan, trigger: JobTrigger): JobHandle<BackupValue> {
    const { settings, engines, tracker, log, identity, hooks, statusChanged } = this.deps;
    return this.deps.queue.enqueue<BackupValue>({
      key: `backup:${plan.id}`,
      repoId: plan.repo,
      kind: 'backup',
      planId: plan.id,
      trigger,
      retry: this.deps.retry,
      run: async (job) => {
        const repo = settings.repo(plan.repo);
        if (job.attempt === 1) await hooks('backup', 'start', plan, repo, {});
        const engine = await engines.forRepo(repo);
        const request = {
          planId: plan.id,
          instance: settings.effective().instance,
          paths: plan.paths,
          excludes: plan.excludes,
          iexcludes: plan.iexcludes,
          // Open-file protection (--use-fs-snapshot) exists only on Windows: left out elsewhere.
          extraFlags: backupFlagsFor(plan.backup_flags),
          host: identity.hostname,
          skipIfUnchanged: plan.skipIfUnchanged,
        };
        const options = {
          signal: job.signal,
          onProgress: (p: BackupProgress) => {
            tracker.setProgress(job.jobId, p);
            job.progress(p);
          },
          onRetry: (cause: FailureCause) => {
            if (tracker.struggling(job.jobId, cause)) statusChanged();
          },
        };
        // A lock met on the way is cleared by the engine when autoUnlock is set or its owner is gone (stale-locks.ts).
        const backup = () => engine.backup(request, options);
        let result: BackupResult;
        try {
          result = await backup();
        } catch (error) {
          if (!(error instanceof CofreError && error.failure === 'no-repository' && repo.autoInitialize)) throw error;
          log.info(`repository ${repo.id}: initialising (autoInitialize)`);
          await engine.init({ signal: job.signal });
          result = await backup();
        }
        if (result.outcome === 'partial') job.warn('partial');
        else if (result.outcome === 'source-missing') job.warn(sourceMissingWarning(result.missingPaths));
        return { snapshotId: result.summary.snapshotId, summary: result.summary, fileErrors: result.fileErrors.length };
      },
    });
  }

  row(value: unknown): RowFields {
    const backup = value as Partial<BackupValue> | undefined;
    const summary = backup?.summary;
    return {
      snapshotId: backup?.snapshotId ?? undefined,
      summary: summary ? { ...summary } : undefined,
      bytesAdded: summary?.dataAdded,
      totalBytes: summary?.totalBytesProcessed,
    };
  }

  end({ job, outcome, error, historyId }: FinishedJob): JobEnding {
    const { settings, catalog, hooks } = this.deps;
    if (job.planId) this.deps.tracker.gaveUp(job.planId, outcome.status === 'failure' && outcome.attempts > 1 && outcome.attempts >= this.deps.retry.maxAttempts ? outcome.attempts : null);
    const value = outcome.value as Partial<BackupValue> | undefined;
    const config = settings.effective();
    const plan = job.planId ? config.plans.find((p) => p.id === job.planId) : undefined;
    const repo = plan ? config.repos.find((r) => r.id === plan.repo) : undefined;
    const madeSnapshot = outcome.status === 'success' || outcome.status === 'warning';
    if (madeSnapshot && repo) catalog.invalidate(repo.id);
    // Retention follows a backup that added a snapshot, as in Backrest (--skip-if-unchanged may add
    // none). It is queued before the backup's event goes out, so every face can follow it to its end.
    // Backrest runs the backup's end hooks before its forget: the forget waits for them.
    let backupHooksDone: () => void = () => undefined;
    const afterBackupHooks = new Promise<void>((resolve) => (backupHooksDone = resolve));
    const retentionJobId = madeSnapshot && plan && repo && value?.snapshotId ? this.deps.retention(plan, repo, historyId, afterBackupHooks) : null;
    const after = async () => {
      if (!plan || !repo) return;
      const phase = outcome.status === 'success' ? 'success' : outcome.status === 'warning' ? 'warning' : 'error';
      try {
        if (outcome.status !== 'cancelled') {
          await hooks('backup', phase, plan, repo, {
            snapshotId: value?.snapshotId ?? null,
            error: error?.message,
            durationMs: outcome.endedAt - (outcome.startedAt ?? outcome.queuedAt),
            summary: value?.summary,
          });
        }
      } finally {
        backupHooksDone();
      }
      // A long-lived agent (tray, `cofre run`, `cofre serve`) indexes the new snapshot right away so
      // the restore window opens it instantly; a one-shot CLI backup leaves it to on-demand indexing.
      if (!madeSnapshot || !this.deps.longLived()) return;
      void catalog.repoSnapshots(repo, { fresh: true })
        .then((snapshots) => this.deps.indexer.schedule(repo, snapshots.filter((s) => s.hostname === this.deps.identity.hostname).slice(0, 5)))
        .catch(() => undefined);
    };
    return { event: { retentionJobId }, after };
  }
}
