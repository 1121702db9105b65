import { describe, expect, it } from 'vitest';
import { hookSchema, type Hook } from '../config/backrest-schema.js';
import { conditionsFor, matchingHooks } from './conditions.js';

const hook = (...conditions: Hook['conditions']) => hookSchema.parse({ conditions, actionCommand: { command: conditions.join(',') } });

describe('hook conditions', () => {
  const hooks = [
    hook('CONDITION_SNAPSHOT_START'),
    hook('CONDITION_ANY_ERROR'),
    hook('CONDITION_SNAPSHOT_ERROR', 'CONDITION_ANY_ERROR'),
    hook('CONDITION_SNAPSHOT_SUCCESS', 'CONDITION_SNAPSHOT_END'),
    hook('CONDITION_PRUNE_SUCCESS'),
    hook(),
  ];
  const names = (event: Parameters<typeof matchingHooks>[1]) => matchingHooks(hooks, event).map((h) => h.actionCommand?.command);

  it('matches exact conditions', () => {
    expect(names('CONDITION_SNAPSHOT_START')).toEqual(['CONDITION_SNAPSHOT_START']);
    expect(names('CONDITION_PRUNE_SUCCESS')).toEqual(['CONDITION_PRUNE_SUCCESS']);
    expect(names('CONDITION_CHECK_START')).toEqual([]);
  });

  it('lets CONDITION_ANY_ERROR match every *_ERROR, once per hook', () => {
    expect(names('CONDITION_SNAPSHOT_ERROR')).toEqual(['CONDITION_ANY_ERROR', 'CONDITION_SNAPSHOT_ERROR,CONDITION_ANY_ERROR']);
    expect(names('CONDITION_PRUNE_ERROR')).toEqual(['CONDITION_ANY_ERROR', 'CONDITION_SNAPSHOT_ERROR,CONDITION_ANY_ERROR']);
    expect(names('CONDITION_FORGET_ERROR')).toHaveLength(2);
    expect(names('CONDITION_SNAPSHOT_WARNING')).toEqual([]);
  });

  it('runs a hook with several matching conditions only once per event', () => {
    expect(names('CONDITION_SNAPSHOT_END')).toEqual(['CONDITION_SNAPSHOT_SUCCESS,CONDITION_SNAPSHOT_END']);
    expect(matchingHooks(undefined, 'CONDITION_SNAPSHOT_END')).toEqual([]);
  });

  it('lists the events of each operation phase, backup results followed by SNAPSHOT_END', () => {
    expect(conditionsFor('backup', 'error')).toEqual(['CONDITION_SNAPSHOT_ERROR', 'CONDITION_SNAPSHOT_END']);
    expect(conditionsFor('backup', 'warning')).toEqual(['CONDITION_SNAPSHOT_WARNING', 'CONDITION_SNAPSHOT_END']);
    expect(conditionsFor('prune', 'start')).toEqual(['CONDITION_PRUNE_START']);
    expect(conditionsFor('forget', 'success')).toEqual(['CONDITION_FORGET_SUCCESS']);
    expect(conditionsFor('check', 'error')).toEqual(['CONDITION_CHECK_ERROR']);
  });
});
