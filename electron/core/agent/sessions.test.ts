import { describe, expect, it } from 'vitest';
import { Sessions } from './sessions.js';

describe('Sessions', () => {
  it('creates unguessable ids (256 random bits) and elevates only sessions it created', () => {
    const sessions = new Sessions();
    const a = sessions.create();
    const b = sessions.create();
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    expect(() => sessions.elevate({ id: 'guessed' })).toThrow(expect.objectContaining({ code: 'agent.unknownSession' }));
    expect(sessions.isTechnician({ id: 'guessed' })).toBe(false);
    sessions.elevate(a);
    expect(sessions.isTechnician(a)).toBe(true);
    expect(sessions.isTechnician(b)).toBe(false);
  });

  it('stays bounded, forgetting plain sessions before technician ones', () => {
    let now = 0;
    const sessions = new Sessions(() => now, 30 * 60_000, 3);
    const tech = sessions.create();
    sessions.elevate(tech);
    const plain = [sessions.create(), sessions.create(), sessions.create()];
    expect(sessions.known(tech)).toBe(true);
    expect(sessions.known(plain[0]!)).toBe(false);
    expect(sessions.known(plain[2]!)).toBe(true);
    now += 1;
    expect(sessions.isTechnician(tech)).toBe(true);
  });
});
