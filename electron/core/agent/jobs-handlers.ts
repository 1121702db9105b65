// Handlers of the contract's "status & jobs" section: the status, starting and cancelling jobs,
// pause, and the plans' display names.
import type { AgentStatus } from '../api.js';
import { CofreError } from '../errors.js';
import { requireCapability } from './handler-kit.js';
import { toJobInfo } from './job-info.js';
import type { Handlers, LabelsPort, Notify, PolicyPort, Queue, SettingsPort } from './ports.js';

export interface JobsHandlerDeps {
  status(): AgentStatus;
  policy: Pick<PolicyPort, 'capabilities'>;
  settings: Pick<SettingsPort, 'plan'>;
  queue: Pick<Queue, 'list' | 'cancel'>;
  labels: LabelsPort;
  runBackup(planId: string): string;
  pause(until: Date | null): void;
  statusChanged: Notify;
}

export function jobsHandlers(deps: JobsHandlerDeps): Pick<Handlers, 'getStatus' | 'runBackup' | 'setPlanLabel' | 'listJobs' | 'cancelJob' | 'pause' | 'resume'> {
  return {
    async getStatus() {
      return deps.status();
    },

    async runBackup(input) {
      requireCapability(deps.policy, 'backupNow');
      deps.settings.plan(input.planId);
      return { jobId: deps.runBackup(input.planId) };
    },

    async setPlanLabel(input) {
      deps.settings.plan(input.planId);
      await deps.labels.set(input.planId, input.label);
      deps.statusChanged();
      return { ok: true as const };
    },

    async listJobs() {
      return deps.queue.list().map((job) => toJobInfo(job, job.state === 'queued' ? 'queued' : 'running'));
    },

    async cancelJob(input) {
      if (!deps.queue.cancel(input.jobId)) throw new CofreError('agent.jobNotFound', { params: { job: input.jobId } });
      return { ok: true as const };
    },

    async pause(input) {
      requireCapability(deps.policy, 'pause');
      deps.pause(input.until ? new Date(input.until) : null);
      return deps.status();
    },

    async resume() {
      deps.pause(null);
      return deps.status();
    },
  };
}
