import { describe, expect, it } from 'vitest';
import { CofreError } from '../errors.js';
import { judgeLocks, toResticLock, withStaleLockRecovery, type LockAccess, type ResticLock } from './stale-locks.js';

const now = Date.parse('2026-12-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
const lock = (over: Partial<ResticLock> = {}): ResticLock => ({ id: 'a'.repeat(64), time: minutesAgo(1), exclusive: true, hostname: 'pc-ana', username: 'ana', pid: 100, ...over });
const alive = new Set([200]);
const policy = { autoUnlock: false, hostname: 'pc-ana', isAlive: (pid: number) => alive.has(pid), now: () => now };

describe('which locks may be cleared', () => {
  it('clears the lock of a process that is gone on this host', () => {
    expect(judgeLocks([lock({ pid: 100 })], policy)).toMatchObject({ clear: true, reason: 'owner-gone' });
  });

  it('leaves the lock of a live process alone', () => {
    expect(judgeLocks([lock({ pid: 200 })], policy)).toMatchObject({ clear: false, reason: 'live-owner' });
  });

  it('leaves the lock of another computer alone, even when that pid is free here', () => {
    expect(judgeLocks([lock({ hostname: 'pc-bia', pid: 100 })], policy)).toMatchObject({ clear: false, reason: 'other-host' });
  });

  it('does not unlock when restic would take an old lock of another computer along', () => {
    const locks = [lock({ pid: 100 }), lock({ id: 'b'.repeat(64), hostname: 'pc-bia', time: minutesAgo(45) })];
    expect(judgeLocks(locks, policy)).toMatchObject({ clear: false, reason: 'old-lock-of-other-owner' });
  });

  it('a recent lock of another computer beside a dead one of ours: restic unlock leaves it, so clearing is fine', () => {
    const locks = [lock({ pid: 100 }), lock({ id: 'b'.repeat(64), hostname: 'pc-bia', time: minutesAgo(2), exclusive: false })];
    expect(judgeLocks(locks, policy)).toMatchObject({ clear: true, reason: 'owner-gone', locks: [locks[0]] });
  });

  it('autoUnlock clears whatever restic judges stale', () => {
    expect(judgeLocks([lock({ hostname: 'pc-bia' })], { ...policy, autoUnlock: true })).toMatchObject({ clear: true, reason: 'auto-unlock' });
  });

  it('reads restic cat lock output and refuses anything else', () => {
    expect(toResticLock('x', { time: 't', exclusive: true, hostname: 'vm', username: 'root', pid: 9 })).toEqual({ id: 'x', time: 't', exclusive: true, hostname: 'vm', username: 'root', pid: 9 });
    expect(toResticLock('x', { hostname: 'vm' })).toBeUndefined();
    expect(toResticLock('x', null)).toBeUndefined();
  });
});

describe('a job that meets a lock', () => {
  function access(locks: ResticLock[]) {
    const calls: string[] = [];
    const a: LockAccess = {
      listLocks: async () => (calls.push('list'), locks.map((l) => l.id)),
      catLock: async (id) => (calls.push('cat'), locks.find((l) => l.id === id)),
      unlock: async () => {
        calls.push('unlock');
        locks.length = 0;
      },
    };
    return { a, calls };
  }
  const locked = () => new CofreError('cause.repo-locked', { cause: 'repo-locked' });

  it('clears a dead owner\'s lock, logs it and succeeds on the second try', async () => {
    const { a, calls } = access([lock({ pid: 100 })]);
    const logs: string[] = [];
    let runs = 0;
    const value = await withStaleLockRecovery(async () => {
      runs += 1;
      if (runs === 1) throw locked();
      return 'done';
    }, { access: a, policy: { ...policy, log: (m) => logs.push(m) } });
    expect(value).toBe('done');
    expect(calls).toEqual(['list', 'cat', 'unlock']);
    expect(logs.join('\n')).toMatch(/removed stale lock.*pid 100 on pc-ana/);
  });

  it('fails as locked, without unlocking, when the owner lives', async () => {
    const { a, calls } = access([lock({ pid: 200 })]);
    let runs = 0;
    await expect(withStaleLockRecovery(async () => {
      runs += 1;
      throw locked();
    }, { access: a, policy })).rejects.toMatchObject({ failure: 'repo-locked' });
    expect(runs).toBe(1);
    expect(calls).not.toContain('unlock');
  });

  it('retries only once and passes other failures through untouched', async () => {
    const { a } = access([lock({ pid: 100 })]);
    let runs = 0;
    await expect(withStaleLockRecovery(async () => {
      runs += 1;
      throw locked();
    }, { access: a, policy: { ...policy, autoUnlock: true } })).rejects.toMatchObject({ failure: 'repo-locked' });
    expect(runs).toBe(2);
    const other = new CofreError('cause.server-unreachable', { cause: 'server-unreachable' });
    await expect(withStaleLockRecovery(async () => { throw other; }, { access: a, policy })).rejects.toBe(other);
  });
});
