import { describe, expect, it } from 'vitest';
import { TechnicianGate, hashTechnicianPassword, verifyTechnicianPassword } from './technician.js';

const fast = { N: 2 ** 10, r: 8, p: 1 };

describe('technician password hash', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const hash = await hashTechnicianPassword('Técnico#2026', fast);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyTechnicianPassword('Técnico#2026', hash)).toBe(true);
    // The same text in another Unicode normalisation form is the same password.
    expect(await verifyTechnicianPassword('Te\u0301cnico#2026', hash)).toBe(true);
    expect(await verifyTechnicianPassword('técnico#2026', hash)).toBe(false);
    expect(await verifyTechnicianPassword('', hash)).toBe(false);
    expect(await hashTechnicianPassword('x', fast)).not.toBe(await hashTechnicianPassword('x', fast));
  });

  it('never matches a malformed or abusive hash', async () => {
    for (const bad of ['', 'scrypt$1024$8$1$c2FsdA==', 'bcrypt$x', 'scrypt$1000$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==', `scrypt$${2 ** 24}$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==`]) {
      expect(await verifyTechnicianPassword('x', bad)).toBe(false);
    }
  });
});

describe('TechnicianGate', () => {
  it('allows 5 wrong attempts, then locks out with exponential back-off', async () => {
    let now = 0;
    const gate = new TechnicianGate({ hash: await hashTechnicianPassword('certa', fast), now: () => now });
    for (let i = 0; i < 4; i++) expect(await gate.verify('errada')).toBe(false);
    expect(gate.lockedForMs()).toBe(0);
    expect(await gate.verify('errada')).toBe(false);
    expect(gate.lockedForMs()).toBe(30_000);
    // During the lockout even the right password is not checked.
    await expect(gate.verify('certa')).rejects.toMatchObject({ code: 'policy.technicianLockedOut', params: { seconds: 30 } });
    now += 30_000;
    expect(await gate.verify('errada')).toBe(false);
    expect(gate.lockedForMs()).toBe(60_000);
    now += 60_000;
    expect(await gate.verify('certa')).toBe(true);
    expect(gate.lockedForMs()).toBe(0);
    // Success resets the counter.
    for (let i = 0; i < 4; i++) expect(await gate.verify('errada')).toBe(false);
    expect(gate.lockedForMs()).toBe(0);
  });

  it('caps the lockout and counts parallel guesses', async () => {
    let now = 0;
    const gate = new TechnicianGate({ hash: await hashTechnicianPassword('certa', fast), now: () => now, maxLockoutMs: 100_000 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => gate.verify('errada')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    for (let i = 0; i < 6; i++) {
      now += gate.lockedForMs();
      await gate.verify('errada');
    }
    expect(gate.lockedForMs()).toBe(100_000);
  });

  it('without a hash nobody gets in', async () => {
    const gate = new TechnicianGate({ hash: undefined });
    expect(gate.required).toBe(false);
    expect(await gate.verify('anything')).toBe(false);
  });
});
