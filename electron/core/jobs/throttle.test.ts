import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttleLatest } from './throttle.js';

describe('throttleLatest', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns 1000 updates within 100 ms into the first value, the latest at 100 ms and nothing more', () => {
    const delivered: Array<[number, number]> = [];
    const throttle = throttleLatest<number>((v) => delivered.push([Date.now(), v]), 100, () => Date.now());
    const start = Date.now();
    for (let i = 0; i < 1000; i += 1) {
      throttle.push(i);
      vi.advanceTimersByTime(0.099);
    }
    vi.advanceTimersByTime(200);
    throttle.flush();
    expect(delivered.map(([, v]) => v)).toEqual([0, 999]);
    expect(delivered[1]![0] - start).toBe(100);
  });

  it('flushes a pending value immediately at the end and then ignores late pushes', () => {
    const delivered: number[] = [];
    const throttle = throttleLatest<number>((v) => delivered.push(v), 100, () => Date.now());
    throttle.push(1);
    vi.advanceTimersByTime(10);
    throttle.push(2);
    throttle.push(3);
    throttle.flush();
    expect(delivered).toEqual([1, 3]);
    throttle.push(4);
    vi.advanceTimersByTime(500);
    expect(delivered).toEqual([1, 3]);
  });

  it('never delivers two values less than the interval apart', () => {
    const times: number[] = [];
    const throttle = throttleLatest<number>(() => times.push(Date.now()), 100, () => Date.now());
    for (let i = 0; i < 2000; i += 1) {
      throttle.push(i);
      vi.advanceTimersByTime(1);
    }
    throttle.flush();
    expect(times.length).toBeLessThanOrEqual(21);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(100);
  });
});
