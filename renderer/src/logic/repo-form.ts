// Mapping between the repository form and Backrest's Repo object. The CA certificate lives in
// restic's own flag (`--cacert`) so Backrest reads the same file; passwords never enter the Repo:
// they go to the secret store through setRepoSecrets.
import type { Config, Plan, Repo } from '../../../electron/core/config/backrest-schema.js';
import { formToRetention, defaultRetentionForm } from './retention-form.js';
import { formToSchedule, defaultScheduleForm } from './schedule-form.js';

export function caCertOf(repo: Pick<Repo, 'flags'>): string {
  const flags = repo.flags ?? [];
  for (let i = 0; i < flags.length; i += 1) {
    const flag = flags[i]!;
    const eq = /^--cacert[= ](.+)$/.exec(flag);
    if (eq) return eq[1]!.trim().replace(/^"(.*)"$/, '$1');
    if (flag === '--cacert' && flags[i + 1]) return flags[i + 1]!;
  }
  return '';
}

export function withCaCert(repo: Repo, path: string): Repo {
  const flags: string[] = [];
  const old = repo.flags ?? [];
  for (let i = 0; i < old.length; i += 1) {
    const flag = old[i]!;
    if (flag === '--cacert') {
      i += 1;
      continue;
    }
    if (/^--cacert[= ]/.test(flag)) continue;
    flags.push(flag);
  }
  if (path.trim()) flags.push(`--cacert=${path.trim()}`);
  return { ...repo, flags };
}

/** A repository id not used yet, derived from a friendly base name. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const clean = base.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'item';
  if (!used.has(clean)) return clean;
  for (let n = 2; ; n += 1) if (!used.has(`${clean}-${n}`)) return `${clean}-${n}`;
}

export function newRepo(id: string, uri: string, caCert = ''): Repo {
  return withCaCert({ id, uri: uri.trim(), env: [], flags: [], hooks: [], autoUnlock: true, autoInitialize: false }, caCert);
}

export function newPlan(id: string, repoId: string, paths: string[]): Plan {
  return {
    id,
    repo: repoId,
    paths,
    excludes: [],
    iexcludes: [],
    hooks: [],
    backup_flags: [],
    schedule: formToSchedule(defaultScheduleForm),
    retention: formToRetention(defaultRetentionForm),
  };
}

/** The first-run result: the draft config with one repository and one plan added. */
export function addRepoAndPlan(config: Config, repo: Repo, paths: string[], retention?: Plan['retention']): { config: Config; planId: string } {
  const planId = uniqueId('documentos', config.plans.map((p) => p.id));
  const plan = newPlan(planId, repo.id, paths);
  return {
    config: { ...config, repos: [...config.repos.filter((r) => r.id !== repo.id), repo], plans: [...config.plans, retention ? { ...plan, retention } : plan] },
    planId,
  };
}

/** Locked settings: an exact key, a parent key (`repos` locks `repos.x`), or `*` for everything. */
export function isLocked(locked: readonly string[], key: string): boolean {
  return locked.some((l) => l === '*' || l === key || key.startsWith(`${l}.`));
}

/** How long the first-run wizard keeps backups, as choices a person can read. */
export const retentionPresets = {
  month: { policyTimeBucketed: { daily: 30 } },
  year: { policyTimeBucketed: { daily: 7, weekly: 4, monthly: 12 } },
  years: { policyTimeBucketed: { daily: 14, weekly: 8, monthly: 24, yearly: 5 } },
} as const satisfies Record<string, NonNullable<Plan['retention']>>;
export type RetentionPreset = keyof typeof retentionPresets;

/** The preset a retention is (same buckets, nothing else), or null: the wizard shows a policy's retention as that choice. */
export function presetOf(retention: Plan['retention'] | null | undefined): RetentionPreset | null {
  const buckets = retention?.policyTimeBucketed;
  if (!retention || !buckets || retention.policyKeepAll || retention.policyKeepLastN !== undefined) return null;
  const fields = ['hourly', 'daily', 'weekly', 'monthly', 'yearly', 'keepLastN'] as const;
  const same = (preset: Record<string, number | undefined>) => fields.every((f) => (preset[f] ?? 0) === ((buckets as Record<string, number | undefined>)[f] ?? 0));
  return (Object.keys(retentionPresets) as RetentionPreset[]).find((k) => same(retentionPresets[k].policyTimeBucketed)) ?? null;
}
