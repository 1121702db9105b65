// The job queue: one serial lane per key (repository + `JobSpec.lane`). Jobs that take restic's
// exclusive or write locks share a repository's main lane, so two of them never fight; restores
// and index builds (shared locks only) run in lanes of their own beside it, and lanes of different
// repositories run in parallel. A trigger for a key that is already queued or running joins that
// job instead of adding another.
import { randomUUID } from 'node:crypto';
import { CofreError, toErrorPayload, type FailureCause } from '../errors.js';
import { AbortedError, backoffDelay, shouldRetry, systemClock } from './retry.js';
import { acquireProcessLock, type ProcessLockOptions, type Release } from './process-lock.js';
import { throttleLatest, type Throttle } from './throttle.js';
import type {
  Clock,
  JobContext,
  JobErrorInfo,
  JobEventName,
  JobEvents,
  JobHandle,
  JobInfo,
  JobOutcome,
  JobSpec,
} from './types.js';

export interface JobQueueOptions {
  clock?: Clock;
  /** [0,1) source for backoff jitter. */
  random?: () => number;
  /** Folder for cross-process lock files; without it, exclusion is only within this process. */
  lockDir?: string;
  lockOptions?: ProcessLockOptions;
  /** Minimum spacing of progress events per job (default 100 ms = at most 10 per second). */
  progressIntervalMs?: number;
  /** Called with unexpected (non-CofreError) failures so the agent can log them; never shown to users. */
  onUnexpectedError?: (error: unknown, job: JobInfo) => void;
}

type Listener<E extends JobEventName> = (payload: JobEvents[E]) => void;

interface Job {
  info: JobInfo;
  spec: JobSpec<unknown>;
  controller: AbortController;
  handle: JobHandle<unknown>;
  resolve: (outcome: JobOutcome<unknown>) => void;
  cancelRequested: boolean;
  finished: boolean;
  /** Aborted to end a backoff wait early (the attempt itself is not cancelled). */
  wake?: AbortController;
}

interface Lane {
  waiting: Job[];
  running: Job | undefined;
}

export class JobQueue {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly lanes = new Map<string, Lane>();
  private readonly byKey = new Map<string, Job>();
  private readonly byId = new Map<string, Job>();
  private readonly listeners = new Map<JobEventName, Set<(payload: never) => void>>();
  private readonly idleWaiters = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: JobQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  on<E extends JobEventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  enqueue<T>(spec: JobSpec<T>): JobHandle<T> {
    const existing = this.byKey.get(spec.key);
    // A job being cancelled does not absorb new triggers: the user asked again after cancelling.
    // A job waiting out a backoff absorbs the trigger and tries again now ("Tentar agora").
    if (existing && !existing.cancelRequested) {
      if (existing.info.state === 'retrying') this.retryNow(existing.info.id);
      return existing.handle as JobHandle<T>;
    }

    const now = this.clock.now();
    const info: JobInfo = {
      id: randomUUID(),
      key: spec.key,
      repoId: spec.repoId,
      lane: spec.lane ?? 'main',
      kind: spec.kind,
      ...(spec.planId !== undefined ? { planId: spec.planId } : {}),
      trigger: spec.trigger,
      state: 'queued',
      attempt: 0,
      queuedAt: now,
    };
    let resolve!: (outcome: JobOutcome<unknown>) => void;
    const done = new Promise<JobOutcome<unknown>>((r) => (resolve = r));
    const job: Job = {
      info,
      spec: spec as JobSpec<unknown>,
      controller: new AbortController(),
      resolve,
      cancelRequested: false,
      finished: false,
      handle: { id: info.id, key: info.key, done, cancel: () => this.cancel(info.id) },
    };

    if (this.closed) {
      this.finish(job, { status: 'cancelled', error: errorInfo(CofreError.fromCause('cancelled')), attempts: 0 });
      return job.handle as JobHandle<T>;
    }

    this.byKey.set(spec.key, job);
    this.byId.set(info.id, job);
    const lane = laneKey(info);
    this.lane(lane).waiting.push(job);
    this.emit('job-queued', { job: { ...info } });
    this.pump(lane);
    return job.handle as JobHandle<T>;
  }

  /** Queued and running jobs, running first within each repository. */
  list(): JobInfo[] {
    const result: JobInfo[] = [];
    for (const lane of this.lanes.values()) {
      if (lane.running && !lane.running.finished) result.push({ ...lane.running.info });
      for (const job of lane.waiting) result.push({ ...job.info });
    }
    return result;
  }

  get(id: string): JobInfo | undefined {
    const job = this.byId.get(id);
    return job ? { ...job.info } : undefined;
  }

  /** Ends the backoff wait of a retrying job so its next attempt starts now; false if it is not waiting. */
  retryNow(id: string): boolean {
    const job = this.byId.get(id);
    if (!job || job.finished || job.info.state !== 'retrying' || !job.wake) return false;
    job.wake.abort();
    return true;
  }

  /** Cancels a queued job at once, or aborts a running one (its work function sees the signal). */
  cancel(id: string): boolean {
    const job = this.byId.get(id);
    if (!job || job.finished) return false;
    job.cancelRequested = true;
    job.controller.abort();
    const lane = this.lanes.get(laneKey(job.info));
    if (lane && lane.running !== job) {
      lane.waiting = lane.waiting.filter((j) => j !== job);
      this.finish(job, { status: 'cancelled', error: errorInfo(CofreError.fromCause('cancelled')), attempts: 0 });
      this.cleanupLane(laneKey(job.info));
    }
    return true;
  }

  cancelAll(): number {
    let count = 0;
    for (const job of [...this.byId.values()]) if (this.cancel(job.info.id)) count += 1;
    return count;
  }

  /**
   * Stops accepting jobs (later enqueues end as cancelled) and waits until the running and queued
   * ones have finished. Graceful quit = cancelAll() then drain(). Resolves false on timeout.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    if (this.byId.size === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters.delete(onIdle);
        resolve(false);
      }, timeoutMs);
      const onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.add(onIdle);
    });
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { waiting: [], running: undefined }));
    return lane;
  }

  private cleanupLane(key: string): void {
    const lane = this.lanes.get(key);
    if (lane && !lane.running && lane.waiting.length === 0) this.lanes.delete(key);
  }

  private pump(key: string): void {
    const lane = this.lanes.get(key);
    if (!lane || lane.running) return;
    const next = lane.waiting.shift();
    if (!next) {
      this.cleanupLane(key);
      return;
    }
    lane.running = next;
    void this.execute(next).finally(() => {
      lane.running = undefined;
      this.pump(key);
    });
  }

  private async execute(job: Job): Promise<void> {
    const { spec, info } = job;
    info.state = 'running';
    info.startedAt = this.clock.now();
    let release: Release | null | undefined;
    if (this.options.lockDir) {
      try {
        release = await acquireProcessLock(this.options.lockDir, spec.key, this.options.lockOptions);
      } catch (error) {
        this.options.onUnexpectedError?.(error, { ...info });
        release = null;
      }
      if (!release) {
        // Another process runs this key: report it rather than wait behind it indefinitely.
        const busy = new CofreError('error.busy', { cause: 'repo-locked' });
        this.finish(job, { status: 'failure', error: errorInfo(busy), attempts: 0 });
        return;
      }
    }
    // Release before reporting, so whoever awaits `done` can immediately run the key again.
    let outcome: Omit<JobOutcome, 'queuedAt' | 'endedAt'>;
    try {
      outcome = await this.attempts(job);
    } catch (error) {
      this.options.onUnexpectedError?.(error, { ...info });
      outcome = { status: 'failure', error: errorInfo(error), attempts: info.attempt, startedAt: info.startedAt };
    } finally {
      await release?.().catch((error: unknown) => this.options.onUnexpectedError?.(error, { ...info }));
    }
    this.finish(job, outcome);
  }

  private async attempts(job: Job): Promise<Omit<JobOutcome, 'queuedAt' | 'endedAt'>> {
    const { spec, info, controller } = job;
    const signal = controller.signal;
    for (let attempt = 1; ; attempt += 1) {
      info.attempt = attempt;
      info.state = 'running';
      this.emit('job-started', { job: { ...info } });
      const throttle: Throttle<unknown> = throttleLatest(
        (progress) => this.emit('job-progress', { job: { ...info }, progress }),
        this.options.progressIntervalMs ?? 100,
        () => this.clock.now(),
      );
      let warning: CofreError | undefined;
      const ctx: JobContext = {
        signal,
        attempt,
        jobId: info.id,
        progress: (p) => throttle.push(p),
        warn: (w) => {
          warning = typeof w === 'string' ? CofreError.fromCause(w) : w;
        },
      };
      const startedAt = info.startedAt;
      try {
        const value = await spec.run(ctx);
        throttle.flush();
        if (warning) return { status: 'warning', value, error: errorInfo(warning), attempts: attempt, startedAt };
        return { status: 'success', value, attempts: attempt, startedAt };
      } catch (error) {
        throttle.flush();
        if (signal.aborted || causeOf(error) === 'cancelled') {
          return { status: 'cancelled', error: errorInfo(CofreError.fromCause('cancelled')), attempts: attempt, startedAt };
        }
        if (!(error instanceof CofreError)) this.options.onUnexpectedError?.(error, { ...info });
        const failure = errorInfo(error);
        if (!spec.retry || !shouldRetry(spec.retry, failure.cause, attempt)) {
          return { status: 'failure', error: failure, attempts: attempt, startedAt };
        }
        const delayMs = backoffDelay(spec.retry, attempt, this.random);
        info.state = 'retrying';
        this.emit('job-retrying', { job: { ...info }, error: failure, delayMs, nextAttempt: attempt + 1 });
        job.wake = new AbortController();
        try {
          await this.clock.sleep(delayMs, AbortSignal.any([signal, job.wake.signal]));
        } catch {
          if (!job.wake.signal.aborted || signal.aborted) {
            job.wake = undefined;
            return { status: 'cancelled', error: errorInfo(CofreError.fromCause('cancelled')), attempts: attempt, startedAt };
          }
        }
        job.wake = undefined;
        if (signal.aborted) {
          return { status: 'cancelled', error: errorInfo(CofreError.fromCause('cancelled')), attempts: attempt, startedAt };
        }
      }
    }
  }

  private finish(job: Job, partial: Omit<JobOutcome, 'queuedAt' | 'endedAt'>): void {
    if (job.finished) return;
    job.finished = true;
    const outcome: JobOutcome = {
      ...partial,
      queuedAt: job.info.queuedAt,
      ...(partial.startedAt !== undefined ? { startedAt: partial.startedAt } : {}),
      endedAt: this.clock.now(),
    };
    if (this.byKey.get(job.info.key) === job) this.byKey.delete(job.info.key);
    this.byId.delete(job.info.id);
    this.emit('job-finished', { job: { ...job.info }, outcome });
    job.resolve(outcome);
    if (this.byId.size === 0) for (const waiter of [...this.idleWaiters]) waiter();
  }

  private emit<E extends JobEventName>(event: E, payload: JobEvents[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<E>)(payload);
      } catch {
        // A faulty listener (a closed window, a broken SSE client) must not break the queue.
      }
    }
  }
}

function causeOf(error: unknown): FailureCause | undefined {
  if (error instanceof CofreError) return error.failure;
  if (error instanceof AbortedError) return 'cancelled';
  return undefined;
}

function errorInfo(error: unknown): JobErrorInfo {
  const payload = toErrorPayload(error);
  const cause: FailureCause = causeOf(error) ?? 'unknown';
  return {
    ...payload,
    cause,
    ...(error instanceof CofreError && error.params ? { params: error.params } : {}),
  };
}

/** Lanes are keyed by repository and lane name; JSON keeps any repository id apart from the name. */
function laneKey(info: Pick<JobInfo, 'repoId' | 'lane'>): string {
  return JSON.stringify([info.repoId, info.lane]);
}
