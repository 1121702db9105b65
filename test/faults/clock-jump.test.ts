// Fault class "clock set back under `cofre run`" for the figures table (issue 15): for several
// schedules and jump sizes, the scheduler reports the jump and fires the slots that come, instead
// of going silent until the wall clock catches up with the last recorded run.
import { describe, expect, it } from 'vitest';
import { Scheduler, type ClockJump } from '../../electron/core/schedule/scheduler.js';
import { VirtualTime } from '../../electron/core/schedule/virtual-time.js';
import { recordFigure } from '../support/figures.js';

const hour = 3_600_000;

describe('backward clock jumps under a running scheduler', () => {
  it('every schedule keeps firing after the clock is set back 1, 2 or 6 hours', () => {
    const schedules = [{ cron: '0 * * * *' }, { cron: '*/15 * * * *' }, { maxFrequencyHours: 1 }];
    let tried = 0;
    let held = 0;
    for (const schedule of schedules) {
      for (const back of [1, 2, 6]) {
        tried += 1;
        const time = new VirtualTime(new Date('2026-03-10T08:10:00Z'));
        const starts = new Map<string, Date>();
        const fired: number[] = [];
        const jumps: ClockJump[] = [];
        const scheduler = new Scheduler({
          clock: time, setTimer: time.setTimer, clearTimer: time.clearTimer, localZone: 'UTC',
          getPlans: () => [{ id: 'docs', schedule }],
          getState: () => ({ lastRun: starts }),
          onDue: (task) => {
            fired.push(time.monotonic());
            const known = starts.get(task.key);
            if (!known || known < time.now()) starts.set(task.key, time.now());
          },
          onClockJump: (jump) => jumps.push(jump),
        });
        scheduler.start();
        time.advanceBy(3 * hour);
        const before = fired.length;
        const jumpedAt = time.monotonic();
        time.shiftWallClock(-back * hour);
        time.advanceBy(back * hour); // until the clock is back where it was: without the fix, silence
        scheduler.stop();
        const after = fired.filter((at) => at > jumpedAt).length;
        // The slots strictly between the old last run and the caught-up clock must fire.
        const owed = 'cron' in schedule ? (schedule.cron === '0 * * * *' ? back - 1 : back * 4 - 1) : back - 1;
        if (before > 0 && after >= owed && jumps.length === 1) held += 1;
      }
    }
    recordFigure('hardening', { name: 'scheduler: clock set back 1/2/6 h', kind: 'fault', tried, held });
    expect(held).toBe(tried);
  });
});
