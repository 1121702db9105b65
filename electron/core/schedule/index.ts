// Scheduling: pure "when" functions plus the one Scheduler that owns a timer.
export { nextRun, nextRuns, previousSlot, scheduleShape, cronZoneFor, type ScheduleContext, type ScheduleShape, type TimeZoneChoice } from './next-run.js';
export { isValidCron } from './cron.js';
export { describeSchedule, assertValidSchedule } from './describe.js';
export {
  dueRuns, dueTasks, nextRunsByTask, scheduledTasks, taskKey, isPaused,
  type DuePlan, type DueReason, type DueState, type DueTask, type PlanDueState, type PlanLike, type RepoLike,
  type ScheduledTask, type TaskKey, type TaskKind,
} from './due.js';
export { Scheduler, type ClearTimer, type SchedulerClock, type SchedulerOptions, type SchedulerState, type SetTimer } from './scheduler.js';
export { simulateSchedule, type SimulationInput, type SimulationResult } from './simulate.js';
export { VirtualTime } from './virtual-time.js';
