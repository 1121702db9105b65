// When a machine's backup is late, as a pure function of its newest snapshot time, now and what was
// expected. Days are calendar days in the fleet's time zone (a backup at 22:30 in São Paulo is
// that day's, although it is already the next day in UTC). One missed period = late (amber);
// `overdueAfterMissed` missed periods = overdue (red). A period counts as missed once it is over
// and the grace hours have passed too.
import type { Frequency, MachineState } from './schema.js';

export interface ResolvedExpectation {
  frequency: Frequency;
  graceHours: number;
  overdueAfterMissed: number;
  timezone: string;
}

export interface Assessment {
  state: Exclude<MachineState, 'never'>;
  lateAt: Date;
  overdueAt: Date;
}

const HOUR = 3_600_000;

interface Day {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

function wallClock(instant: number, timezone: string): { day: Day; ms: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const day = { y: parts.year!, m: parts.month!, d: parts.day! };
  const ms = Date.UTC(day.y, day.m - 1, day.d, parts.hour!, parts.minute!, parts.second!);
  return { day, ms };
}

/** The calendar day an instant falls on in `timezone`. */
export function dayOf(instant: Date, timezone: string): Day {
  return wallClock(instant.getTime(), timezone).day;
}

/** The instant a calendar day begins in `timezone` (handles offsets and DST changes). */
export function startOfDay(day: Day, timezone: string): Date {
  const guess = Date.UTC(day.y, day.m - 1, day.d);
  let instant = guess;
  for (let i = 0; i < 3; i += 1) {
    const offset = wallClock(instant, timezone).ms - instant;
    const next = guess - offset;
    if (next === instant) break;
    instant = next;
  }
  return new Date(instant);
}

function addDays(day: Day, n: number): Day {
  const date = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

function weekday(day: Day): number {
  return new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
}

/** The n-th expected day after `day` (n >= 1). */
function expectedDayAfter(day: Day, frequency: 'daily' | 'workdays' | 'weekly', n: number): Day {
  if (frequency === 'daily') return addDays(day, n);
  if (frequency === 'weekly') return addDays(day, 7 * n);
  let current = day;
  let found = 0;
  while (found < n) {
    current = addDays(current, 1);
    const wd = weekday(current);
    if (wd !== 0 && wd !== 6) found += 1;
  }
  return current;
}

/** The end of the n-th expected period after the snapshot at `last`, plus grace. */
function missedAt(last: Date, e: ResolvedExpectation, n: number): Date {
  const grace = e.graceHours * HOUR;
  if (typeof e.frequency === 'object') return new Date(last.getTime() + n * e.frequency.everyHours * HOUR + grace);
  const due = expectedDayAfter(dayOf(last, e.timezone), e.frequency, n);
  return new Date(startOfDay(addDays(due, 1), e.timezone).getTime() + grace);
}

export function assess(last: Date, now: Date, e: ResolvedExpectation): Assessment {
  const lateAt = missedAt(last, e, 1);
  const overdueAt = missedAt(last, e, Math.max(1, e.overdueAfterMissed));
  const t = now.getTime();
  const state = t >= overdueAt.getTime() ? 'overdue' : t >= lateAt.getTime() ? 'late' : 'ok';
  return { state, lateAt, overdueAt };
}

export function colorOf(state: MachineState): 'green' | 'amber' | 'red' {
  return state === 'ok' ? 'green' : state === 'late' ? 'amber' : 'red';
}
