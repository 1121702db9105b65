// A queue job as the contract shows it (listJobs, jobQueued).
import type { ApiEventData } from '../api.js';
import type { JobInfo } from '../jobs/index.js';

export function toJobInfo(job: JobInfo, state: 'queued' | 'running'): ApiEventData<'jobQueued'> {
  return {
    jobId: job.id,
    kind: job.kind,
    planId: job.planId ?? null,
    repoId: job.repoId,
    state,
    startedAt: job.startedAt ? new Date(job.startedAt).toISOString() : null,
  };
}
