// The only stateful, timer-owning part of scheduling. Everything it decides comes from the pure
// functions in due.ts; this class just wakes up at the right moment and asks them.
//
// Why one recomputed timer instead of node-cron: node-cron arms a job per expression and fires
// each slot as it comes, so it knows nothing about slots that passed while the machine was off
// or asleep, about pauses, or about the last run recorded in history. Here every wake-up
// recomputes "what is due now" from the wall clock and the last runs, so a suspend, a clock jump
// or a changed config all lead to the same answer. Timers are capped (1 h by default) because a
// setTimeout armed before a suspend or a wall-clock change may fire late or early; the cap bounds
// how long such a change can go unnoticed even if no `resume()` call arrives.
import { dueTasks, nextRunsByTask, scheduledTasks, taskKey, type DueTask, type PlanLike, type RepoLike, type ScheduledTask, type TaskKey, type TaskKind } from './due.js';
import type { TimeZoneChoice } from './next-run.js';

export interface SchedulerClock {
  now(): Date;
  /** A clock that never jumps (ms, any origin); default performance.now(). Tells a wall-clock change from elapsed time. */
  monotonic?(): number;
}

/** The wall clock moved back: what it said, what it says now, by how much. */
export interface ClockJump {
  expectedAt: Date;
  now: Date;
  backwardMs: number;
}

export type SetTimer = (callback: () => void, ms: number) => unknown;
export type ClearTimer = (handle: unknown) => void;

export interface SchedulerState {
  /** Start of the last run of each task (any outcome, e.g. from history), keyed by `taskKey()`. */
  lastRun: ReadonlyMap<string, Date>;
  /** Tasks running right now (keys). Call `reschedule()` when one ends. */
  running?: ReadonlySet<string>;
}

export interface SchedulerOptions {
  clock?: SchedulerClock;
  setTimer?: SetTimer;
  clearTimer?: ClearTimer;
  getPlans(): readonly PlanLike[];
  /** Repositories whose prune/check policies carry their own schedule. */
  getRepos?(): readonly RepoLike[];
  getState(): SchedulerState;
  onDue(task: DueTask): void | Promise<void>;
  /** An `onDue` that threw or rejected; the scheduler keeps going. */
  onError?(error: unknown, task: DueTask): void;
  pausedUntil?: Date | null;
  /** Longest single timer; every wake-up re-reads the clock. Default one hour. */
  maxTimerMs?: number;
  timeZone?: TimeZoneChoice;
  localZone?: string;
  catchUpAfterMs?: number;
  /** The wall clock was set back (detected against the monotonic clock): log it. Runs keep firing. */
  onClockJump?(jump: ClockJump): void;
}

const defaultMaxTimerMs = 3_600_000;
/** Never spin: if a computed wake-up is already past, try again after this. */
const retryFloorMs = 1_000;
/** A capped wake-up this far off the wall-clock time it expected means the clock jumped or the machine slept. */
const clockJumpToleranceMs = 5_000;

export class Scheduler {
  private readonly clock: SchedulerClock;
  private readonly setTimer: SetTimer;
  private readonly clearTimer: ClearTimer;
  private readonly maxTimerMs: number;
  /** When this process fired each task: covers the gap before history records the run. */
  private readonly fired = new Map<string, Date>();
  private timer: unknown = null;
  private started = false;
  private ticking = false;
  private tickAgain = false;
  private paused: Date | null;
  private lastCheckedAt: Date | null = null;
  private wakeAt: Date | null = null;
  /** The earliest next run found by the last full recompute (ms), possibly beyond the capped wake-up. */
  private targetAt: number | null = null;
  /** Last (wall, monotonic) pair seen: a wall clock behind wall + elapsed monotonic time was set back. */
  private lastSample: { wall: number; mono: number } | null = null;
  /**
   * Last runs recorded in the future of the current clock (it was set back). Each is read as "ran
   * when we first saw it in the future", so the slots that come on the corrected clock fire instead
   * of waiting, silently, until the clock catches up with the old times.
   */
  private readonly rebased = new Map<string, { recorded: number; as: Date }>();
  private readonly monotonic: () => number;
  /** Total backward jumps seen so far (ms). */
  private backwardMs = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.maxTimerMs = options.maxTimerMs ?? defaultMaxTimerMs;
    this.paused = options.pausedUntil ?? null;
    this.monotonic = options.clock?.monotonic ? () => options.clock!.monotonic!() : () => performance.now();
  }

  /** Starts firing; tasks already owed (missed while the agent was not running) fire now, once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.tick();
  }

  stop(): void {
    this.started = false;
    this.disarm();
  }

  /** Call on OS resume (or any hint that time jumped): recompute now and catch up once. */
  resume(): void {
    this.tick();
  }

  /** Configuration, history or running jobs changed: recompute the next wake-up. */
  reschedule(): void {
    this.tick();
  }

  /** Pauses every scheduled run until `until` (null resumes now); owed runs catch up once afterwards. */
  pauseUntil(until: Date | null): void {
    this.paused = until;
    this.tick();
  }

  get pausedUntil(): Date | null {
    return this.paused && this.paused.getTime() > this.clock.now().getTime() ? this.paused : null;
  }

  /** When the armed timer will wake the scheduler (diagnostics and tests). */
  get nextWakeAt(): Date | null {
    return this.wakeAt;
  }

  /** Next run of every task as the status and the UI show it. */
  nextRuns(): Map<TaskKey, Date | null> {
    const now = this.clock.now();
    return nextRunsByTask(this.tasks(), this.dueState(now));
  }

  nextRunOf(kind: TaskKind, id: string): Date | null {
    return this.nextRuns().get(taskKey(kind, id)) ?? null;
  }

  private tasks(): ScheduledTask[] {
    return scheduledTasks(this.options.getPlans(), this.options.getRepos?.() ?? []);
  }

  private dueState(now: Date) {
    const state = this.options.getState();
    const lastRun = new Map<string, Date>();
    for (const [key, at] of state.lastRun) lastRun.set(key, this.rebase(key, at, now));
    for (const [key, at] of this.fired) {
      const seen = this.rebase(key, at, now);
      const known = lastRun.get(key);
      if (!known || known < seen) lastRun.set(key, seen);
    }
    return {
      now,
      lastRun,
      lastCheckedAt: this.lastCheckedAt,
      pausedUntil: this.paused,
      running: state.running,
      timeZone: this.options.timeZone,
      localZone: this.options.localZone,
      catchUpAfterMs: this.options.catchUpAfterMs,
    };
  }

  /**
   * A run recorded after the current clock's "now" happened before a backward jump. When the
   * jump was seen, its time on the new clock is known (recorded - jump); otherwise (e.g. the agent
   * started after the change) the best we know is "now". Either way later slots fire again.
   */
  private rebase(key: string, at: Date, now: Date): Date {
    // Equal is not ahead: a run recorded at this very instant stays as it is (no double fire).
    if (at.getTime() <= now.getTime()) {
      if (this.rebased.get(key)?.recorded === at.getTime()) this.rebased.delete(key);
      return at;
    }
    let entry = this.rebased.get(key);
    if (!entry || at.getTime() > entry.recorded) {
      entry = { recorded: at.getTime(), as: new Date(Math.min(now.getTime(), at.getTime() - this.backwardMs)) };
      this.rebased.set(key, entry);
    }
    return entry.as;
  }

  /** Compares the wall clock with the monotonic one since the last look; reports a backward jump. */
  private watchClock(now: Date): void {
    const mono = this.monotonic();
    const last = this.lastSample;
    this.lastSample = { wall: now.getTime(), mono };
    if (!last) return;
    const expected = last.wall + (mono - last.mono);
    const backwardMs = expected - now.getTime();
    if (backwardMs <= clockJumpToleranceMs) return;
    // Slots "already checked" on the old clock lie ahead of the new one; watching restarts now.
    if (this.lastCheckedAt && this.lastCheckedAt.getTime() > now.getTime()) this.lastCheckedAt = now;
    this.backwardMs += backwardMs;
    this.options.onClockJump?.({ expectedAt: new Date(expected), now, backwardMs });
  }

  /** Re-entrant safe: an onDue that calls reschedule() just asks for one more pass. */
  private tick(): void {
    if (!this.started) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    try {
      do {
        this.tickAgain = false;
        this.fireDue();
      } while (this.tickAgain && this.started);
      if (this.started) this.arm();
    } finally {
      this.ticking = false;
    }
  }

  private fireDue(): void {
    const now = this.clock.now();
    this.watchClock(now);
    if (this.paused && this.paused.getTime() <= now.getTime()) this.paused = null;
    if (this.paused) return; // lastCheckedAt stays put so slots passed during the pause catch up afterwards
    const tasks = this.tasks();
    const due = dueTasks(tasks, this.dueState(now));
    this.lastCheckedAt = now;
    for (const task of due) {
      this.fired.set(task.key, now);
      this.fire(task);
    }
  }

  private fire(task: DueTask): void {
    const report = (error: unknown) => this.options.onError?.(error, task);
    try {
      const result = this.options.onDue(task);
      if (result && typeof (result as Promise<void>).catch === 'function') (result as Promise<void>).catch(report);
    } catch (error) {
      report(error);
    }
  }

  private arm(): void {
    this.disarm();
    const now = this.clock.now();
    const state = this.dueState(now);
    let earliest: number | null = this.paused ? this.paused.getTime() : null;
    if (!this.paused) {
      for (const [key, next] of nextRunsByTask(this.tasks(), state)) {
        if (!next || state.running?.has(key)) continue;
        if (earliest === null || next.getTime() < earliest) earliest = next.getTime();
      }
    }
    this.targetAt = earliest;
    this.armTimer(now.getTime());
  }

  private armTimer(nowMs: number): void {
    const earliest = this.targetAt;
    let delay = earliest === null ? this.maxTimerMs : earliest - nowMs;
    if (delay <= 0) delay = retryFloorMs;
    delay = Math.min(delay, this.maxTimerMs);
    const wakeAt = nowMs + delay;
    this.wakeAt = new Date(wakeAt);
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.onTimer(wakeAt);
    }, delay);
  }

  /**
   * A capped wake-up that arrives on time and before the target changes nothing: nothing can have
   * become due (config and job changes come through reschedule()), so re-arm without recomputing.
   * Anything else, including a wall clock that moved differently from the timer, recomputes.
   */
  private onTimer(expectedAt: number): void {
    if (!this.started) return;
    const nowMs = this.clock.now().getTime();
    const onTime = Math.abs(nowMs - expectedAt) <= clockJumpToleranceMs;
    if (onTime && this.targetAt !== null && nowMs < this.targetAt - clockJumpToleranceMs) {
      this.armTimer(nowMs);
      return;
    }
    if (onTime && this.targetAt === null) {
      this.armTimer(nowMs);
      return;
    }
    this.tick();
  }

  private disarm(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.wakeAt = null;
  }
}
