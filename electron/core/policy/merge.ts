// Policy over user config. Managed repos/plans replace user entries with the same id and are
// read-only; `locked` setting paths cannot be changed by users. The merged config is a runtime
// view: it may hold passwords from the policy, so faces get it through redactConfig(), and it is
// never saved (use userConfigFromEdit() to get back what belongs in config.json).
import { isDeepStrictEqual } from 'node:util';
import type { Config, Plan, Repo } from '../config/backrest-schema.js';
import type { Policy } from './schema.js';

export interface MergedConfig {
  config: Config;
  managedRepoIds: string[];
  managedPlanIds: string[];
}

function overlay<T extends { id: string }>(user: T[], managed: T[]): T[] {
  const managedIds = new Set(managed.map((m) => m.id));
  return [...managed, ...user.filter((u) => !managedIds.has(u.id))];
}

export function mergePolicy(config: Config, policy: Policy): MergedConfig {
  const repos = overlay<Repo>(config.repos, policy.managed.repos);
  const plans = overlay<Plan>(config.plans, policy.managed.plans);
  return {
    config: { ...config, repos, plans },
    managedRepoIds: policy.managed.repos.map((r) => r.id),
    managedPlanIds: policy.managed.plans.map((p) => p.id),
  };
}

function segments(settingPath: string): string[] {
  return settingPath.split(/[.[\]]+/).filter(Boolean);
}

/**
 * True when users may not change `settingPath` (e.g. `plans.docs.schedule`): an entry of
 * `locked` equals it or is one of its parents, `*` locks everything, and every managed repo/plan
 * is locked as a whole.
 */
export function isLocked(policy: Policy, settingPath: string): boolean {
  const target = segments(settingPath);
  if (policy.locked.includes('*')) return true;
  for (const entry of policy.locked) {
    const locked = segments(entry);
    if (locked.length > 0 && locked.length <= target.length && locked.every((s, i) => s === target[i])) return true;
  }
  const [list, id] = target;
  if (list === 'repos' && id !== undefined) return policy.managed.repos.some((r) => r.id === id);
  if (list === 'plans' && id !== undefined) return policy.managed.plans.some((p) => p.id === id);
  return false;
}

function valueAt(config: Config, settingPath: string): unknown {
  const [head, id, ...rest] = segments(settingPath);
  if (head === undefined) return config;
  let value: unknown = (config as Record<string, unknown>)[head];
  if ((head === 'repos' || head === 'plans') && id !== undefined) {
    value = (value as Array<{ id: string }> | undefined)?.find((e) => e.id === id);
    for (const key of rest) value = value === undefined || value === null ? undefined : (value as Record<string, unknown>)[key];
  } else if (id !== undefined) {
    for (const key of [id, ...rest]) value = value === undefined || value === null ? undefined : (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The locked setting paths an edit would change (empty = allowed). `before` and `after` are the
 * merged views; modno is not a setting. Locked top-level lists are compared without their managed
 * entries, which are checked one by one.
 */
export function lockedChanges(before: Config, after: Config, policy: Policy): string[] {
  const strip = (c: Config): Config => ({ ...c, modno: 0 });
  if (policy.locked.includes('*')) return isDeepStrictEqual(strip(before), strip(after)) ? [] : ['*'];
  const changed: string[] = [];
  for (const entry of policy.locked) {
    if (!isDeepStrictEqual(valueAt(before, entry), valueAt(after, entry))) changed.push(entry);
  }
  for (const repo of policy.managed.repos) {
    const p = `repos.${repo.id}`;
    if (!isDeepStrictEqual(valueAt(before, p), valueAt(after, p))) changed.push(p);
  }
  for (const plan of policy.managed.plans) {
    const p = `plans.${plan.id}`;
    if (!isDeepStrictEqual(valueAt(before, p), valueAt(after, p))) changed.push(p);
  }
  return [...new Set(changed)];
}

/**
 * What to save in config.json after a user edited the merged view: managed entries are removed,
 * and a user entry the policy had shadowed (same id) is put back unchanged.
 */
export function userConfigFromEdit(edited: Config, previousUser: Config, policy: Policy): Config {
  const restore = <T extends { id: string }>(list: T[], previous: T[], managed: T[]): T[] => {
    const managedIds = new Set(managed.map((m) => m.id));
    const kept = list.filter((e) => !managedIds.has(e.id));
    const shadowed = previous.filter((e) => managedIds.has(e.id));
    return [...kept, ...shadowed];
  };
  return {
    ...edited,
    repos: restore(edited.repos, previousUser.repos, policy.managed.repos),
    plans: restore(edited.plans, previousUser.plans, policy.managed.plans),
  };
}
