import { describe, expect, it } from 'vitest';
import { nextRun, nextRuns, previousSlot } from './next-run.js';
import { isValidCron } from './cron.js';

// São Paulo has had no daylight saving time since 2019: always UTC-3, so results are stable.
const localZone = 'America/Sao_Paulo';
const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('nextRun', () => {
  it('runs a daily cron at its local time, and lists the next three runs', () => {
    const ctx = { now: at('2026-03-10T13:00:00Z'), localZone }; // 10:00 in São Paulo
    expect(iso(nextRun({ cron: '30 12 * * *' }, ctx))).toBe('2026-03-10T15:30:00.000Z');
    expect(nextRuns({ cron: '30 12 * * *' }, ctx, 3).map(iso)).toEqual([
      '2026-03-10T15:30:00.000Z', '2026-03-11T15:30:00.000Z', '2026-03-12T15:30:00.000Z',
    ]);
  });

  it('runs Backrest cron descriptors (@daily, @hourly, @weekly) and never runs a schedule with only a clock', () => {
    const ctx = { now: at('2026-03-10T13:20:00Z'), localZone }; // 10:20 in São Paulo
    expect(iso(nextRun({ cron: '@daily', clock: 'CLOCK_LOCAL' }, ctx))).toBe('2026-03-11T03:00:00.000Z');
    expect(iso(nextRun({ cron: '@hourly' }, ctx))).toBe('2026-03-10T14:00:00.000Z');
    expect(iso(nextRun({ cron: '@weekly', clock: 'CLOCK_UTC' }, ctx))).toBe('2026-03-15T00:00:00.000Z');
    expect(nextRun({ clock: 'CLOCK_LOCAL' }, ctx)).toBeNull();
  });

  it('evaluates CLOCK_UTC in UTC and CLOCK_LOCAL / CLOCK_DEFAULT in local time', () => {
    const now = at('2026-03-10T08:00:00Z');
    expect(iso(nextRun({ cron: '0 12 * * *', clock: 'CLOCK_UTC' }, { now, localZone }))).toBe('2026-03-10T12:00:00.000Z');
    expect(iso(nextRun({ cron: '0 12 * * *', clock: 'CLOCK_LOCAL' }, { now, localZone }))).toBe('2026-03-10T15:00:00.000Z');
    expect(iso(nextRun({ cron: '0 12 * * *' }, { now, localZone }))).toBe('2026-03-10T15:00:00.000Z');
    // The agent may default CLOCK_DEFAULT to UTC (servers); an explicit CLOCK_LOCAL still wins.
    expect(iso(nextRun({ cron: '0 12 * * *' }, { now, localZone, timeZone: 'utc' }))).toBe('2026-03-10T12:00:00.000Z');
    expect(iso(nextRun({ cron: '0 12 * * *', clock: 'CLOCK_LOCAL' }, { now, localZone, timeZone: 'utc' }))).toBe('2026-03-10T15:00:00.000Z');
  });

  it('runs maxFrequencyHours at most every N hours after the last run, and at once when it never ran', () => {
    const now = at('2026-03-10T12:00:00Z');
    const every6h = { maxFrequencyHours: 6 };
    expect(iso(nextRun(every6h, { now }))).toBe(iso(now));
    expect(iso(nextRun(every6h, { now, lastRun: at('2026-03-10T10:00:00Z') }))).toBe('2026-03-10T16:00:00.000Z');
    expect(iso(nextRun(every6h, { now, lastRun: at('2026-03-10T05:00:00Z') }))).toBe(iso(now));
    expect(nextRuns(every6h, { now, lastRun: at('2026-03-10T10:00:00Z') }, 3).map(iso)).toEqual([
      '2026-03-10T16:00:00.000Z', '2026-03-10T22:00:00.000Z', '2026-03-11T04:00:00.000Z',
    ]);
    expect(iso(nextRun({ maxFrequencyDays: 2 }, { now, lastRun: at('2026-03-09T12:00:00Z') }))).toBe('2026-03-11T12:00:00.000Z');
  });

  it('owes only the latest slot after the machine was off for three days', () => {
    const lastRun = at('2026-03-07T15:30:00Z');
    const ctx = { now: at('2026-03-10T18:00:00Z'), lastRun, localZone };
    expect(iso(previousSlot({ cron: '30 12 * * *' }, ctx))).toBe('2026-03-10T15:30:00.000Z');
    expect(iso(nextRun({ cron: '30 12 * * *' }, ctx))).toBe(iso(ctx.now));
    // Once served, the next one is tomorrow's.
    expect(previousSlot({ cron: '30 12 * * *' }, { ...ctx, lastRun: ctx.now })).toBeNull();
    expect(iso(nextRun({ cron: '30 12 * * *' }, { ...ctx, lastRun: ctx.now }))).toBe('2026-03-11T15:30:00.000Z');
  });

  it('does not run a brand-new cron plan before its first slot, unless the clock is CLOCK_LAST_RUN_TIME', () => {
    const now = at('2026-03-10T18:00:00Z');
    expect(previousSlot({ cron: '30 12 * * *' }, { now, localZone })).toBeNull();
    expect(iso(nextRun({ cron: '30 12 * * *', clock: 'CLOCK_LAST_RUN_TIME' }, { now, localZone }))).toBe(iso(now));
    const lastRun = at('2026-03-10T15:30:00Z');
    expect(iso(nextRun({ cron: '30 12 * * *', clock: 'CLOCK_LAST_RUN_TIME' }, { now, lastRun, localZone }))).toBe('2026-03-11T15:30:00.000Z');
  });

  it('counts a slot slept through by a plan that never ran, from when the scheduler last looked', () => {
    const ctx = { now: at('2026-03-10T18:00:00Z'), localZone };
    expect(iso(previousSlot({ cron: '30 12 * * *' }, { ...ctx, watchingSince: at('2026-03-10T11:00:00Z') }))).toBe('2026-03-10T15:30:00.000Z');
    expect(previousSlot({ cron: '30 12 * * *' }, { ...ctx, watchingSince: at('2026-03-10T16:00:00Z') })).toBeNull();
  });

  it('never runs disabled, absent or invalid schedules', () => {
    const now = at('2026-03-10T12:00:00Z');
    expect(nextRun(undefined, { now })).toBeNull();
    expect(nextRun({}, { now })).toBeNull();
    expect(nextRun({ disabled: true, cron: '* * * * *' }, { now })).toBeNull();
    expect(nextRun({ cron: 'every day' }, { now })).toBeNull();
    expect(nextRun({ cron: '0 30 12 * * *' }, { now })).toBeNull(); // six fields: seconds are not Backrest's
    expect(nextRuns({ disabled: true }, { now }, 3)).toEqual([]);
    expect(isValidCron('30 12 * * 1-5')).toBe(true);
    expect(isValidCron('61 12 * * *')).toBe(false);
  });

  it('does not stall when the clock was set back behind the last run', () => {
    const now = at('2026-03-10T12:00:00Z');
    const lastRun = at('2026-03-12T12:00:00Z');
    expect(iso(nextRun({ maxFrequencyHours: 6 }, { now, lastRun }))).toBe('2026-03-10T18:00:00.000Z');
  });
});
