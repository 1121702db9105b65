// When does a schedule want to run? Pure functions of (schedule, last run, now): no timers, no
// clock reads, so they are unit tested with fixed dates and reused by the Scheduler and the UI.
//
// Semantics (Backrest schedule fields, plus Cofre's catch-up rule):
// - `disabled` or no schedule at all: never runs by itself (null).
// - `maxFrequencyHours/Days`: at most once every N since the last run; never ran -> due now.
// - `cron` with CLOCK_DEFAULT/CLOCK_LOCAL (local time) or CLOCK_UTC: fires at its slots. A slot
//   that passed after the last run (machine off or asleep) is still owed, but only the latest one:
//   three missed days give one catch-up run, not three.
// - `cron` with CLOCK_LAST_RUN_TIME: Backrest evaluates the cron from the last run, so a plan that
//   never ran is due at once and afterwards the next fire after the last run is due.
import type { Schedule } from '../config/backrest-schema.js';
import { cronFires, latestCronFire, nextCronFire, type CronZone } from './cron.js';

export type TimeZoneChoice = 'local' | 'utc';

export interface ScheduleContext {
  now: Date;
  /** Start of the last run (any outcome). A run counts from when it started, as in Backrest. */
  lastRun?: Date | null | undefined;
  /** What CLOCK_DEFAULT (or no clock) means; CLOCK_LOCAL and CLOCK_UTC always win. Default 'local'. */
  timeZone?: TimeZoneChoice | undefined;
  /** IANA zone that "local" stands for; default: the process' own zone. Tests pin it. */
  localZone?: string | undefined;
  /**
   * For cron plans that never ran: a slot at or after this moment still counts as missed (the
   * scheduler passes the moment it last looked, so a slot slept through is caught up). Default: now.
   */
  watchingSince?: Date | null | undefined;
}

export type ScheduleShape =
  | { kind: 'off' }
  | { kind: 'interval'; everyMs: number }
  | { kind: 'cron'; expression: string };

const hourMs = 3_600_000;

/** Which of Backrest's mutually exclusive schedule fields is in effect. */
export function scheduleShape(schedule: Schedule | null | undefined): ScheduleShape {
  if (!schedule || schedule.disabled) return { kind: 'off' };
  const cron = schedule.cron?.trim();
  if (cron) return { kind: 'cron', expression: cron };
  if (schedule.maxFrequencyHours && schedule.maxFrequencyHours > 0) return { kind: 'interval', everyMs: schedule.maxFrequencyHours * hourMs };
  if (schedule.maxFrequencyDays && schedule.maxFrequencyDays > 0) return { kind: 'interval', everyMs: schedule.maxFrequencyDays * 24 * hourMs };
  return { kind: 'off' };
}

/** The zone a cron expression is evaluated in. */
export function cronZoneFor(schedule: Schedule, ctx: Pick<ScheduleContext, 'timeZone' | 'localZone'>): CronZone {
  const clock = schedule.clock ?? 'CLOCK_DEFAULT';
  if (clock === 'CLOCK_UTC') return 'UTC';
  if (clock === 'CLOCK_DEFAULT' && ctx.timeZone === 'utc') return 'UTC';
  return ctx.localZone;
}

/** A last run in the future (the clock was set back) is treated as "just now" so nothing stalls. */
function effectiveLastRun(ctx: ScheduleContext): Date | null {
  if (!ctx.lastRun) return null;
  return ctx.lastRun.getTime() > ctx.now.getTime() ? ctx.now : ctx.lastRun;
}

/**
 * The slot the schedule still owes at `now`: a date at or before now when a run is due (for a
 * missed cron slot, the latest one), null when nothing is due.
 */
export function previousSlot(schedule: Schedule | null | undefined, ctx: ScheduleContext): Date | null {
  const shape = scheduleShape(schedule);
  if (shape.kind === 'off' || !schedule) return null;
  const lastRun = effectiveLastRun(ctx);
  const now = ctx.now;
  if (shape.kind === 'interval') {
    if (!lastRun) return now;
    const due = lastRun.getTime() + shape.everyMs;
    return due <= now.getTime() ? new Date(due) : null;
  }
  const latest = latestCronFire(shape.expression, cronZoneFor(schedule, ctx), now);
  if (!latest) return null;
  if (lastRun) return latest.getTime() > lastRun.getTime() ? latest : null;
  if (schedule.clock === 'CLOCK_LAST_RUN_TIME') return latest;
  const since = ctx.watchingSince ?? now;
  return latest.getTime() >= since.getTime() ? latest : null;
}

/** When the schedule runs next: `now` when a run is owed, a future date, or null (never by itself). */
export function nextRun(schedule: Schedule | null | undefined, ctx: ScheduleContext): Date | null {
  const shape = scheduleShape(schedule);
  if (shape.kind === 'off' || !schedule) return null;
  if (previousSlot(schedule, ctx)) return ctx.now;
  if (shape.kind === 'interval') {
    const lastRun = effectiveLastRun(ctx);
    return lastRun ? new Date(lastRun.getTime() + shape.everyMs) : ctx.now;
  }
  return nextCronFire(shape.expression, cronZoneFor(schedule, ctx), ctx.now);
}

/**
 * The next `count` runs for display (the settings UI shows three), assuming each run happens when
 * it is due.
 */
export function nextRuns(schedule: Schedule | null | undefined, ctx: ScheduleContext, count: number): Date[] {
  const first = nextRun(schedule, ctx);
  if (!first || !schedule || count <= 0) return [];
  const shape = scheduleShape(schedule);
  if (shape.kind === 'interval') {
    return Array.from({ length: count }, (_, i) => new Date(first.getTime() + i * shape.everyMs));
  }
  if (shape.kind !== 'cron') return [first];
  return [first, ...cronFires(shape.expression, cronZoneFor(schedule, ctx), first, count - 1)];
}
