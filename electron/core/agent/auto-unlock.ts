// Backrest's autoUnlock, applied by every job kind that meets repository locks.
import type { Repo } from '../config/backrest-schema.js';
import { CofreError } from '../errors.js';
import type { LogPort } from './ports.js';

export interface Unlocker {
  unlock(options: { signal?: AbortSignal }): Promise<void>;
}

/**
 * Backrest's autoUnlock removes stale locks before an operation. Doing it only when the operation
 * actually meets a lock keeps that meaning (a stale lock never blocks the run) without paying a
 * `restic unlock` round trip on every run: no lock, no unlock. `unlock` without --remove-all
 * removes only stale locks, so a lock held by a live restic still makes the run fail (and retry).
 */
export async function withAutoUnlock<T>(repo: Repo, engine: Unlocker, signal: AbortSignal, log: Pick<LogPort, 'info'>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(repo.autoUnlock && error instanceof CofreError && error.failure === 'repo-locked') || signal.aborted) throw error;
    log.info(`repository ${repo.id}: locked; removing stale locks (autoUnlock) and trying again`);
    await engine.unlock({ signal });
    return run();
  }
}
