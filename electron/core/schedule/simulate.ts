// Runs the real Scheduler against virtual time for many slots and measures what a user would
// notice: late or early runs (drift), two runs of one plan at once (overlap), and slots that never
// ran (lost). Used by the unit tests and quoted as a figure for the fault-tolerance issue.
import type { Schedule } from '../config/backrest-schema.js';
import { cronZoneFor, scheduleShape } from './next-run.js';
import { cronFires } from './cron.js';
import { Scheduler } from './scheduler.js';
import { taskKey } from './due.js';
import { VirtualTime } from './virtual-time.js';

export interface SimulationInput {
  schedule: Schedule;
  start: Date;
  /** How many runs to simulate. */
  runs: number;
  /** How long each backup takes (virtual time); must be shorter than the gap between slots. */
  jobDurationMs?: number;
  localZone?: string;
}

export interface SimulationResult {
  runs: number;
  fired: number;
  /** Largest |actual start - expected slot| in ms. */
  maxDriftMs: number;
  overlaps: number;
  lost: number;
  /** Runs that happened although no slot asked for them. */
  extra: number;
  /** Real time the simulation took. */
  elapsedMs: number;
  firedAt: Date[];
}

export function simulateSchedule(input: SimulationInput): SimulationResult {
  const began = performance.now();
  const time = new VirtualTime(input.start);
  const planId = 'simulated';
  const key = taskKey('backup', planId);
  const lastRun = new Map<string, Date>();
  const running = new Set<string>();
  const firedAt: Date[] = [];
  let overlaps = 0;
  const jobDuration = input.jobDurationMs ?? 60_000;

  const scheduler: Scheduler = new Scheduler({
    clock: time,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    localZone: input.localZone,
    getPlans: () => [{ id: planId, schedule: input.schedule }],
    getState: () => ({ lastRun, running }),
    onDue: () => {
      if (running.has(key)) overlaps += 1;
      const startedAt = time.now();
      firedAt.push(startedAt);
      running.add(key);
      lastRun.set(key, startedAt);
      time.setTimer(() => {
        running.delete(key);
        scheduler.reschedule();
      }, jobDuration);
    },
  });
  scheduler.start();
  for (let guard = 0; firedAt.length < input.runs && guard < input.runs * 200; guard += 1) {
    if (!time.runNext()) break;
  }
  scheduler.stop();

  const expected = expectedSlots(input);
  const expectedSet = new Set(expected.map((d) => d.getTime()));
  const firedSet = new Set(firedAt.map((d) => d.getTime()));
  let maxDriftMs = 0;
  for (let i = 0; i < Math.min(expected.length, firedAt.length); i += 1) {
    maxDriftMs = Math.max(maxDriftMs, Math.abs(firedAt[i]!.getTime() - expected[i]!.getTime()));
  }
  return {
    runs: input.runs,
    fired: firedAt.length,
    maxDriftMs,
    overlaps,
    lost: expected.filter((d) => !firedSet.has(d.getTime())).length,
    extra: firedAt.filter((d) => !expectedSet.has(d.getTime())).length,
    elapsedMs: performance.now() - began,
    firedAt,
  };
}

/** The slots computed independently of the Scheduler: straight from the cron or the interval. */
function expectedSlots(input: SimulationInput): Date[] {
  const shape = scheduleShape(input.schedule);
  if (shape.kind === 'interval') {
    return Array.from({ length: input.runs }, (_, i) => new Date(input.start.getTime() + i * shape.everyMs));
  }
  if (shape.kind === 'cron') {
    return cronFires(shape.expression, cronZoneFor(input.schedule, { localZone: input.localZone }), new Date(input.start.getTime() - 1), input.runs);
  }
  return [];
}
