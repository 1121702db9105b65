// The agent's side of the scheduler: what it needs to know (plans, repositories, when each task
// last started, what runs now), what it does when a task is due, and pause. Runs only in a
// long-lived agent (tray, `cofre run`, `cofre serve`); one-shot CLI commands never start it.
import type { JobTrigger } from '../api.js';
import type { Plan } from '../config/backrest-schema.js';
import { taskKey, type DueTask } from '../schedule/due.js';
import { Scheduler } from '../schedule/scheduler.js';
import type { Clock, History, LogPort, Notify, Queue, SchedulingPort, SettingsPort } from './ports.js';

export interface SchedulingDeps {
  settings: Pick<SettingsPort, 'effective'>;
  history: Pick<History, 'lastRunStarts'>;
  queue: Pick<Queue, 'list'>;
  log: Pick<LogPort, 'info' | 'warn' | 'error'>;
  clock: Clock;
  statusChanged: Notify;
  runBackup(plan: Plan, trigger: JobTrigger): void;
  runMaintenance(kind: 'check' | 'prune', repoId: string, trigger: JobTrigger): void;
}

export class Scheduling implements SchedulingPort {
  private readonly scheduler: Scheduler;
  private paused: Date | null = null;

  constructor(private readonly deps: SchedulingDeps) {
    const { settings, log } = deps;
    this.scheduler = new Scheduler({
      clock: { now: () => deps.clock.now() },
      getPlans: () => settings.effective().plans,
      getRepos: () => settings.effective().repos,
      getState: () => ({ lastRun: this.lastRuns(), running: this.runningTaskKeys() }),
      onDue: (task) => this.onDue(task),
      onError: (error) => log.error(`scheduler: ${error instanceof Error ? error.message : String(error)}`),
      onClockJump: (jump) => log.warn(`scheduler: the clock moved back ${Math.round(jump.backwardMs / 60_000)} min (expected ${jump.expectedAt.toISOString()}, now ${jump.now.toISOString()}); scheduled runs continue`),
    });
  }

  start(): void {
    this.scheduler.start();
  }

  stop(): void {
    this.scheduler.stop();
  }

  resume(): void {
    this.scheduler.resume();
  }

  reschedule(): void {
    this.scheduler.reschedule();
  }

  pause(until: Date | null): void {
    this.paused = until;
    this.scheduler.pauseUntil(until);
    this.deps.log.info(until ? `backups paused until ${until.toISOString()}` : 'backups resumed');
    this.deps.statusChanged();
  }

  pausedUntil(): Date | null {
    return this.paused;
  }

  /**
   * When each task last started, from the shared history database: rows still running count too,
   * so a backup another process (the CLI, the tray) is running is not fired again here.
   */
  lastRuns(): Map<string, Date> {
    const map = new Map<string, Date>();
    for (const [planId, at] of this.deps.history.lastRunStarts('backup', 'plan')) map.set(taskKey('backup', planId), at);
    for (const kind of ['check', 'prune'] as const) {
      for (const [repoId, at] of this.deps.history.lastRunStarts(kind, 'repo')) map.set(taskKey(kind, repoId), at);
    }
    return map;
  }

  private runningTaskKeys(): Set<string> {
    const keys = new Set<string>();
    for (const job of this.deps.queue.list()) {
      if (job.kind === 'backup' && job.planId) keys.add(taskKey('backup', job.planId));
      if (job.kind === 'check' || job.kind === 'prune') keys.add(taskKey(job.kind, job.repoId));
    }
    return keys;
  }

  private onDue(task: DueTask): void {
    const config = this.deps.settings.effective();
    if (task.kind === 'backup') {
      const plan = config.plans.find((p) => p.id === task.id);
      if (plan) this.deps.runBackup(plan, task.reason);
      return;
    }
    if (config.repos.some((r) => r.id === task.id)) this.deps.runMaintenance(task.kind, task.id, task.reason);
  }
}
