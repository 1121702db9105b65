// Backoff arithmetic and the real clock. Pure and injectable so the queue's retry timing can be
// tested without waiting.
import { transientCauses, type FailureCause } from '../errors.js';
import type { Clock, RetryPolicy } from './types.js';

/** A reasonable default for backups against a REST server that may be briefly down. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 30_000,
  maxDelayMs: 10 * 60_000,
  factor: 2,
  jitter: 0.2,
};

export function shouldRetry(policy: RetryPolicy | undefined, cause: FailureCause, attempt: number): boolean {
  if (!policy || attempt >= policy.maxAttempts) return false;
  return (policy.retryOn ?? transientCauses).has(cause);
}

/**
 * Delay before attempt `attempt + 1`, after `attempt` failed: base * factor^(attempt-1), spread by
 * jitter, never above maxDelayMs. `random` returns [0, 1).
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const factor = policy.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0));
  const raw = policy.baseDelayMs * factor ** Math.max(0, attempt - 1);
  const spread = 1 + jitter * (2 * random() - 1);
  return Math.round(Math.max(0, Math.min(policy.maxDelayMs, raw * spread)));
}

export class AbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortError';
  }
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new AbortedError());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AbortedError());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};
