// Technician login attempts, persisted per machine, so a new CLI process or a `serve` restart does
// not hand out a fresh set of guesses.
//
// Design (issue 15): two limits, each bounded in time so that nobody can lock the technician out
// for good.
// - Per session: `freeAttempts` wrong passwords, then an exponential back-off (30 s doubling up to
//   15 min) for *that session only*. A noisy tab or process slows itself down, nobody else.
// - Per machine: wrong passwords are counted in fixed windows (10 min). When a window holds
//   `globalLimit` failures, every session waits until that window ends. While locked no password
//   is checked at all, so guesses made during the lock neither count nor extend it: the global
//   lock lasts at most one window, and a correct password is accepted as soon as the window has
//   passed (unless its own session is backing off because of its own mistakes). An attacker gets
//   at most `globalLimit` guesses per window however many sessions it opens; the real technician
//   waits at most one window.
// The file is small JSON (0600, atomic write). Two processes racing may lose one count; the limits
// stay bounded regardless. A lock time far in the future (the clock was set back) is capped.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWriteFile } from '../config/atomic-write.js';

/** The file's name in the data dir. */
export const technicianAttemptsFile = 'technician-attempts.json';

export interface AttemptLimits {
  freeAttempts: number;
  baseLockoutMs: number;
  maxLockoutMs: number;
  globalWindowMs: number;
  globalLimit: number;
  /** Sessions remembered (oldest forgotten first). */
  maxSessions: number;
}

export const defaultAttemptLimits: AttemptLimits = {
  freeAttempts: 5,
  baseLockoutMs: 30_000,
  maxLockoutMs: 15 * 60_000,
  globalWindowMs: 10 * 60_000,
  globalLimit: 20,
  maxSessions: 64,
};

interface SessionAttempts {
  failures: number;
  lockedUntil: number;
  lastAt: number;
}

interface AttemptsFile {
  version: 1;
  window: { start: number; failures: number };
  sessions: Record<string, SessionAttempts>;
}

export type LoginWait = { waitMs: 0 } | { waitMs: number; scope: 'session' | 'machine' };
export type LoginOutcome = { ok: boolean } | { ok: false; refused: true; waitMs: number; scope: 'session' | 'machine' };

const empty = (): AttemptsFile => ({ version: 1, window: { start: 0, failures: 0 }, sessions: {} });

function isAttemptsFile(value: unknown): value is AttemptsFile {
  const v = value as AttemptsFile | null;
  return !!v && typeof v === 'object' && v.version === 1 && typeof v.window?.start === 'number' && typeof v.window?.failures === 'number' && !!v.sessions && typeof v.sessions === 'object';
}

export class TechnicianAttempts {
  private readonly limits: AttemptLimits;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
    limits: Partial<AttemptLimits> = {},
  ) {
    this.limits = { ...defaultAttemptLimits, ...limits };
  }

  /**
   * Runs one login attempt: refuses with the wait when a limit applies (without calling `check`),
   * otherwise calls `check` and records its outcome. Attempts are serialised inside the process.
   */
  attempt(sessionId: string, check: () => Promise<boolean>): Promise<LoginOutcome> {
    const run = async (): Promise<LoginOutcome> => {
      const state = await this.read();
      const wait = this.waitIn(state, sessionId);
      if ('scope' in wait) return { ok: false, refused: true, waitMs: wait.waitMs, scope: wait.scope };
      const ok = await check();
      this.recordIn(state, sessionId, ok);
      await this.write(state);
      return { ok };
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** How long `sessionId` must wait before its next attempt is looked at (0 = now). */
  async waitFor(sessionId: string): Promise<LoginWait> {
    return this.waitIn(await this.read(), sessionId);
  }

  private waitIn(state: AttemptsFile, sessionId: string): LoginWait {
    const now = this.now();
    const { globalWindowMs, globalLimit, maxLockoutMs } = this.limits;
    const windowEnd = Math.min(state.window.start + globalWindowMs, now + globalWindowMs);
    const machineWait = state.window.failures >= globalLimit && windowEnd > now ? windowEnd - now : 0;
    const own = state.sessions[sessionId];
    const sessionWait = own ? Math.min(Math.max(0, own.lockedUntil - now), maxLockoutMs) : 0;
    if (sessionWait === 0 && machineWait === 0) return { waitMs: 0 };
    return sessionWait >= machineWait ? { waitMs: sessionWait, scope: 'session' } : { waitMs: machineWait, scope: 'machine' };
  }

  private recordIn(state: AttemptsFile, sessionId: string, ok: boolean): void {
    const now = this.now();
    const { freeAttempts, baseLockoutMs, maxLockoutMs, globalWindowMs, maxSessions } = this.limits;
    if (ok) {
      // Only the real password succeeds: it clears the machine's count and this session's.
      delete state.sessions[sessionId];
      state.window = { start: now, failures: 0 };
      return;
    }
    // A window that ended (or lies in the future: clock set back) starts again now.
    if (now - state.window.start >= globalWindowMs || state.window.start > now) state.window = { start: now, failures: 0 };
    state.window.failures += 1;
    const own = state.sessions[sessionId] ?? { failures: 0, lockedUntil: 0, lastAt: now };
    own.failures += 1;
    own.lastAt = now;
    const over = own.failures - freeAttempts;
    if (over >= 0) own.lockedUntil = now + Math.min(maxLockoutMs, baseLockoutMs * 2 ** over);
    state.sessions[sessionId] = own;
    const ids = Object.keys(state.sessions);
    if (ids.length > maxSessions) {
      ids.sort((a, b) => state.sessions[a]!.lastAt - state.sessions[b]!.lastAt);
      for (const id of ids.slice(0, ids.length - maxSessions)) delete state.sessions[id];
    }
  }

  private async read(): Promise<AttemptsFile> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return isAttemptsFile(parsed) ? parsed : empty();
    } catch {
      return empty();
    }
  }

  private async write(state: AttemptsFile): Promise<void> {
    try {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      await atomicWriteFile(this.file, JSON.stringify(state), 0o600);
    } catch {
      // A read-only data dir must not stop a login; the in-process queue still serialises attempts.
    }
  }
}
