// Regression test (issue 15): a backward clock jump of 2 h under `cofre run` silently stopped every
// scheduled run until the wall clock caught up with the last recorded run. The scheduler now tells
// the jump from elapsed time with a monotonic clock, reports it, and keeps firing the slots that come.
import { describe, expect, it } from 'vitest';
import { Scheduler, type ClockJump } from './scheduler.js';
import { VirtualTime } from './virtual-time.js';

const hour = 3_600_000;

/** History as the agent's store answers it: the latest recorded start per task (MAX(started_at)). */
function rig(schedule: { cron: string } | { maxFrequencyHours: number }, start: string) {
  const time = new VirtualTime(new Date(start));
  const starts = new Map<string, Date>();
  const fired: string[] = [];
  const jumps: ClockJump[] = [];
  const scheduler = new Scheduler({
    clock: time, setTimer: time.setTimer, clearTimer: time.clearTimer, localZone: 'UTC',
    getPlans: () => [{ id: 'docs', schedule }],
    getState: () => ({ lastRun: starts }),
    onDue: (task) => {
      const at = time.now();
      fired.push(at.toISOString());
      const known = starts.get(task.key);
      if (!known || known < at) starts.set(task.key, at);
    },
    onClockJump: (jump) => jumps.push(jump),
  });
  return { time, scheduler, fired, jumps };
}

describe('Scheduler under a backward clock jump', () => {
  it('keeps firing an hourly cron after the clock is set back 2 h, and reports the jump', () => {
    const r = rig({ cron: '0 * * * *' }, '2026-03-10T11:30:00Z');
    r.scheduler.start();
    r.time.advanceBy(3 * hour); // 12:00, 13:00, 14:00 run; wall 14:30
    expect(r.fired).toEqual(['2026-03-10T12:00:00.000Z', '2026-03-10T13:00:00.000Z', '2026-03-10T14:00:00.000Z']);
    r.time.shiftWallClock(-2 * hour); // wall 12:30, no resume() hint: the capped timer must notice
    r.time.advanceBy(2 * hour + 45 * 60_000); // until wall 15:15
    const after = r.fired.slice(3);
    expect(after[0]).toBe('2026-03-10T13:00:00.000Z');
    expect(after).toContain('2026-03-10T15:00:00.000Z');
    expect(r.jumps).toHaveLength(1);
    expect(r.jumps[0]!.backwardMs).toBeGreaterThanOrEqual(2 * hour - 5_000);
    r.scheduler.stop();
  });

  it('keeps an interval schedule going after a jump back', () => {
    const r = rig({ maxFrequencyHours: 1 }, '2026-03-10T12:00:00Z');
    r.scheduler.start(); // runs at once
    r.time.advanceBy(30 * 60_000);
    r.time.shiftWallClock(-3 * hour);
    r.scheduler.resume();
    r.time.advanceBy(2 * hour);
    // Without the fix the last run (12:00) lies ahead of the clock and nothing fires for 3 h.
    expect(r.fired.length).toBeGreaterThanOrEqual(3);
    expect(r.jumps).toHaveLength(1);
    r.scheduler.stop();
  });

  it('reports nothing when the machine only slept (wall clock moved forward)', () => {
    const r = rig({ cron: '0 * * * *' }, '2026-03-10T11:30:00Z');
    r.scheduler.start();
    r.time.sleep(5 * hour);
    r.scheduler.resume();
    expect(r.jumps).toEqual([]);
    r.scheduler.stop();
  });
});

describe('Scheduler with a frozen clock', () => {
  it('a wall clock that does not move while time passes fires nothing twice', () => {
    const fixed = new Date('2026-03-10T12:00:00Z');
    let mono = 0;
    const fired: string[] = [];
    const jumps: ClockJump[] = [];
    const starts = new Map<string, Date>();
    const timers: Array<() => void> = [];
    const scheduler = new Scheduler({
      clock: { now: () => fixed, monotonic: () => mono },
      setTimer: (callback) => timers.push(callback), clearTimer: () => undefined,
      getPlans: () => [{ id: 'docs', schedule: { maxFrequencyHours: 1 } }],
      getState: () => ({ lastRun: starts }),
      onDue: (task) => { fired.push(task.key); starts.set(task.key, fixed); },
      onClockJump: (jump) => jumps.push(jump),
    });
    scheduler.start();
    for (let i = 0; i < 5; i += 1) {
      mono += 2 * hour;
      scheduler.reschedule();
    }
    expect(fired).toHaveLength(1);
    // Seen from the monotonic clock a frozen wall clock is set back again and again: reported, harmless.
    expect(jumps.length).toBeLessThanOrEqual(5);
    scheduler.stop();
  });
});
