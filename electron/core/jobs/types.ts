// Shapes shared by the job queue and its users (agent, faces, history). The queue is generic over
// what a job does: the agent supplies the work function, the queue only orders, retries, cancels
// and reports it.
import type { JobKind, JobTrigger } from '../api.js';
import type { ErrorPayload, FailureCause, CofreError } from '../errors.js';
import type { MessageParams } from '../i18n/index.js';

export type { JobKind, JobTrigger };
/**
 * Queue lanes of one repository. `main` holds the jobs that take restic's exclusive or write locks
 * (backup, forget, check, prune); restores and index builds take shared locks only, so each runs in
 * a lane of its own and a long restore never holds up the next backup.
 */
export type JobLane = 'main' | 'restore' | 'index';
export type JobState = 'queued' | 'running' | 'retrying';
export type JobStatus = 'success' | 'warning' | 'failure' | 'cancelled';

export interface RetryPolicy {
  /** Total attempts including the first one; 1 = never retry. */
  maxAttempts: number;
  /** Delay before the second attempt; later delays grow by `factor`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** 0..1: each delay is spread by up to this fraction either way, so many clients do not retry in step. */
  jitter?: number;
  /** Causes worth another attempt (default: `transientCauses` from errors.ts). */
  retryOn?: ReadonlySet<FailureCause>;
}

export interface JobContext {
  signal: AbortSignal;
  /** Report progress; the queue throttles what reaches listeners. */
  progress(p: unknown): void;
  /** 1 for the first attempt. */
  attempt: number;
  jobId: string;
  /**
   * Marks this attempt as finished with a warning (e.g. restic exit 3, some files unreadable):
   * the returned value is kept and the outcome becomes 'warning' with this cause.
   */
  warn(warning: FailureCause | CofreError): void;
}

export interface JobSpec<T> {
  /** Coalescing key, e.g. `backup:<planId>`; also names the cross-process lock. */
  key: string;
  repoId: string;
  /** Default 'main'. */
  lane?: JobLane;
  kind: JobKind;
  planId?: string;
  trigger: JobTrigger;
  run: (ctx: JobContext) => Promise<T>;
  retry?: RetryPolicy;
}

/** Serialisable snapshot of a job for lists and events. Times are epoch milliseconds. */
export interface JobInfo {
  id: string;
  key: string;
  repoId: string;
  lane: JobLane;
  kind: JobKind;
  planId?: string;
  trigger: JobTrigger;
  state: JobState;
  attempt: number;
  queuedAt: number;
  startedAt?: number;
}

/** ErrorPayload plus what a caller needs to translate it again or store it. */
export interface JobErrorInfo extends ErrorPayload {
  cause: FailureCause;
  params?: MessageParams;
}

export interface JobOutcome<T = unknown> {
  status: JobStatus;
  value?: T;
  /** Why it failed / was cancelled, or what the warning is about. */
  error?: JobErrorInfo;
  attempts: number;
  queuedAt: number;
  /** Absent when the job was cancelled before it started. */
  startedAt?: number;
  endedAt: number;
}

export interface JobHandle<T = unknown> {
  id: string;
  key: string;
  done: Promise<JobOutcome<T>>;
  cancel(): boolean;
}

export interface JobEvents {
  'job-queued': { job: JobInfo };
  'job-started': { job: JobInfo };
  'job-progress': { job: JobInfo; progress: unknown };
  /** An attempt failed with a transient cause; the next one starts after `delayMs`. */
  'job-retrying': { job: JobInfo; error: JobErrorInfo; delayMs: number; nextAttempt: number };
  'job-finished': { job: JobInfo; outcome: JobOutcome };
}
export type JobEventName = keyof JobEvents;

/** Time source and waiting, injectable so tests run backoff without real waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
