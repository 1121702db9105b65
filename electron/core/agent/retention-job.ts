// The forget job: retention after each backup that made a snapshot, per plan, as Backrest does.
// It runs the plan's CONDITION_FORGET_* hooks inside the job, and its outcome is written into the
// history row of the backup it followed (`summary.retention`) as well as its own.
import type { RetentionOutcome } from '../api.js';
import type { Plan, Repo } from '../config/backrest-schema.js';
import { CofreError } from '../errors.js';
import { defaultRetryPolicy, type JobErrorInfo, type JobInfo, type JobOutcome } from '../jobs/index.js';
import { retentionToFlags } from '../restic/index.js';
import type { CatalogPort, EnginesPort, FinishedJob, History, JobEnding, JobKindEnd, LogPort, Queue, RowFields, RunJobHooks, SettingsPort } from './ports.js';

interface ForgetValue {
  removed: number;
  kept: number;
  managedByServer: boolean;
}

export interface RetentionJobDeps {
  settings: Pick<SettingsPort, 'effective'>;
  engines: Pick<EnginesPort, 'forRepo'>;
  queue: Pick<Queue, 'enqueue'>;
  history: Pick<History, 'get' | 'update'>;
  catalog: Pick<CatalogPort, 'forgotten'>;
  log: Pick<LogPort, 'info' | 'warn' | 'scrub'>;
  hooks: RunJobHooks;
}

export class RetentionJobs implements JobKindEnd {
  /** Forget job id -> history row of the backup it follows. */
  private readonly retentionOf = new Map<string, number>();

  constructor(private readonly deps: RetentionJobDeps) {}

  /**
   * Queues the plan's retention (after `after`: the backup's end hooks). Returns the job id (null
   * when the plan keeps everything).
   */
  enqueue(plan: Plan, repo: Repo, backupHistoryId: number | undefined, after: Promise<void>): string | null {
    const { engines, settings, catalog, hooks, log } = this.deps;
    const flags = retentionToFlags(plan.retention);
    if (flags === 'keep-all') return null;
    const handle = this.deps.queue.enqueue<ForgetValue>({
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
        await hooks('forget', 'start', plan, repo, {});
        const engine = await engines.forRepo(repo);
        let value: ForgetValue;
        try {
          const forget = () => engine.forget({ planId: plan.id, instance: settings.effective().instance, retention: flags, signal });
          const result = await forget();
          if (result.removed.length > 0) catalog.forgotten(repo.id, result.removed);
          value = { removed: result.removed.length, kept: result.kept.length, managedByServer: false };
        } catch (error) {
          // An append-only server refuses deletes by design: cleanup is the server's job, so this is
          // reported as "managed by the server", not as a daily failure.
          if (error instanceof CofreError && error.failure === 'append-only') {
            warn('append-only');
            value = { removed: 0, kept: 0, managedByServer: true };
          } else {
            if (!signal.aborted) await hooks('forget', 'error', plan, repo, { error: log.scrub(error instanceof Error ? error.message : String(error)) });
            throw error;
          }
        }
        await hooks('forget', 'success', plan, repo, {});
        return value;
      },
    });
    if (backupHistoryId !== undefined) this.retentionOf.set(handle.id, backupHistoryId);
    return handle.id;
  }

  row(value: unknown): RowFields {
    return value ? { summary: { ...(value as ForgetValue) } } : {};
  }

  end({ job, outcome, error }: FinishedJob): JobEnding {
    return { event: { retention: this.outcome(job, outcome, error) } };
  }

  /** What a finished forget did, for its event and for the history row of the backup it followed. */
  private outcome(job: JobInfo, outcome: JobOutcome, error: JobErrorInfo | null): RetentionOutcome {
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
        const row = this.deps.history.get(backupRow);
        if (row) this.deps.history.update(backupRow, { summary: { ...(row.summary ?? {}), retention } });
      } catch (e) {
        this.deps.log.warn(`history: could not link retention to backup ${backupRow}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return retention;
  }
}
