import { describe, expect, it } from 'vitest';
import { createQuitSequence, type QuitEffects, type ShutdownTarget } from './quit-sequence.js';

function harness(agent: ShutdownTarget | null) {
  const calls: string[] = [];
  let releaseTimer: () => void = () => {};
  const effects: QuitEffects = {
    closeWindows: () => calls.push('closeWindows'),
    destroyTray: () => calls.push('destroyTray'),
    exit: (code) => calls.push(`exit:${code}`),
    log: (message) => calls.push(`log:${message}`),
    delay: () => new Promise<void>((resolve) => { releaseTimer = resolve; }),
  };
  const quit = createQuitSequence(() => agent, effects, { agentTimeoutMs: 100, graceMs: 50 });
  return { calls, quit, fireTimer: () => releaseTimer() };
}

describe('quit sequence', () => {
  it('closes windows, waits for the agent to stop its jobs, then exits cleanly', async () => {
    const order: string[] = [];
    const agent: ShutdownTarget = { shutdown: async (timeout) => { order.push(`shutdown:${timeout}`); } };
    const { calls, quit } = harness(agent);
    await quit.run();
    expect(order).toEqual(['shutdown:100']);
    expect(calls).toEqual(['closeWindows', 'destroyTray', 'exit:0']);
  });

  it('does not exit before the agent finished stopping restic', async () => {
    let finish: () => void = () => {};
    const agent: ShutdownTarget = { shutdown: () => new Promise<void>((resolve) => { finish = resolve; }) };
    const { calls, quit } = harness(agent);
    const done = quit.run();
    await Promise.resolve();
    expect(calls).toEqual(['closeWindows']);
    finish();
    await done;
    expect(calls.at(-1)).toBe('exit:0');
  });

  it('exits anyway when the agent hangs beyond the bound, and says so in the log', async () => {
    const agent: ShutdownTarget = { shutdown: () => new Promise<void>(() => {}) };
    const { calls, quit, fireTimer } = harness(agent);
    const done = quit.run();
    await Promise.resolve();
    fireTimer();
    await done;
    expect(calls).toContain('log:agent did not stop within 150 ms; exiting anyway');
    expect(calls.at(-1)).toBe('exit:1');
  });

  it('exits when the agent fails to stop, and runs only once when quit is requested twice', async () => {
    let shutdowns = 0;
    const agent: ShutdownTarget = { shutdown: async () => { shutdowns++; throw new Error('boom'); } };
    const { calls, quit } = harness(agent);
    await Promise.all([quit.run(), quit.run()]);
    expect(shutdowns).toBe(1);
    expect(calls.filter((c) => c.startsWith('exit'))).toEqual(['exit:1']);
    expect(quit.started).toBe(true);
  });

  it('exits at once when the agent never started', async () => {
    const { calls, quit } = harness(null);
    await quit.run();
    expect(calls).toEqual(['closeWindows', 'destroyTray', 'exit:0']);
  });
});
