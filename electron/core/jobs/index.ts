// Public surface of the job queue.
export { JobQueue, type JobQueueOptions } from './queue.js';
export { acquireProcessLock, lockFileName, type Release, type ProcessLockOptions } from './process-lock.js';
export { backoffDelay, defaultRetryPolicy, shouldRetry, systemClock } from './retry.js';
export { throttleLatest, type Throttle } from './throttle.js';
export type * from './types.js';
