// Which scheduled tasks are due right now: a pure function of (tasks, last runs, clock, pause).
// Besides backups of plans, repositories carry their own prune and check schedules (Backrest
// `prunePolicy.schedule`, `checkPolicy.schedule`); all three are "tasks" keyed by kind and id.
import type { Plan, Repo, Schedule } from '../config/backrest-schema.js';
import { nextRun, previousSlot, type TimeZoneChoice } from './next-run.js';

export type TaskKind = 'backup' | 'prune' | 'check';
export type TaskKey = `${TaskKind}:${string}`;
export type DueReason = 'schedule' | 'catch-up';

export interface ScheduledTask {
  kind: TaskKind;
  /** Plan id for backups, repository id for prune and check. */
  id: string;
  schedule: Schedule | undefined;
}

export interface DueTask {
  kind: TaskKind;
  id: string;
  key: TaskKey;
  reason: DueReason;
  /** The slot being served: for a catch-up, the latest missed one. */
  slot: Date;
}

export type PlanLike = Pick<Plan, 'id' | 'schedule'>;
export type RepoLike = Pick<Repo, 'id' | 'prunePolicy' | 'checkPolicy'>;

export interface DueState {
  now: Date;
  /** Start of the last run of each task (any outcome), keyed by `taskKey()`. */
  lastRun: ReadonlyMap<string, Date>;
  /** When the scheduler last looked; a cron slot after it counts as missed even without a last run. */
  lastCheckedAt?: Date | null | undefined;
  /** The agent is paused until then: nothing is due before it. */
  pausedUntil?: Date | null | undefined;
  /** Tasks running right now (keys): never returned again while they run. */
  running?: ReadonlySet<string> | undefined;
  timeZone?: TimeZoneChoice | undefined;
  localZone?: string | undefined;
  /** A slot served later than this is reported as a catch-up (default one minute). */
  catchUpAfterMs?: number | undefined;
}

export function taskKey(kind: TaskKind, id: string): TaskKey {
  return `${kind}:${id}`;
}

export function scheduledTasks(plans: readonly PlanLike[], repos: readonly RepoLike[] = []): ScheduledTask[] {
  const tasks: ScheduledTask[] = plans.map((p) => ({ kind: 'backup', id: p.id, schedule: p.schedule }));
  for (const repo of repos) {
    if (repo.prunePolicy?.schedule) tasks.push({ kind: 'prune', id: repo.id, schedule: repo.prunePolicy.schedule });
    if (repo.checkPolicy?.schedule) tasks.push({ kind: 'check', id: repo.id, schedule: repo.checkPolicy.schedule });
  }
  return tasks;
}

export function isPaused(state: Pick<DueState, 'now' | 'pausedUntil'>): boolean {
  return !!state.pausedUntil && state.pausedUntil.getTime() > state.now.getTime();
}

function contextFor(task: ScheduledTask, state: DueState) {
  return {
    now: state.now,
    lastRun: state.lastRun.get(taskKey(task.kind, task.id)),
    watchingSince: state.lastCheckedAt,
    timeZone: state.timeZone,
    localZone: state.localZone,
  };
}

/**
 * Tasks due now, oldest slot first. Each task appears at most once however many slots were
 * missed; nothing is due while paused; running tasks are left out.
 */
export function dueTasks(tasks: readonly ScheduledTask[], state: DueState): DueTask[] {
  if (isPaused(state)) return [];
  const catchUpAfter = state.catchUpAfterMs ?? 60_000;
  const due: DueTask[] = [];
  for (const task of tasks) {
    const key = taskKey(task.kind, task.id);
    if (state.running?.has(key)) continue;
    const slot = previousSlot(task.schedule, contextFor(task, state));
    if (!slot) continue;
    const reason: DueReason = state.now.getTime() - slot.getTime() > catchUpAfter ? 'catch-up' : 'schedule';
    due.push({ kind: task.kind, id: task.id, key, reason, slot });
  }
  return due.sort((a, b) => a.slot.getTime() - b.slot.getTime() || a.key.localeCompare(b.key));
}

/** The next run of every task for display and for arming the timer (a pause pushes runs to its end). */
export function nextRunsByTask(tasks: readonly ScheduledTask[], state: DueState): Map<TaskKey, Date | null> {
  const result = new Map<TaskKey, Date | null>();
  const pausedUntil = isPaused(state) ? state.pausedUntil! : null;
  for (const task of tasks) {
    const next = nextRun(task.schedule, contextFor(task, state));
    result.set(taskKey(task.kind, task.id), next && pausedUntil && next < pausedUntil ? pausedUntil : next);
  }
  return result;
}

export interface PlanDueState extends Omit<DueState, 'lastRun' | 'running'> {
  lastRunByPlan: ReadonlyMap<string, Date> | Readonly<Record<string, Date | undefined>>;
  /** Plan ids running right now. */
  running?: ReadonlySet<string> | undefined;
}

export interface DuePlan {
  planId: string;
  reason: DueReason;
  slot: Date;
}

/** Plans whose backup is due now (see `dueTasks`), in the shape the agent uses for plans. */
export function dueRuns(plans: readonly PlanLike[], state: PlanDueState): DuePlan[] {
  const lastRun = new Map<string, Date>();
  const entries = state.lastRunByPlan instanceof Map ? [...state.lastRunByPlan] : Object.entries(state.lastRunByPlan);
  for (const [planId, date] of entries) if (date) lastRun.set(taskKey('backup', planId), date);
  const running = new Set([...(state.running ?? [])].map((id) => taskKey('backup', id)));
  return dueTasks(scheduledTasks(plans), { ...state, lastRun, running }).map((d) => ({ planId: d.id, reason: d.reason, slot: d.slot }));
}
