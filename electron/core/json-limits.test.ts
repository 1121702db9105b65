import { describe, expect, it } from 'vitest';
import { exceedsJsonLimits } from './json-limits.js';

describe('JSON limits', () => {
  it('accepts ordinary configuration shapes', () => {
    expect(exceedsJsonLimits({ repos: [{ id: 'a', env: ['A=1'], hooks: [{ conditions: ['X'] }] }] })).toBe(false);
    expect(exceedsJsonLimits('text')).toBe(false);
  });

  it('refuses deep nesting without overflowing the stack itself', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { x: deep };
    expect(exceedsJsonLimits(deep)).toBe(true);
    expect(exceedsJsonLimits({ a: { b: { c: 1 } } }, 2)).toBe(true);
  });

  it('refuses inputs with too many values', () => {
    expect(exceedsJsonLimits(Array.from({ length: 1000 }, () => 1), 64, 500)).toBe(true);
  });
});

describe('request budget', () => {
  const limits = { maxValues: 100, maxDepth: 4, maxBytes: 1_000 };
  it('names the first limit exceeded, or null', async () => {
    const { requestExcess } = await import('./json-limits.js');
    expect(requestExcess({ planId: 'docs' }, limits)).toBeNull();
    expect(requestExcess(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 1])), limits)).toEqual({ limit: 'values', max: 100 });
    expect(requestExcess(Array.from({ length: 200 }, () => 1), limits)).toEqual({ limit: 'values', max: 100 });
    expect(requestExcess({ a: { b: { c: { d: { e: 1 } } } } }, limits)).toEqual({ limit: 'depth', max: 4 });
    expect(requestExcess({ text: 'x'.repeat(2_000) }, limits)).toEqual({ limit: 'bytes', max: 1_000 });
  });
});
