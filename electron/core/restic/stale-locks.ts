// Recovery from restic locks left behind by a restic (or an agent) that died: every job kind meets
// `repo-locked` the same way. A lock may be cleared when the repository asks for it (Backrest's
// autoUnlock), or when the lock's own process is gone on this host; a lock of a live process or of
// another computer is left alone and the job fails as locked. restic writes the lock's hostname
// with Go's os.Hostname() and checks the pid with signal 0, so the same facts decide here.
import { hostname as osHostname } from 'node:os';
import { CofreError } from '../errors.js';
import { isProcessAlive } from '../process-alive.js';

/** One lock file as `restic cat lock <id>` prints it (same fields on 0.14, 0.18 and 0.19). */
export interface ResticLock {
  id: string;
  time: string;
  exclusive: boolean;
  hostname: string;
  username: string;
  pid: number;
}

/** What the recovery needs from a repository: its locks and restic's own `unlock`. */
export interface LockAccess {
  listLocks(signal?: AbortSignal): Promise<string[]>;
  /** undefined when the lock vanished meanwhile (its owner finished) or cannot be read. */
  catLock(id: string, signal?: AbortSignal): Promise<ResticLock | undefined>;
  /** `restic unlock` without --remove-all: removes only locks restic itself judges stale. */
  unlock(signal?: AbortSignal): Promise<void>;
}

export interface StaleLockPolicy {
  /** Backrest's autoUnlock: stale locks go whoever left them. */
  autoUnlock: boolean;
  /** The name restic writes into its locks on this machine (default: os.hostname()). */
  hostname?: string;
  isAlive?: (pid: number) => boolean;
  now?: () => number;
  log?: (message: string) => void;
}

export type LockVerdict =
  | { clear: true; reason: 'auto-unlock' | 'owner-gone'; locks: ResticLock[] }
  | { clear: false; reason: 'no-locks' | 'live-owner' | 'other-host' | 'old-lock-of-other-owner'; locks: ResticLock[] };

/**
 * restic's `unlock` also removes any lock older than 30 minutes (its stale timeout), whoever holds
 * it; locks of live restic processes are refreshed every 5 minutes so they never get that old.
 */
export const resticStaleTimeoutMs = 30 * 60_000;

/** Whether `restic unlock` may run, judged from the locks alone (pure). */
export function judgeLocks(locks: readonly ResticLock[], policy: Required<Pick<StaleLockPolicy, 'autoUnlock' | 'hostname' | 'isAlive' | 'now'>>): LockVerdict {
  const all = [...locks];
  if (policy.autoUnlock) return { clear: true, reason: 'auto-unlock', locks: all };
  if (all.length === 0) return { clear: false, reason: 'no-locks', locks: all };
  const here = (lock: ResticLock) => lock.hostname === policy.hostname;
  const gone = all.filter((lock) => here(lock) && !policy.isAlive(lock.pid));
  if (gone.length === 0) return { clear: false, reason: all.some(here) ? 'live-owner' : 'other-host', locks: all };
  // `restic unlock` would also take an old lock of another host or process with it: only when
  // no such lock exists is unlocking the same as removing the dead owners' locks alone.
  const collateral = all.filter((lock) => !gone.includes(lock) && policy.now() - Date.parse(lock.time) > resticStaleTimeoutMs);
  if (collateral.length > 0) return { clear: false, reason: 'old-lock-of-other-owner', locks: all };
  return { clear: true, reason: 'owner-gone', locks: gone };
}

/** A lock for the log: who held it and since when (no repository address, no secret). */
export function describeLock(lock: ResticLock): string {
  return `${lock.id.slice(0, 8)} (${lock.exclusive ? 'exclusive' : 'shared'}, pid ${lock.pid} on ${lock.hostname} by ${lock.username}, since ${lock.time})`;
}

/**
 * Reads the repository's locks and runs `restic unlock` when the verdict allows it. Returns
 * whether something was cleared (then one more attempt is worth it).
 */
export async function clearStaleLocks(access: LockAccess, policy: StaleLockPolicy, signal?: AbortSignal): Promise<boolean> {
  const log = policy.log ?? (() => undefined);
  const ids = await access.listLocks(signal);
  const locks: ResticLock[] = [];
  for (const id of ids.slice(0, 100)) {
    const lock = await access.catLock(id, signal);
    if (lock) locks.push(lock);
  }
  const verdict = judgeLocks(locks, {
    autoUnlock: policy.autoUnlock,
    hostname: policy.hostname ?? osHostname(),
    isAlive: policy.isAlive ?? isProcessAlive,
    now: policy.now ?? Date.now,
  });
  const listed = verdict.locks.map(describeLock).join(', ') || 'none readable';
  if (!verdict.clear) {
    log(`locked (${verdict.reason}); leaving the lock(s) alone: ${listed}`);
    return false;
  }
  await access.unlock(signal);
  log(verdict.reason === 'auto-unlock' ? `locked; removed stale locks (autoUnlock); locks seen: ${listed}` : `locked; removed stale lock(s) of processes gone on this host: ${listed}`);
  return true;
}

export function isRepoLocked(error: unknown): boolean {
  return error instanceof CofreError && error.failure === 'repo-locked';
}

/**
 * Runs `run`; when it meets a lock that may be cleared, clears it and runs once more. The one
 * function every restic command goes through, so all job kinds recover the same way.
 */
export async function withStaleLockRecovery<T>(run: () => Promise<T>, recovery: { access: LockAccess; policy: StaleLockPolicy; signal?: AbortSignal }): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isRepoLocked(error) || recovery.signal?.aborted) throw error;
    let cleared = false;
    try {
      cleared = await clearStaleLocks(recovery.access, recovery.policy, recovery.signal);
    } catch (inner) {
      recovery.policy.log?.(`locked; could not read or remove the locks: ${inner instanceof Error ? inner.message : String(inner)}`);
    }
    if (!cleared || recovery.signal?.aborted) throw error;
    return run();
  }
}

/** Reads one `restic cat lock` document; anything else is no lock. */
export function toResticLock(id: string, value: unknown): ResticLock | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.pid !== 'number' || typeof o.hostname !== 'string') return undefined;
  return {
    id,
    time: typeof o.time === 'string' ? o.time : '',
    exclusive: o.exclusive === true,
    hostname: o.hostname,
    username: typeof o.username === 'string' ? o.username : '',
    pid: o.pid,
  };
}
