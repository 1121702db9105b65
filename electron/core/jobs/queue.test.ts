import { describe, expect, it } from 'vitest';
import { CofreError } from '../errors.js';
import { JobQueue } from './queue.js';
import { systemClock } from './retry.js';
import type { Clock, JobContext, RetryPolicy } from './types.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Work that runs until released or aborted, recording when it ran. */
function controllableWork(log: string[], name: string) {
  const gate = deferred();
  const started = deferred();
  const run = async (ctx: JobContext) => {
    log.push(`start ${name}`);
    started.resolve();
    await new Promise<void>((resolve, reject) => {
      ctx.signal.addEventListener('abort', () => reject(CofreError.fromCause('cancelled')), { once: true });
      void gate.promise.then(resolve);
    });
    log.push(`end ${name}`);
    return name;
  };
  return { run, release: () => gate.resolve(), started: started.promise };
}

/** A clock whose sleeps complete instantly and advance time, recording each requested delay. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      now += ms;
      if (signal.aborted) throw new Error('aborted');
    },
  };
}

describe('JobQueue', () => {
  it('coalesces 50 simultaneous "back up now" triggers into exactly one run', async () => {
    const queue = new JobQueue();
    let runs = 0;
    const gate = deferred();
    const handles = Array.from({ length: 50 }, () =>
      queue.enqueue({
        key: 'backup:docs',
        repoId: 'r1',
        kind: 'backup',
        planId: 'docs',
        trigger: 'manual',
        run: async () => {
          runs += 1;
          await gate.promise;
          return 'snap';
        },
      }),
    );
    expect(new Set(handles.map((h) => h.id)).size).toBe(1);
    expect(queue.list()).toHaveLength(1);
    gate.resolve();
    const outcomes = await Promise.all(handles.map((h) => h.done));
    expect(runs).toBe(1);
    expect(outcomes.every((o) => o.status === 'success' && o.value === 'snap')).toBe(true);

    // Once finished, the next trigger is a new job.
    const again = queue.enqueue({ key: 'backup:docs', repoId: 'r1', kind: 'backup', trigger: 'manual', run: async () => 'again' });
    expect(again.id).not.toBe(handles[0]!.id);
    expect((await again.done).value).toBe('again');
  });

  it('never overlaps two jobs of one repository but runs two repositories in parallel', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const a = controllableWork(log, 'a');
    const b = controllableWork(log, 'b');
    const c = controllableWork(log, 'c');
    const ha = queue.enqueue({ key: 'backup:a', repoId: 'r1', kind: 'backup', trigger: 'manual', run: a.run });
    const hb = queue.enqueue({ key: 'backup:b', repoId: 'r1', kind: 'backup', trigger: 'manual', run: b.run });
    const hc = queue.enqueue({ key: 'backup:c', repoId: 'r2', kind: 'backup', trigger: 'manual', run: c.run });
    await Promise.all([a.started, c.started]);
    await tick();
    // a (r1) and c (r2) overlap; b waits for a.
    expect(log).toEqual(['start a', 'start c']);
    expect(queue.list().map((j) => [j.key, j.state])).toEqual([
      ['backup:a', 'running'],
      ['backup:b', 'queued'],
      ['backup:c', 'running'],
    ]);
    a.release();
    await ha.done;
    await b.started;
    expect(log.indexOf('start b')).toBeGreaterThan(log.indexOf('end a'));
    b.release();
    c.release();
    await Promise.all([hb.done, hc.done]);
    expect(queue.list()).toEqual([]);
  });

  it('runs a restore in its own lane beside the same repository\'s backup, and reports the repository unchanged', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const backup = controllableWork(log, 'backup');
    const restore = controllableWork(log, 'restore');
    const hb = queue.enqueue({ key: 'backup:p', repoId: 'r1', kind: 'backup', trigger: 'manual', run: backup.run });
    const hr = queue.enqueue({ key: 'restore:1', repoId: 'r1', lane: 'restore', kind: 'restore', trigger: 'manual', run: restore.run });
    // The restore does not wait for the backup: both run at once.
    await Promise.all([backup.started, restore.started]);
    expect(queue.list().map((j) => [j.kind, j.repoId, j.lane, j.state])).toEqual([
      ['backup', 'r1', 'main', 'running'],
      ['restore', 'r1', 'restore', 'running'],
    ]);
    backup.release();
    restore.release();
    await Promise.all([hb.done, hr.done]);
  });

  it('cancels a queued job without running it and aborts a running one', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const a = controllableWork(log, 'a');
    let bRan = false;
    const finished: string[] = [];
    queue.on('job-finished', ({ job, outcome }) => finished.push(`${job.key}:${outcome.status}`));
    const ha = queue.enqueue({ key: 'backup:a', repoId: 'r1', kind: 'backup', trigger: 'manual', run: a.run });
    const hb = queue.enqueue({
      key: 'backup:b', repoId: 'r1', kind: 'backup', trigger: 'manual',
      run: async () => {
        bRan = true;
      },
    });
    await a.started;
    expect(hb.cancel()).toBe(true);
    const outB = await hb.done;
    expect(outB.status).toBe('cancelled');
    expect(outB.startedAt).toBeUndefined();
    expect(outB.attempts).toBe(0);

    expect(queue.cancel(ha.id)).toBe(true);
    const outA = await ha.done;
    expect(outA.status).toBe('cancelled');
    expect(outA.error?.cause).toBe('cancelled');
    expect(bRan).toBe(false);
    expect(finished).toEqual(['backup:b:cancelled', 'backup:a:cancelled']);
    expect(queue.cancel(ha.id)).toBe(false);
  });

  it('starts a fresh job when triggered again while the previous one is being cancelled', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const a = controllableWork(log, 'a');
    const first = queue.enqueue({ key: 'backup:p', repoId: 'r1', kind: 'backup', trigger: 'manual', run: a.run });
    await a.started;
    first.cancel();
    const second = queue.enqueue({ key: 'backup:p', repoId: 'r1', kind: 'backup', trigger: 'manual', run: async () => 'ok' });
    expect(second.id).not.toBe(first.id);
    expect((await first.done).status).toBe('cancelled');
    expect((await second.done).status).toBe('success');
  });

  it('reports warnings and classified failures with their cause', async () => {
    const queue = new JobQueue();
    const warned = await queue.enqueue({
      key: 'backup:w', repoId: 'r1', kind: 'backup', trigger: 'manual',
      run: async (ctx) => {
        ctx.warn('partial');
        return { snapshotId: 'abc' };
      },
    }).done;
    expect(warned.status).toBe('warning');
    expect(warned.value).toEqual({ snapshotId: 'abc' });
    expect(warned.error?.cause).toBe('partial');

    const failed = await queue.enqueue({
      key: 'backup:f', repoId: 'r1', kind: 'backup', trigger: 'manual',
      run: async () => {
        throw CofreError.fromCause('wrong-password', 'Fatal: wrong password');
      },
    }).done;
    expect(failed.status).toBe('failure');
    expect(failed.error).toMatchObject({ cause: 'wrong-password', code: 'cause.wrong-password', detail: 'Fatal: wrong password' });
    expect(failed.error?.action).toBeTruthy();

    const unexpected: unknown[] = [];
    const q2 = new JobQueue({ onUnexpectedError: (e) => unexpected.push(e) });
    const crashed = await q2.enqueue({
      key: 'x', repoId: 'r1', kind: 'backup', trigger: 'manual',
      run: async () => {
        throw new Error('password=hunter2 leaked in a stack');
      },
    }).done;
    expect(crashed.status).toBe('failure');
    expect(crashed.error?.cause).toBe('unknown');
    expect(JSON.stringify(crashed)).not.toContain('hunter2');
    expect(unexpected).toHaveLength(1);
  });

  it('throttles progress to a few events and always delivers the latest value', async () => {
    const queue = new JobQueue();
    const seen: unknown[] = [];
    queue.on('job-progress', ({ progress }) => seen.push(progress));
    let elapsed = 0;
    const outcome = await queue.enqueue({
      key: 'backup:p', repoId: 'r1', kind: 'backup', trigger: 'manual',
      run: async (ctx) => {
        const start = Date.now();
        // 1000 updates spread over about 100 ms, as restic's status lines arrive.
        for (let i = 0; i < 1000; i += 1) {
          ctx.progress(i);
          if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        elapsed = Date.now() - start;
        return 'done';
      },
    }).done;
    expect(outcome.status).toBe('success');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    // One event per started 100 ms window plus the final flush (a slow machine stretches the loop).
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    if (elapsed < 190) expect(seen.length).toBeLessThanOrEqual(4);
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(999);
  });

  it('spaces progress events at least 100 ms apart over a longer run', async () => {
    const queue = new JobQueue();
    const times: number[] = [];
    queue.on('job-progress', () => times.push(Date.now()));
    await queue.enqueue({
      key: 'k', repoId: 'r1', kind: 'backup', trigger: 'manual',
      run: async (ctx) => {
        const end = Date.now() + 450;
        let i = 0;
        while (Date.now() < end) {
          ctx.progress(i++);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      },
    }).done;
    // 450 ms => at most 5 throttled events plus the final flush.
    expect(times.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < times.length - 1; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(95);
  });

  describe('retry', () => {
    const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000, factor: 2, jitter: 0 };

    it('"Tentar agora": a new trigger of a job waiting out its backoff starts the next attempt at once', async () => {
      const queue = new JobQueue({ clock: systemClock });
      const slow: RetryPolicy = { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, factor: 1, jitter: 0 };
      const waiting = deferred();
      queue.on('job-retrying', () => waiting.resolve());
      const spec = {
        key: 'backup:now', repoId: 'r1', kind: 'backup' as const, trigger: 'manual' as const, retry: slow,
        run: async (ctx: JobContext) => {
          if (ctx.attempt === 1) throw CofreError.fromCause('server-unreachable');
          return `attempt ${ctx.attempt}`;
        },
      };
      const first = queue.enqueue(spec);
      await waiting.promise;
      const started = Date.now();
      const again = queue.enqueue(spec);
      expect(again.id).toBe(first.id);
      const outcome = await first.done;
      expect(outcome).toMatchObject({ status: 'success', value: 'attempt 2', attempts: 2 });
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('cancelling a job waiting out its backoff still cancels it', async () => {
      const queue = new JobQueue({ clock: systemClock });
      const slow: RetryPolicy = { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, factor: 1, jitter: 0 };
      const waiting = deferred();
      queue.on('job-retrying', () => waiting.resolve());
      const handle = queue.enqueue({
        key: 'backup:c', repoId: 'r1', kind: 'backup', trigger: 'manual', retry: slow,
        run: async () => { throw CofreError.fromCause('server-unreachable'); },
      });
      await waiting.promise;
      expect(queue.retryNow('nope')).toBe(false);
      handle.cancel();
      expect(await handle.done).toMatchObject({ status: 'cancelled', attempts: 1 });
    });

    it('retries a transient cause with exponential backoff capped at maxDelay, then succeeds', async () => {
      const clock = fakeClock();
      const queue = new JobQueue({ clock });
      const retrying: Array<[number, number, string]> = [];
      queue.on('job-retrying', ({ delayMs, nextAttempt, error }) => retrying.push([delayMs, nextAttempt, error.cause]));
      const attempts: number[] = [];
      const outcome = await queue.enqueue({
        key: 'backup:r', repoId: 'r1', kind: 'backup', trigger: 'schedule', retry: policy,
        run: async (ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt < 4) throw CofreError.fromCause('server-unreachable');
          return 'ok';
        },
      }).done;
      expect(outcome).toMatchObject({ status: 'success', value: 'ok', attempts: 4 });
      expect(attempts).toEqual([1, 2, 3, 4]);
      expect(clock.sleeps).toEqual([1000, 2000, 3000]);
      expect(retrying).toEqual([
        [1000, 2, 'server-unreachable'],
        [2000, 3, 'server-unreachable'],
        [3000, 4, 'server-unreachable'],
      ]);
    });

    it('gives up after maxAttempts with the last cause', async () => {
      const clock = fakeClock();
      const queue = new JobQueue({ clock });
      const outcome = await queue.enqueue({
        key: 'k', repoId: 'r1', kind: 'backup', trigger: 'schedule', retry: { ...policy, maxAttempts: 3 },
        run: async () => {
          throw CofreError.fromCause('repo-locked');
        },
      }).done;
      expect(outcome).toMatchObject({ status: 'failure', attempts: 3, error: { cause: 'repo-locked' } });
      expect(clock.sleeps).toEqual([1000, 2000]);
      expect(outcome.endedAt - outcome.startedAt!).toBe(3000);
    });

    it('does not retry causes that will not fix themselves', async () => {
      for (const cause of ['wrong-password', 'auth-refused', 'tls-untrusted', 'storage-full', 'no-repository'] as const) {
        const clock = fakeClock();
        const queue = new JobQueue({ clock });
        let runs = 0;
        const outcome = await queue.enqueue({
          key: 'k', repoId: 'r1', kind: 'backup', trigger: 'schedule', retry: policy,
          run: async () => {
            runs += 1;
            throw CofreError.fromCause(cause);
          },
        }).done;
        expect(outcome.status).toBe('failure');
        expect(runs).toBe(1);
        expect(clock.sleeps).toEqual([]);
      }
    });

    it('spreads delays with jitter but never beyond maxDelay', async () => {
      const clock = fakeClock();
      const randoms = [0, 0.75, 0.5];
      const queue = new JobQueue({ clock, random: () => randoms.shift() ?? 0.5 });
      await queue.enqueue({
        key: 'k', repoId: 'r1', kind: 'backup', trigger: 'schedule',
        retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 2500, jitter: 0.2 },
        run: async () => {
          throw CofreError.fromCause('server-unreachable');
        },
      }).done;
      expect(clock.sleeps[0]).toBe(800);
      expect(clock.sleeps[1]).toBe(2200);
      expect(clock.sleeps[2]).toBe(2500);
    });

    it('stops immediately when cancelled during the backoff wait', async () => {
      const queue = new JobQueue({ clock: systemClock });
      let runs = 0;
      const handle = queue.enqueue({
        key: 'k', repoId: 'r1', kind: 'backup', trigger: 'schedule',
        retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
        run: async () => {
          runs += 1;
          throw CofreError.fromCause('server-unreachable');
        },
      });
      const waiting = deferred();
      queue.on('job-retrying', () => waiting.resolve());
      await waiting.promise;
      expect(queue.list()[0]?.state).toBe('retrying');
      const before = Date.now();
      handle.cancel();
      const outcome = await handle.done;
      expect(Date.now() - before).toBeLessThan(500);
      expect(outcome.status).toBe('cancelled');
      expect(runs).toBe(1);
    });
  });

  it('drains for a graceful quit: cancelAll aborts running work, drain waits for it and refuses new jobs', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const a = controllableWork(log, 'a');
    const b = controllableWork(log, 'b');
    const ha = queue.enqueue({ key: 'a', repoId: 'r1', kind: 'backup', trigger: 'manual', run: a.run });
    const hb = queue.enqueue({ key: 'b', repoId: 'r2', kind: 'backup', trigger: 'manual', run: b.run });
    await Promise.all([a.started, b.started]);
    expect(queue.cancelAll()).toBe(2);
    expect(await queue.drain(2000)).toBe(true);
    expect((await ha.done).status).toBe('cancelled');
    expect((await hb.done).status).toBe('cancelled');
    const late = queue.enqueue({ key: 'c', repoId: 'r1', kind: 'backup', trigger: 'schedule', run: async () => 'never' });
    expect((await late.done).status).toBe('cancelled');
  });

  it('drain reports a timeout when work ignores cancellation', async () => {
    const queue = new JobQueue();
    const gate = deferred();
    const handle = queue.enqueue({ key: 'stubborn', repoId: 'r1', kind: 'check', trigger: 'manual', run: () => gate.promise });
    await tick();
    queue.cancelAll();
    expect(await queue.drain(50)).toBe(false);
    gate.resolve();
    await handle.done;
  });
});
