import { describe, expect, it } from 'vitest';
import { formToSchedule, scheduleToForm, switchScheduleMode } from './schedule-form.js';

describe('switching the schedule to "Personalizado (cron)"', () => {
  it('converts the current schedule to the equivalent cron instead of discarding it', () => {
    // Was: the editor kept its default `0 12 * * *`, so a daily 09:30 plan silently became noon.
    expect(switchScheduleMode(scheduleToForm({ cron: '30 9 * * *', clock: 'CLOCK_LOCAL' }), 'cron').cron).toBe('30 9 * * *');
    expect(switchScheduleMode(scheduleToForm({ cron: '15 8 * * 1-5' }), 'cron').cron).toBe('15 8 * * 1,2,3,4,5');
    expect(switchScheduleMode(scheduleToForm({ cron: '45 * * * *' }), 'cron').cron).toBe('45 * * * *');
    expect(switchScheduleMode(scheduleToForm({ maxFrequencyHours: 4 }), 'cron').cron).toBe('0 */4 * * *');
    expect(switchScheduleMode({ ...scheduleToForm({ maxFrequencyDays: 2 }), hour: 18, minute: 0 }, 'cron').cron).toBe('0 18 */2 * *');
  });
  it('keeps the UTC clock and round-trips through the saved schedule', () => {
    const form = switchScheduleMode(scheduleToForm({ cron: '30 9 * * *', clock: 'CLOCK_UTC' }), 'cron');
    expect(formToSchedule(form)).toEqual({ cron: '30 9 * * *', clock: 'CLOCK_UTC' });
  });
  it('back from cron to daily keeps the time a simple expression names', () => {
    const form = switchScheduleMode({ ...scheduleToForm({ cron: '*/5 * * * *' }), cron: '10 7 * * *' }, 'daily');
    expect(form).toMatchObject({ mode: 'daily', hour: 7, minute: 10 });
  });
});
