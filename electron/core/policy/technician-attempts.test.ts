// Regression tests (issue 15): the technician login limit lived in memory (a new CLI process or a
// `serve` restart reset it) and was one global counter any token holder could use to lock the
// technician out for everyone.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TechnicianAttempts, defaultAttemptLimits } from './technician-attempts.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function fileIn(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cofre-attempts-'));
  dirs.push(dir);
  return join(dir, 'data', 'technician-attempts.json');
}
const right = () => Promise.resolve(true);
const wrong = () => Promise.resolve(false);

describe('TechnicianAttempts', () => {
  it('is persisted: a new process (new instance) continues the count and the lockout', async () => {
    let now = 1_000_000;
    const file = fileIn();
    const first = new TechnicianAttempts(file, () => now);
    for (let i = 0; i < 5; i += 1) expect(await first.attempt('s1', wrong)).toEqual({ ok: false });
    expect((await first.waitFor('s1')).waitMs).toBe(30_000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const restarted = new TechnicianAttempts(file, () => now);
    let checked = false;
    const refused = await restarted.attempt('s1', () => { checked = true; return right(); });
    expect(refused).toMatchObject({ ok: false, refused: true, scope: 'session', waitMs: 30_000 });
    expect(checked).toBe(false);
    now += 30_000;
    expect(await restarted.attempt('s1', right)).toEqual({ ok: true });
  });

  it('one noisy session backs off alone: another session still logs in', async () => {
    const now = 5_000_000;
    const gate = new TechnicianAttempts(fileIn(), () => now);
    for (let i = 0; i < 8; i += 1) await gate.attempt('noisy', wrong);
    expect(await gate.attempt('noisy', right)).toMatchObject({ refused: true, scope: 'session' });
    expect(await gate.attempt('technician', right)).toEqual({ ok: true });
  });

  it('many sessions hit the machine limit, which lasts at most one window and cannot be extended', async () => {
    let now = 9_000_000;
    const gate = new TechnicianAttempts(fileIn(), () => now);
    for (let i = 0; i < defaultAttemptLimits.globalLimit; i += 1) await gate.attempt(`fresh-${i}`, wrong);
    const locked = await gate.attempt('technician', right);
    expect(locked).toMatchObject({ ok: false, refused: true, scope: 'machine' });
    // Guesses during the lock are not even looked at, so they cannot push the lock further.
    for (let i = 0; i < 50; i += 1) {
      now += 10_000;
      await gate.attempt(`spam-${i}`, wrong);
    }
    now = 9_000_000 + defaultAttemptLimits.globalWindowMs;
    expect(await gate.attempt('technician', right)).toEqual({ ok: true });
  });

  it('a lock time left far in the future by a clock set back is capped', async () => {
    let now = 50_000_000;
    const file = fileIn();
    const gate = new TechnicianAttempts(file, () => now);
    for (let i = 0; i < 12; i += 1) await gate.attempt('s', wrong);
    now -= 24 * 3_600_000; // clock set back a day
    const wait = await new TechnicianAttempts(file, () => now).waitFor('s');
    expect(wait.waitMs).toBeLessThanOrEqual(defaultAttemptLimits.maxLockoutMs);
  });
});
