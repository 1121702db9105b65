// parseConfig: the one gate every config.json passes (load, import, set from a face). First what
// Backrest's loader tolerates is rewritten into canonical form (normalize.ts) and repositories
// without guid get migration 004's stand-in; then the zod schema (types, enums, formats), then the
// rules Backrest enforces across fields (internal/config/validate.go, protoutil.ValidateSchedule,
// validationutil.ValidateID). Problems name the JSON path and are worded in the requested locale.
import { CronExpressionParser } from 'cron-parser';
import { CofreError, type FieldProblem } from '../errors.js';
import { getLocale, type Locale } from '../i18n/index.js';
import { configSchema, type Config, type Hook, type Schedule } from './backrest-schema.js';
import { problemToField, summarizeFields, zodIssuesToProblems, type Problem } from './field-problems.js';
import { fillMissingGuids, latestBackrestVersion, oldestMigratableVersion, upgradeOldVersion } from './migrate.js';
import { normalizeBackrestJson } from './normalize.js';
import { checkRepoUri } from './repo-uri.js';

export type { Config };

export interface ValidationResult {
  config?: Config;
  fields: FieldProblem[];
}

export interface ValidateOptions {
  /**
   * Give repositories with neither guid nor autoInitialize migration 004's stand-in guid (default).
   * Off to judge a config exactly as Backrest would, e.g. a file about to be exported.
   */
  fillGuids?: boolean;
}

function versionProblem(json: unknown): Problem | null {
  const version = json !== null && typeof json === 'object' ? (json as { version?: unknown }).version : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version)) return null;
  if (version > latestBackrestVersion) return { path: ['version'], key: 'config.problem.versionTooNew', params: { version, latest: latestBackrestVersion } };
  if (version < oldestMigratableVersion) return { path: ['version'], key: 'config.problem.versionTooOld', params: { version } };
  return null;
}

/** Validates without throwing; `config` is set only when there is no problem. */
export function validateConfig(json: unknown, locale: Locale = getLocale(), options: ValidateOptions = {}): ValidationResult {
  const canonical = normalizeBackrestJson(json).json;
  upgradeOldVersion(canonical);
  if (options.fillGuids !== false) fillMissingGuids(canonical);
  const tooNewOrOld = versionProblem(canonical);
  if (tooNewOrOld) return { fields: [problemToField(tooNewOrOld, locale)] };
  const parsed = configSchema.safeParse(canonical);
  const problems = parsed.success ? crossFieldProblems(parsed.data) : zodIssuesToProblems(parsed.error, canonical);
  const fields = problems.map((p) => problemToField(p, locale));
  return fields.length === 0 && parsed.success ? { config: parsed.data, fields } : { fields };
}

/** Parses a config.json value or throws CofreError('config.invalid', { fields }). */
export function parseConfig(json: unknown, locale: Locale = getLocale(), options: ValidateOptions = {}): Config {
  const { config, fields } = validateConfig(json, locale, options);
  if (!config) throw invalidConfigError(fields, locale);
  return config;
}

export function invalidConfigError(fields: FieldProblem[], locale: Locale = getLocale()): CofreError {
  return new CofreError('config.invalid', { params: { details: summarizeFields(fields, locale) }, fields, cause: 'invalid-input' });
}

// The descriptors Backrest's cron parser (gitploy-io/cronexpr) accepts; Cofre's scheduler runs them.
const cronDescriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

/** Problem with a cron expression as Backrest writes it (5 fields or a descriptor), or null when it is usable. */
export function cronProblem(expression: string): Problem['key'] | null {
  if (cronDescriptors.has(expression.trim())) return null;
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === '') return 'config.problem.cronFields';
  try {
    CronExpressionParser.parse(expression.trim());
    return null;
  } catch {
    return 'config.problem.cronInvalid';
  }
}

function countDefined(values: unknown[]): number {
  return values.filter((v) => v !== undefined).length;
}

function scheduleProblems(schedule: Schedule | undefined, path: PropertyKey[]): Problem[] {
  if (!schedule) return [];
  const kinds = countDefined([schedule.disabled, schedule.cron, schedule.maxFrequencyDays, schedule.maxFrequencyHours]);
  // No kind at all (e.g. only `clock`) is a schedule that never fires, as in Backrest.
  if (kinds > 1) return [{ path, key: 'config.problem.scheduleOne' }];
  if (schedule.disabled === false) return [{ path: [...path, 'disabled'], key: 'config.problem.disabledFalse' }];
  if (schedule.cron !== undefined) {
    const key = cronProblem(schedule.cron);
    if (key) return [{ path: [...path, 'cron'], key }];
  }
  return [];
}

function hookProblems(hooks: Hook[], path: PropertyKey[]): Problem[] {
  // Unknown `action*` keys from newer Backrest count as actions: they are kept, not judged.
  return hooks.flatMap((hook, i) =>
    Object.keys(hook).filter((k) => k.startsWith('action') && hook[k] !== undefined).length === 1
      ? []
      : [{ path: [...path, i], key: 'config.problem.hookAction' as const }],
  );
}

function duplicateProblems(items: Array<{ id: string }>, listName: string): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  items.forEach((item, i) => {
    if (seen.has(item.id)) problems.push({ path: [listName, i, 'id'], key: 'config.problem.duplicateId', params: { id: item.id } });
    seen.add(item.id);
  });
  return problems;
}

/** Backrest reserves ids starting with `_x_` for itself (validationutil.ValidateID). */
export function isReservedId(value: string): boolean {
  return value.startsWith('_x_');
}

// Backrest shell-splits each entry, so `--files-from /x` may be one entry or two.
const pathFlag = /^--files-from(-raw|-verbatim)?(=|\s|$)/;

/** True when `backup_flags` name the files to back up (`--files-from…`), so `paths` may be empty. */
export function flagsListFiles(flags: readonly string[]): boolean {
  return flags.some((flag) => pathFlag.test(flag.trim()));
}

function authProblems(config: Config): Problem[] {
  const auth = config.auth;
  if (!auth || auth.disabled === true) return [];
  if (auth.users.length === 0) return [{ path: ['auth', 'users'], key: 'config.problem.authNoUsers' }];
  return auth.users.flatMap((user, i) => (user.passwordBcrypt ? [] : [{ path: ['auth', 'users', i, 'passwordBcrypt'], key: 'config.problem.authNoHash' as const }]));
}

function retentionProblems(retention: Config['plans'][number]['retention'], path: PropertyKey[]): Problem[] {
  if (!retention) return [];
  const kinds = countDefined([retention.policyKeepLastN, retention.policyTimeBucketed, retention.policyKeepAll]);
  if (kinds === 0) return [{ path, key: 'config.problem.retentionNone' }];
  if (kinds > 1) return [{ path, key: 'config.problem.retentionOne' }];
  const buckets = retention.policyTimeBucketed;
  if (buckets && [buckets.hourly, buckets.daily, buckets.weekly, buckets.monthly, buckets.yearly, buckets.keepLastN].every((n) => !n)) {
    return [{ path: [...path, 'policyTimeBucketed'], key: 'config.problem.bucketsEmpty' }];
  }
  return [];
}

function crossFieldProblems(config: Config): Problem[] {
  const problems: Problem[] = [...duplicateProblems(config.repos, 'repos'), ...duplicateProblems(config.plans, 'plans')];
  const repoIds = new Set(config.repos.map((r) => r.id));
  if (isReservedId(config.instance)) problems.push({ path: ['instance'], key: 'config.problem.reservedId' });
  problems.push(...authProblems(config));

  config.repos.forEach((repo, i) => {
    const base = ['repos', i];
    if (isReservedId(repo.id)) problems.push({ path: [...base, 'id'], key: 'config.problem.reservedId' });
    if (repo.guid && repo.autoInitialize) problems.push({ path: [...base, 'autoInitialize'], key: 'config.problem.guidWithAutoInit' });
    if (!repo.guid && !repo.autoInitialize) problems.push({ path: [...base, 'guid'], key: 'config.problem.guidOrAutoInit' });
    const uri = checkRepoUri(repo.uri);
    if (uri) problems.push({ path: [...base, 'uri'], key: uri.key, ...(uri.params ? { params: uri.params } : {}) });
    if (repo.prunePolicy) {
      problems.push(...scheduleProblems(repo.prunePolicy.schedule, [...base, 'prunePolicy', 'schedule']));
      // Not a oneof in config.proto: Backrest writes both (one of them 0); only two limits conflict.
      if ([repo.prunePolicy.maxUnusedBytes, repo.prunePolicy.maxUnusedPercent].filter((v) => v !== undefined && Number(v) !== 0).length > 1) {
        problems.push({ path: [...base, 'prunePolicy'], key: 'config.problem.pruneOne' });
      }
    }
    if (repo.checkPolicy) {
      problems.push(...scheduleProblems(repo.checkPolicy.schedule, [...base, 'checkPolicy', 'schedule']));
      if (countDefined([repo.checkPolicy.structureOnly, repo.checkPolicy.readDataSubsetPercent]) > 1) {
        problems.push({ path: [...base, 'checkPolicy'], key: 'config.problem.checkOne' });
      }
    }
    problems.push(...hookProblems(repo.hooks, [...base, 'hooks']));
  });

  config.plans.forEach((plan, i) => {
    const base = ['plans', i];
    if (isReservedId(plan.id)) problems.push({ path: [...base, 'id'], key: 'config.problem.reservedId' });
    if (!repoIds.has(plan.repo)) problems.push({ path: [...base, 'repo'], key: 'config.problem.unknownRepo', params: { repo: plan.repo } });
    // No paths at all is not refused: Backrest's validate.go loads such a plan (an empty entry is
    // refused, by the schema). diagnostics.ts says that every run of it will fail.
    problems.push(...scheduleProblems(plan.schedule, [...base, 'schedule']));
    problems.push(...retentionProblems(plan.retention, [...base, 'retention']));
    problems.push(...hookProblems(plan.hooks, [...base, 'hooks']));
  });
  return problems;
}
