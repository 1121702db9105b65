// Sessions of the faces that call the agent. A session becomes "technician" after the technician
// password was verified and stays so until logout or 30 idle minutes. Sessions exist only when a
// face creates one (create()); ids are 256 random bits, so nobody can name another's session.
import { randomBytes } from 'node:crypto';
import type { SessionRef } from '../api.js';
import { CofreError } from '../errors.js';
import type { SessionOwner } from './ports.js';

export type { SessionOwner };

interface SessionState {
  technicianUntil: number;
  /** Service mode (issue 13): the OS user this session acts for; absent = the agent's own user. */
  owner?: SessionOwner;
}

export class Sessions {
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly idleMs = 30 * 60_000,
    private readonly maxSessions = 4096,
  ) {}

  create(options: { technician?: boolean; owner?: SessionOwner } = {}): SessionRef {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { technicianUntil: options.technician ? Number.POSITIVE_INFINITY : 0, ...(options.owner ? { owner: options.owner } : {}) });
    this.bound();
    return { id };
  }

  isTechnician(ref: SessionRef): boolean {
    const state = this.sessions.get(ref.id);
    if (!state || state.technicianUntil <= this.now()) return false;
    if (Number.isFinite(state.technicianUntil)) state.technicianUntil = this.now() + this.idleMs;
    return true;
  }

  /** Only a session this object created can be elevated: an unknown id stays nobody. */
  elevate(ref: SessionRef): void {
    const state = this.sessions.get(ref.id);
    if (!state) throw new CofreError('agent.unknownSession');
    state.technicianUntil = this.now() + this.idleMs;
  }

  drop(ref: SessionRef): void {
    const state = this.sessions.get(ref.id);
    if (state) state.technicianUntil = 0;
  }

  /** The OS user a service session acts for (undefined outside service mode). */
  owner(ref: SessionRef): SessionOwner | undefined {
    return this.sessions.get(ref.id)?.owner;
  }

  known(ref: SessionRef): boolean {
    return this.sessions.has(ref.id);
  }

  /** Keeps the table bounded (every HTTP tab and CLI process makes one): oldest plain sessions go first. */
  private bound(): void {
    if (this.sessions.size <= this.maxSessions) return;
    for (const [id, state] of this.sessions) {
      if (this.sessions.size <= this.maxSessions) break;
      if (state.technicianUntil <= this.now()) this.sessions.delete(id);
    }
    while (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value as string);
  }
}
