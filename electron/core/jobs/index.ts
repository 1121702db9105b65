// Public surface of the job queue (what the agent uses; the queue's helpers stay in their modules).
export { JobQueue, type JobQueueOptions } from './queue.js';
export { defaultRetryPolicy } from './retry.js';
export type * from './types.js';
