// What importing a Backrest config.json does to the current configuration, as a pure function:
// the config to save and a preview of the change, computed before anything is written.
//
// Merge (the default) adds the file's repositories and plans, or updates those with the same id;
// everything else of the current config stays exactly as it is (other repos and plans, hooks,
// auth, `sync`, unknown fields) and the instance is kept unless the technician asks for the
// file's. Replace takes the whole file; what it removes is listed in the preview.
//
// Secrets: the returned config still holds the secrets the file carries (ConfigStore.update moves
// them into the secret store); the preview names them (`password`, env names) and never holds a
// value. A repo of the file without a password keeps the stored one, because nothing here deletes
// a secret of a repo that stays.
import { isDeepStrictEqual } from 'node:util';
import type { CofreError } from '../errors.js';
import type { Diagnostic } from './diagnostics.js';
import { getLocale, t, type Locale } from '../i18n/index.js';
import { repoEnvKey, repoPasswordKey } from '../secrets/secret-store.js';
import { parseBackrestFile } from './backrest-io.js';
import type { Config, Plan, Repo } from './backrest-schema.js';
import { splitRepoSecrets } from './repo-secrets.js';
import { invalidConfigError } from './validate.js';

export type ImportMode = 'merge' | 'replace';

export interface ImportOptions {
  mode: ImportMode;
  /** true = use the file's instance, false = keep this machine's; undefined = the default (see instanceFor). */
  takeInstance?: boolean | undefined;
  /** The secret store's entries of the repositories involved (key -> value). Values are compared, never returned. */
  storedSecrets?: Readonly<Record<string, string>>;
}

export interface RepoChange {
  id: string;
  /** Top-level fields of the repo whose value changes (secret-free comparison). */
  fields: string[];
  /** Secrets the file carries for this repo: `password` or env names; they replace stored ones. */
  secrets: string[];
}

export interface RemovedRepo {
  id: string;
  /** Saved secrets deleted with it: `password` or env names. */
  secrets: string[];
}

export interface ImportPreview {
  mode: ImportMode;
  /** The current config has no repository and no plan. */
  fresh: boolean;
  repos: { added: RepoChange[]; updated: RepoChange[]; unchanged: string[]; untouched: string[]; removed: RemovedRepo[] };
  plans: { added: string[]; updated: Array<{ id: string; fields: string[] }>; unchanged: string[]; untouched: string[]; removed: string[] };
  instance: { current: string; file: string; result: string; changes: boolean };
  /** Other top-level settings (auth, sync, ...) whose value the import changes. */
  settings: string[];
  /** How many secret values the file carries (they move into the secret store). */
  secretsFromFile: number;
  /** diagnoseConfig of the file's own repositories and plans (set by the agent, which knows the environment). */
  diagnostics?: Diagnostic[];
}

export interface ImportPlan {
  /** The user config to save (secrets of the file still inside). */
  config: Config;
  preview: ImportPreview;
}

/** A config with nothing to lose: no repository and no plan. */
export function isFreshConfig(config: Config): boolean {
  return config.repos.length === 0 && config.plans.length === 0;
}

/**
 * The instance the result uses. A fresh (unconfigured) Cofre adopts the file's instance by default:
 * Backrest tags every plan snapshot `created-by:<instance>` and lists a plan's snapshots by that tag,
 * so a machine adopted from Backrest must keep the name to keep seeing its history. A configured
 * Cofre keeps its own name unless the technician explicitly chooses the file's.
 */
function instanceFor(current: Config, imported: Config, options: ImportOptions): string {
  const take = options.takeInstance ?? isFreshConfig(current);
  return take ? imported.instance : current.instance;
}

function changedFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((key) => !isDeepStrictEqual(a[key], b[key])).sort();
}

function secretName(repoId: string, key: string): string {
  if (key === repoPasswordKey(repoId)) return 'password';
  const prefix = repoEnvKey(repoId, '');
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

function storedSecretNames(repoId: string, stored: Readonly<Record<string, string>>): string[] {
  const prefix = `repo/${repoId}/`;
  return Object.keys(stored).filter((k) => k.startsWith(prefix)).map((k) => secretName(repoId, k)).sort();
}

function describeRepo(repo: Repo, existing: Repo | undefined, stored: Readonly<Record<string, string>>): RepoChange {
  const split = splitRepoSecrets(repo);
  const secrets = Object.entries(split.secrets)
    // A secret equal to the stored one changes nothing: not worth a line in the preview.
    .filter(([key, value]) => !existing || stored[key] !== value)
    .map(([key]) => secretName(repo.id, key))
    .sort();
  return { id: repo.id, fields: existing ? changedFields(existing, split.repo) : [], secrets };
}

function mergeById<T extends { id: string }>(current: T[], imported: T[]): T[] {
  const byId = new Map(imported.map((item) => [item.id, item]));
  const merged = current.map((item) => byId.get(item.id) ?? item);
  const known = new Set(current.map((item) => item.id));
  return [...merged, ...imported.filter((item) => !known.has(item.id))];
}

function planRepoProblems(imported: Config, repoIds: Set<string>, locale: Locale): CofreError | null {
  const fields = imported.plans.flatMap((plan, i) =>
    repoIds.has(plan.repo) ? [] : [{ path: `plans[${i}].repo`, message: t('config.problem.unknownRepo', { repo: plan.repo }, locale) }],
  );
  return fields.length > 0 ? invalidConfigError(fields, locale) : null;
}

const listKeys = new Set(['modno', 'version', 'instance', 'repos', 'plans']);

/**
 * The config an import produces and what it changes. `current` is the user config (secret-free,
 * as ConfigStore holds it); `imported` is the parsed file (secrets inside). Throws
 * CofreError('config.invalid') naming the field when a plan of the file references a repository
 * the result would not have.
 */
export function planImport(current: Config, imported: Config, options: ImportOptions, locale: Locale = getLocale()): ImportPlan {
  const stored = options.storedSecrets ?? {};
  const fresh = isFreshConfig(current);
  const replace = options.mode === 'replace';
  const instance = instanceFor(current, imported, options);

  const repos = replace ? imported.repos : mergeById(current.repos, imported.repos);
  const plans = replace ? imported.plans : mergeById<Plan>(current.plans, imported.plans);
  const problem = planRepoProblems(imported, new Set(repos.map((r) => r.id)), locale);
  if (problem) throw problem;

  // Replace, or adopting a file into a fresh Cofre, takes the file's other settings too (auth,
  // sync, unknown fields): a fresh config has nothing of its own to lose there. A merge into a
  // configured Cofre leaves them alone.
  const takeTop = replace || fresh;
  const top: Record<string, unknown> = takeTop ? { ...imported } : { ...current };
  const config = {
    ...top,
    modno: current.modno,
    version: takeTop ? imported.version : current.version,
    instance,
    repos,
    plans,
  } as Config;

  const currentRepos = new Map(current.repos.map((r) => [r.id, r]));
  const currentPlans = new Map(current.plans.map((p) => [p.id, p]));
  const fileRepoIds = new Set(imported.repos.map((r) => r.id));
  const filePlanIds = new Set(imported.plans.map((p) => p.id));

  const preview: ImportPreview = {
    mode: options.mode,
    fresh,
    repos: { added: [], updated: [], unchanged: [], untouched: [], removed: [] },
    plans: { added: [], updated: [], unchanged: [], untouched: [], removed: [] },
    instance: { current: current.instance, file: imported.instance, result: instance, changes: instance !== current.instance },
    settings: [],
    secretsFromFile: imported.repos.reduce((n, r) => n + Object.keys(splitRepoSecrets(r).secrets).length, 0),
  };
  for (const repo of imported.repos) {
    const existing = currentRepos.get(repo.id);
    const change = describeRepo(repo, existing, stored);
    if (!existing) preview.repos.added.push(change);
    else if (change.fields.length > 0 || change.secrets.length > 0) preview.repos.updated.push(change);
    else preview.repos.unchanged.push(repo.id);
  }
  for (const repo of current.repos) {
    if (fileRepoIds.has(repo.id)) continue;
    if (replace) preview.repos.removed.push({ id: repo.id, secrets: storedSecretNames(repo.id, stored) });
    else preview.repos.untouched.push(repo.id);
  }
  for (const plan of imported.plans) {
    const existing = currentPlans.get(plan.id);
    const fields = existing ? changedFields(existing, plan) : [];
    if (!existing) preview.plans.added.push(plan.id);
    else if (fields.length > 0) preview.plans.updated.push({ id: plan.id, fields });
    else preview.plans.unchanged.push(plan.id);
  }
  for (const plan of current.plans) {
    if (filePlanIds.has(plan.id)) continue;
    if (replace) preview.plans.removed.push(plan.id);
    else preview.plans.untouched.push(plan.id);
  }
  preview.settings = changedFields(
    Object.fromEntries(Object.entries(current).filter(([k]) => !listKeys.has(k))),
    Object.fromEntries(Object.entries(config).filter(([k]) => !listKeys.has(k))),
  );
  return { config, preview };
}

/** The ids of the repositories whose secrets an import may change: every repo of the file, and those it removes. */
export function affectedRepoIds(current: Config, imported: Config, mode: ImportMode): string[] {
  const ids = new Set(imported.repos.map((r) => r.id));
  if (mode === 'replace') for (const repo of current.repos) ids.add(repo.id);
  return [...ids].sort();
}

/**
 * Parses the file in the context of the current config: in a merge, a plan of the file may use a
 * repository that only the current config has (Backrest's own validation would refuse the file
 * alone). Those repos are lent to the validation and taken out again; a plan whose repository is
 * in neither is refused with its field and the reason.
 */
export function parseImportFile(raw: string, current: Config, mode: ImportMode, locale: Locale = getLocale()): { config: Config; sourceVersion: number } {
  if (mode === 'merge') {
    const lent = lendCurrentRepos(raw, current);
    if (lent) {
      const parsed = parseBackrestFile(lent.text, locale);
      return { ...parsed, config: { ...parsed.config, repos: parsed.config.repos.filter((r) => !lent.ids.has(r.id)) } };
    }
  }
  return parseBackrestFile(raw, locale);
}

function lendCurrentRepos(raw: string, current: Config): { text: string; ids: Set<string> } | null {
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch {
    return null; // parseBackrestFile reports it
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const file = json as { repos?: unknown; plans?: unknown };
  if (!Array.isArray(file.plans)) return null;
  const repos: unknown[] = Array.isArray(file.repos) ? file.repos : file.repos === undefined ? [] : [];
  if (file.repos !== undefined && !Array.isArray(file.repos)) return null;
  const fileIds = new Set(repos.map((r) => (r && typeof r === 'object' ? (r as { id?: unknown }).id : undefined)));
  const ids = new Set<string>();
  for (const plan of file.plans) {
    const repoId = plan && typeof plan === 'object' ? (plan as { repo?: unknown }).repo : undefined;
    if (typeof repoId !== 'string' || fileIds.has(repoId)) continue;
    if (current.repos.some((r) => r.id === repoId)) ids.add(repoId);
  }
  if (ids.size === 0) return null;
  const borrowed = current.repos.filter((r) => ids.has(r.id));
  return { text: JSON.stringify({ ...file, repos: [...repos, ...borrowed] }), ids };
}
