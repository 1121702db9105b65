// What the running jobs are going through right now, kept between queue events so the status can
// say it: the last progress of each backup, the transient trouble it is waiting out, when its next
// attempt comes, and which plans used every automatic attempt. State only; no I/O.
import type { FailureCause } from '../errors.js';
import type { BackupProgress } from '../restic/types.js';
import type { JobTrackerPort } from './ports.js';

export class JobTracker implements JobTrackerPort {
  private readonly progressOf = new Map<string, BackupProgress>();
  /** Jobs waiting out a transient cause: between queue attempts, or while restic retries by itself. */
  private readonly troubleOf = new Map<string, { cause: FailureCause; at: number }>();
  /** Jobs waiting between queue attempts: which attempt comes next and when. */
  private readonly nextAttempts = new Map<string, { attempt: number; maxAttempts: number; at: number }>();
  /** Plans whose last backup failed after every automatic attempt -> how many attempts it made. */
  private readonly gaveUpPlans = new Map<string, number>();

  progress(jobId: string): BackupProgress | undefined {
    return this.progressOf.get(jobId);
  }

  setProgress(jobId: string, progress: BackupProgress): void {
    this.progressOf.set(jobId, progress);
  }

  struggling(jobId: string, cause: FailureCause): boolean {
    const first = !this.troubleOf.has(jobId);
    this.troubleOf.set(jobId, { cause, at: Date.now() });
    return first;
  }

  trouble(jobId: string): { cause: FailureCause; at: number } | undefined {
    return this.troubleOf.get(jobId);
  }

  cleared(jobId: string): void {
    this.troubleOf.delete(jobId);
  }

  waitingFor(jobId: string, next: { attempt: number; maxAttempts: number; at: number }): void {
    this.nextAttempts.set(jobId, next);
  }

  nextAttempt(jobId: string): { attempt: number; maxAttempts: number; at: number } | undefined {
    return this.nextAttempts.get(jobId);
  }

  finished(jobId: string): void {
    this.progressOf.delete(jobId);
    this.troubleOf.delete(jobId);
    this.nextAttempts.delete(jobId);
  }

  gaveUp(planId: string, attempts: number | null): void {
    if (attempts === null) this.gaveUpPlans.delete(planId);
    else this.gaveUpPlans.set(planId, attempts);
  }

  gaveUpAfter(): ReadonlyMap<string, number> {
    return this.gaveUpPlans;
  }
}
