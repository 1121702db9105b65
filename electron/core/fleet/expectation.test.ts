import { describe, expect, it } from 'vitest';
import { assess, dayOf, startOfDay, type ResolvedExpectation } from './expectation.js';

const sp = 'America/Sao_Paulo';
const expect_ = (frequency: ResolvedExpectation['frequency'], extra: Partial<ResolvedExpectation> = {}): ResolvedExpectation => ({
  frequency, graceHours: 12, overdueAfterMissed: 2, timezone: sp, ...extra,
});
const at = (iso: string) => new Date(iso);

describe('fleet expectation', () => {
  // Friday 27 Nov 2026, 18:00 in São Paulo (UTC-3).
  const friday = at('2026-11-27T18:00:00-03:00');

  it('workdays: Friday evening\'s backup still covers Monday morning; Tuesday noon it is late, Wednesday noon overdue', () => {
    const e = expect_('workdays');
    expect(assess(friday, at('2026-11-30T09:00:00-03:00'), e).state).toBe('ok');
    expect(assess(friday, at('2026-11-30T23:59:00-03:00'), e).state).toBe('ok');
    expect(assess(friday, at('2026-12-01T11:59:00-03:00'), e).state).toBe('ok');
    const tuesday = assess(friday, at('2026-12-01T12:01:00-03:00'), e);
    expect(tuesday.state).toBe('late');
    expect(tuesday.lateAt.toISOString()).toBe('2026-12-01T15:00:00.000Z');
    expect(assess(friday, at('2026-12-02T12:01:00-03:00'), e).state).toBe('overdue');
  });

  it('daily: the same Friday backup is already late on Sunday and overdue on Monday noon', () => {
    const e = expect_('daily');
    expect(assess(friday, at('2026-11-28T20:00:00-03:00'), e).state).toBe('ok');
    expect(assess(friday, at('2026-11-29T12:01:00-03:00'), e).state).toBe('late');
    expect(assess(friday, at('2026-11-30T12:01:00-03:00'), e).state).toBe('overdue');
  });

  it('a backup at 22:30 in São Paulo belongs to that day, although it is the next day in UTC', () => {
    const lateEvening = at('2026-12-01T01:30:00Z'); // 30 Nov 22:30 in São Paulo
    expect(dayOf(lateEvening, sp)).toEqual({ y: 2026, m: 11, d: 30 });
    expect(dayOf(lateEvening, 'UTC')).toEqual({ y: 2026, m: 12, d: 1 });
    const now = at('2026-12-02T04:00:00Z'); // 2 Dec 01:00 in São Paulo: all of 1 Dec passed without a backup
    expect(assess(lateEvening, now, expect_('daily', { graceHours: 0 })).state).toBe('late');
    expect(assess(lateEvening, now, expect_('daily', { graceHours: 0, timezone: 'UTC' })).state).toBe('ok');
  });

  it('days begin at local midnight, also across a DST change', () => {
    expect(startOfDay({ y: 2026, m: 12, d: 1 }, sp).toISOString()).toBe('2026-12-01T03:00:00.000Z');
    expect(startOfDay({ y: 2026, m: 3, d: 8 }, 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay({ y: 2026, m: 3, d: 9 }, 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('weekly and every-N-hours expectations count periods from the last backup', () => {
    expect(assess(friday, at('2026-12-04T23:00:00-03:00'), expect_('weekly')).state).toBe('ok');
    expect(assess(friday, at('2026-12-05T12:01:00-03:00'), expect_('weekly')).state).toBe('late');
    expect(assess(friday, at('2026-12-12T12:01:00-03:00'), expect_('weekly')).state).toBe('overdue');
    const hourly = expect_({ everyHours: 6 }, { graceHours: 1 });
    expect(assess(friday, at('2026-11-28T00:59:00-03:00'), hourly).state).toBe('ok');
    expect(assess(friday, at('2026-11-28T01:01:00-03:00'), hourly).state).toBe('late');
    expect(assess(friday, at('2026-11-28T07:01:00-03:00'), hourly).state).toBe('overdue');
  });

  it('overdueAfterMissed 1 goes straight from ok to overdue', () => {
    const e = expect_('daily', { overdueAfterMissed: 1 });
    expect(assess(friday, at('2026-11-29T12:01:00-03:00'), e).state).toBe('overdue');
  });
});
