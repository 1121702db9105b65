import { describe, expect, it } from 'vitest';
import { apiMethods } from '../core/api.js';
import { methodNames } from './method-names.js';

describe('preload method list', () => {
  it('exposes exactly the contract methods', () => {
    expect([...methodNames].sort()).toEqual([...apiMethods].sort());
  });
});
