// Sessions of the faces that call the agent. A session becomes "technician" after the technician
// password was verified and stays so until logout or 30 idle minutes.
import { randomUUID } from 'node:crypto';
import type { SessionRef } from '../api.js';

interface SessionState {
  technicianUntil: number;
}

export class Sessions {
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly idleMs = 30 * 60_000,
  ) {}

  create(options: { technician?: boolean } = {}): SessionRef {
    const id = randomUUID();
    this.sessions.set(id, { technicianUntil: options.technician ? Number.POSITIVE_INFINITY : 0 });
    return { id };
  }

  isTechnician(ref: SessionRef): boolean {
    const state = this.sessions.get(ref.id);
    if (!state || state.technicianUntil <= this.now()) return false;
    if (Number.isFinite(state.technicianUntil)) state.technicianUntil = this.now() + this.idleMs;
    return true;
  }

  elevate(ref: SessionRef): void {
    const state = this.sessions.get(ref.id) ?? { technicianUntil: 0 };
    state.technicianUntil = this.now() + this.idleMs;
    this.sessions.set(ref.id, state);
  }

  drop(ref: SessionRef): void {
    const state = this.sessions.get(ref.id);
    if (state) state.technicianUntil = 0;
  }

  known(ref: SessionRef): boolean {
    return this.sessions.has(ref.id);
  }
}
