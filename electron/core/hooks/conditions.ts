// Which hooks fire for an event, with Backrest's rule that CONDITION_ANY_ERROR matches every
// *_ERROR condition.
import type { Hook, HookCondition } from '../config/backrest-schema.js';

export function isErrorCondition(condition: HookCondition): boolean {
  return condition.endsWith('_ERROR');
}

export function isStartCondition(condition: HookCondition): boolean {
  return condition.endsWith('_START');
}

export function conditionMatches(hookCondition: HookCondition, event: HookCondition): boolean {
  if (hookCondition === 'CONDITION_UNKNOWN' || event === 'CONDITION_UNKNOWN') return false;
  return hookCondition === event || (hookCondition === 'CONDITION_ANY_ERROR' && isErrorCondition(event));
}

/** Hooks to run for `event`, in configuration order; a hook listing several matching conditions runs once. */
export function matchingHooks(hooks: readonly Hook[] | undefined, event: HookCondition): Hook[] {
  return (hooks ?? []).filter((hook) => (hook.conditions ?? []).some((c) => conditionMatches(c, event)));
}

export type OperationKind = 'backup' | 'prune' | 'check' | 'forget';
export type OperationPhase = 'start' | 'success' | 'warning' | 'error' | 'skipped';

/**
 * The events the agent fires, in order, for one phase of an operation. A finished backup fires its
 * result and then SNAPSHOT_END, as Backrest does.
 */
export function conditionsFor(kind: OperationKind, phase: OperationPhase): HookCondition[] {
  if (kind === 'backup') {
    switch (phase) {
      case 'start':
        return ['CONDITION_SNAPSHOT_START'];
      case 'success':
        return ['CONDITION_SNAPSHOT_SUCCESS', 'CONDITION_SNAPSHOT_END'];
      case 'warning':
        return ['CONDITION_SNAPSHOT_WARNING', 'CONDITION_SNAPSHOT_END'];
      case 'error':
        return ['CONDITION_SNAPSHOT_ERROR', 'CONDITION_SNAPSHOT_END'];
      case 'skipped':
        return ['CONDITION_SNAPSHOT_SKIPPED'];
    }
  }
  const prefix = `CONDITION_${kind.toUpperCase()}`;
  switch (phase) {
    case 'start':
      return [`${prefix}_START` as HookCondition];
    case 'error':
      return [`${prefix}_ERROR` as HookCondition];
    case 'skipped':
      return [];
    default:
      return [`${prefix}_SUCCESS` as HookCondition];
  }
}
