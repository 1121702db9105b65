// 1,000 scheduled runs under an injected clock, through the real Scheduler (the class the agent
// uses, with its capped timers and re-entrant ticks), for several plans at once: a cron every five
// minutes in UTC, a weekday-noon cron in São Paulo local time, an hourly interval and a repository
// check. Jobs take a seeded random time shorter than their gap and finish on virtual timers;
// configuration changes (reschedule) arrive at random moments. Each plan's fire times are compared
// with slots computed independently from the cron/interval: no drift, no overlap, no lost run.
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../electron/core/config/backrest-schema.js';
import { cronFires } from '../../electron/core/schedule/cron.js';
import { cronZoneFor, scheduleShape } from '../../electron/core/schedule/next-run.js';
import { Scheduler, taskKey, VirtualTime, type DueTask } from '../../electron/core/schedule/index.js';
import { recordFigure } from '../support/figures.js';
import { Rng } from '../fuzz/fuzz-inputs.js';

const localZone = 'America/Sao_Paulo';
const start = new Date('2026-03-02T00:00:00Z');

interface Tracked {
  key: string;
  schedule: Schedule;
  /** Longest job, kept under the shortest gap between two slots. */
  maxJobMs: number;
}

function expectedSlots(schedule: Schedule, count: number): Date[] {
  const shape = scheduleShape(schedule);
  if (shape.kind === 'interval') return Array.from({ length: count }, (_, i) => new Date(start.getTime() + i * shape.everyMs));
  if (shape.kind === 'cron') return cronFires(shape.expression, cronZoneFor(schedule, { localZone }), new Date(start.getTime() - 1), count);
  return [];
}

describe('1,000 scheduled runs under an injected clock', () => {
  it('fire on their slots: no drift, no overlap, no lost run, no extra run', () => {
    const rng = new Rng(20_260_302);
    const time = new VirtualTime(start);
    const plans = [
      { id: 'a-cada-5-min', schedule: { cron: '*/5 * * * *', clock: 'CLOCK_UTC' } as Schedule, maxJobMs: 4 * 60_000 },
      { id: 'meio-dia-util', schedule: { cron: '0 12 * * 1-5', clock: 'CLOCK_LOCAL' } as Schedule, maxJobMs: 50 * 60_000 },
      { id: 'de-hora-em-hora', schedule: { maxFrequencyHours: 1, clock: 'CLOCK_LAST_RUN_TIME' } as Schedule, maxJobMs: 40 * 60_000 },
    ];
    const repos = [{ id: 'repo', checkPolicy: { schedule: { cron: '0 3 * * *', clock: 'CLOCK_UTC' } as Schedule } }];
    const tracked: Tracked[] = [
      ...plans.map((p) => ({ key: taskKey('backup', p.id), schedule: p.schedule, maxJobMs: p.maxJobMs })),
      { key: taskKey('check', 'repo'), schedule: repos[0]!.checkPolicy.schedule, maxJobMs: 30 * 60_000 },
    ];
    const lastRun = new Map<string, Date>();
    const running = new Set<string>();
    const fired = new Map<string, Date[]>(tracked.map((t) => [t.key, []]));
    let overlaps = 0;
    let total = 0;

    const scheduler: Scheduler = new Scheduler({
      clock: time,
      setTimer: time.setTimer,
      clearTimer: time.clearTimer,
      localZone,
      getPlans: () => plans,
      getRepos: () => repos,
      getState: () => ({ lastRun, running }),
      onDue: (task: DueTask) => {
        if (running.has(task.key)) overlaps += 1;
        const now = time.now();
        fired.get(task.key)?.push(now);
        total += 1;
        running.add(task.key);
        lastRun.set(task.key, now);
        const limit = tracked.find((t) => t.key === task.key)!.maxJobMs;
        time.setTimer(() => {
          running.delete(task.key);
          scheduler.reschedule();
        }, 1_000 + rng.int(limit - 1_000));
        // Now and then the configuration changes while a job runs (the agent calls reschedule()).
        if (rng.chance(0.1)) time.setTimer(() => scheduler.reschedule(), rng.int(10 * 60_000));
      },
    });
    const began = performance.now();
    scheduler.start();
    const fiveMinRuns = () => fired.get(tracked[0]!.key)!.length;
    for (let guard = 0; fiveMinRuns() < 1000 && guard < 1_000_000; guard += 1) {
      if (!time.runNext()) break;
    }
    scheduler.stop();
    const elapsedMs = performance.now() - began;

    let maxDriftMs = 0;
    let lost = 0;
    let extra = 0;
    for (const t of tracked) {
      const got = fired.get(t.key)!;
      const slots = expectedSlots(t.schedule, got.length + 1).filter((d) => d.getTime() <= time.now().getTime());
      const gotSet = new Set(got.map((d) => d.getTime()));
      const slotSet = new Set(slots.map((d) => d.getTime()));
      lost += slots.filter((d) => !gotSet.has(d.getTime())).length;
      extra += got.filter((d) => !slotSet.has(d.getTime())).length;
      for (let i = 0; i < Math.min(slots.length, got.length); i += 1) maxDriftMs = Math.max(maxDriftMs, Math.abs(got[i]!.getTime() - slots[i]!.getTime()));
    }
    const figures = {
      name: '1,000 scheduled runs (4 tasks, injected clock)',
      runs: fiveMinRuns(), totalRuns: total, maxDriftMs, overlaps, lost, extra,
      virtualDays: Math.round((time.now().getTime() - start.getTime()) / 86_400_000), elapsedMs: Math.round(elapsedMs),
    };
    recordFigure('load', figures);
    console.log(`scheduled runs: ${JSON.stringify(figures)}`);
    expect(fiveMinRuns()).toBe(1000);
    expect(fired.get(taskKey('backup', 'meio-dia-util'))!.length).toBeGreaterThan(0);
    expect(fired.get(taskKey('backup', 'de-hora-em-hora'))!.length).toBeGreaterThan(50);
    expect(fired.get(taskKey('check', 'repo'))!.length).toBeGreaterThan(2);
    expect({ maxDriftMs, overlaps, lost, extra }).toEqual({ maxDriftMs: 0, overlaps: 0, lost: 0, extra: 0 });
  });
});
