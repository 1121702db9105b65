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
