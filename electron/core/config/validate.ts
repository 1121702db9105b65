// parseConfig: the one gate every config.json passes (load, import, set from a face). First the
// zod schema (types, enums, formats), then the rules Backrest enforces across fields. Problems
// name the JSON path and are worded in the requested locale.
import { CronExpressionParser } from 'cron-parser';
import { CofreError, type FieldProblem } from '../errors.js';
import { getLocale, type Locale } from '../i18n/index.js';
import { configSchema, type Config, type Hook, type Schedule } from './backrest-schema.js';
import { problemToField, summarizeFields, zodIssuesToProblems, type Problem } from './field-problems.js';
import { checkRepoUri } from './repo-uri.js';

export type { Config };

export interface ValidationResult {
  config?: Config;
  fields: FieldProblem[];
}

/** Validates without throwing; `config` is set only when there is no problem. */
export function validateConfig(json: unknown, locale: Locale = getLocale()): ValidationResult {
  const parsed = configSchema.safeParse(json);
  const problems = parsed.success ? crossFieldProblems(parsed.data) : zodIssuesToProblems(parsed.error, json);
  const fields = problems.map((p) => problemToField(p, locale));
  return fields.length === 0 && parsed.success ? { config: parsed.data, fields } : { fields };
}

/** Parses a config.json value or throws CofreError('config.invalid', { fields }). */
export function parseConfig(json: unknown, locale: Locale = getLocale()): Config {
  const { config, fields } = validateConfig(json, locale);
  if (!config) throw invalidConfigError(fields, locale);
  return config;
}

export function invalidConfigError(fields: FieldProblem[], locale: Locale = getLocale()): CofreError {
  return new CofreError('config.invalid', { params: { details: summarizeFields(fields, locale) }, fields, cause: 'invalid-input' });
}

/** Problem with a cron expression as Backrest writes it (5 fields), or null when it is usable. */
export function cronProblem(expression: string): Problem['key'] | null {
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
  if (kinds !== 1) return [{ path, key: 'config.problem.scheduleOne' }];
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

function crossFieldProblems(config: Config): Problem[] {
  const problems: Problem[] = [...duplicateProblems(config.repos, 'repos'), ...duplicateProblems(config.plans, 'plans')];
  const repoIds = new Set(config.repos.map((r) => r.id));

  config.repos.forEach((repo, i) => {
    const base = ['repos', i];
    const uri = checkRepoUri(repo.uri);
    if (uri) problems.push({ path: [...base, 'uri'], key: uri.key, ...(uri.params ? { params: uri.params } : {}) });
    if (repo.prunePolicy) {
      problems.push(...scheduleProblems(repo.prunePolicy.schedule, [...base, 'prunePolicy', 'schedule']));
      if (countDefined([repo.prunePolicy.maxUnusedBytes, repo.prunePolicy.maxUnusedPercent]) > 1) {
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
    if (!repoIds.has(plan.repo)) problems.push({ path: [...base, 'repo'], key: 'config.problem.unknownRepo', params: { repo: plan.repo } });
    if (plan.paths.length === 0) problems.push({ path: [...base, 'paths'], key: 'config.problem.pathsRequired' });
    problems.push(...scheduleProblems(plan.schedule, [...base, 'schedule']));
    const retention = plan.retention;
    if (retention && countDefined([retention.policyKeepLastN, retention.policyTimeBucketed, retention.policyKeepAll]) > 1) {
      problems.push({ path: [...base, 'retention'], key: 'config.problem.retentionOne' });
    }
    problems.push(...hookProblems(plan.hooks, [...base, 'hooks']));
  });
  return problems;
}
