import { describe, expect, it } from 'vitest';
import { dueRuns, dueTasks, nextRunsByTask, scheduledTasks } from './due.js';

const localZone = 'America/Sao_Paulo';
const at = (iso: string) => new Date(iso);
const daily = { id: 'docs', repo: 'r', schedule: { cron: '30 12 * * *' } }; // 15:30Z

describe('dueRuns', () => {
  it('runs a plan missed for three days exactly once, as a catch-up of the latest slot', () => {
    const due = dueRuns([daily], {
      now: at('2026-03-10T18:00:00Z'), localZone,
      lastRunByPlan: { docs: at('2026-03-07T15:30:00Z') }, lastCheckedAt: at('2026-03-07T15:31:00Z'),
    });
    expect(due).toEqual([{ planId: 'docs', reason: 'catch-up', slot: at('2026-03-10T15:30:00Z') }]);
  });

  it('reports a slot served on time as "schedule" and nothing once it ran', () => {
    const state = { now: at('2026-03-10T15:30:00Z'), localZone, lastCheckedAt: at('2026-03-10T15:00:00Z') };
    expect(dueRuns([daily], { ...state, lastRunByPlan: new Map([['docs', at('2026-03-09T15:30:00Z')]]) })[0]?.reason).toBe('schedule');
    expect(dueRuns([daily], { ...state, lastRunByPlan: new Map([['docs', at('2026-03-10T15:30:00Z')]]) })).toEqual([]);
  });

  it('does not return a plan that is already running', () => {
    const due = dueRuns([daily, { id: 'mail', schedule: { maxFrequencyHours: 1 } }], {
      now: at('2026-03-10T18:00:00Z'), localZone, lastRunByPlan: {}, lastCheckedAt: at('2026-03-10T12:00:00Z'), running: new Set(['docs']),
    });
    expect(due.map((d) => d.planId)).toEqual(['mail']);
  });

  it('runs nothing while paused and catches up once when the pause ends', () => {
    const base = { localZone, lastRunByPlan: { docs: at('2026-03-09T15:30:00Z') }, lastCheckedAt: at('2026-03-09T16:00:00Z'), pausedUntil: at('2026-03-11T12:00:00Z') };
    expect(dueRuns([daily], { ...base, now: at('2026-03-10T15:30:00Z') })).toEqual([]);
    expect(dueRuns([daily], { ...base, now: at('2026-03-11T12:00:00Z') })).toEqual([
      { planId: 'docs', reason: 'catch-up', slot: at('2026-03-10T15:30:00Z') },
    ]);
  });

  it('schedules repository prune and check as their own tasks', () => {
    const tasks = scheduledTasks([daily], [
      { id: 'nas', prunePolicy: { schedule: { cron: '0 3 * * 0' } }, checkPolicy: { schedule: { maxFrequencyDays: 30 } } },
      { id: 'usb' },
    ]);
    expect(tasks.map((t) => `${t.kind}:${t.id}`)).toEqual(['backup:docs', 'prune:nas', 'check:nas']);
    const now = at('2026-03-10T18:00:00Z');
    const due = dueTasks(tasks, { now, localZone, lastRun: new Map([['backup:docs', at('2026-03-10T15:30:00Z')]]), lastCheckedAt: now });
    expect(due.map((d) => d.key)).toEqual(['check:nas']); // never checked: due at once; prune waits for Sunday
    const next = nextRunsByTask(tasks, { now, localZone, lastRun: new Map(), pausedUntil: at('2026-03-12T00:00:00Z') });
    expect(next.get('prune:nas')).toEqual(at('2026-03-15T06:00:00Z'));
    expect(next.get('check:nas')).toEqual(at('2026-03-12T00:00:00Z')); // a pause pushes runs to its end
  });
});
