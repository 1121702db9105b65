// Diagnostics a technician can act on: things in a config that load fine but will not do what
// was meant. Pure functions of (config, process environment, locale); shown by `config
// validate`, at import, by "Test connection" and under the repository editor.
// Sources: restic's documented environment variables (doc/040_backup.rst), the Prefeitura's
// client guide (REST_RESTIC_USERNAME / REST_RESTIC_PASSWORD, names restic never reads), Backrest
// migration 005 / issue 1139 (RESTIC_PASSWORD* in the process environment).
import { t, type Locale, type MessageKey, type MessageParams } from '../i18n/index.js';
import { expandBackrestEnv, referencedVariables, splitShellWords } from '../restic/backrest-words.js';
import type { Config, Plan, Repo } from './backrest-schema.js';
import { splitRestCredentials } from './repo-uri.js';
import { flagsListFiles } from './validate.js';
import { hasOpenFileProtection, openFileProtectionAvailable } from '../service/open-file-protection.js';

export type DiagnosticCode =
  | 'env-not-read'
  | 'env-unknown-restic'
  | 'credentials-twice'
  | 'process-password'
  | 'process-env-ignored'
  | 'uri-variable-missing'
  | 'flag-unparsable'
  | 'plan-no-paths'
  | 'open-files-unavailable';

export interface Diagnostic {
  code: DiagnosticCode;
  /** 'error': every run of this repository/plan will fail; 'warning': it runs, not as meant. */
  severity: 'warning' | 'error';
  repoId?: string;
  planId?: string;
  /** The config field concerned (`repos[fin].env`, `plans[docs].backup_flags[0]`). */
  field?: string;
  message: string;
  action: string;
}

/** Every environment variable restic reads that starts with RESTIC_ (restic 0.14 .. 0.19). */
export const resticEnvNames: readonly string[] = [
  'RESTIC_REPOSITORY', 'RESTIC_REPOSITORY_FILE', 'RESTIC_PASSWORD', 'RESTIC_PASSWORD_FILE', 'RESTIC_PASSWORD_COMMAND',
  'RESTIC_KEY_HINT', 'RESTIC_CACERT', 'RESTIC_TLS_CLIENT_CERT', 'RESTIC_CACHE_DIR', 'RESTIC_COMPRESSION', 'RESTIC_HOST',
  'RESTIC_PROGRESS_FPS', 'RESTIC_PACK_SIZE', 'RESTIC_READ_CONCURRENCY', 'RESTIC_FEATURES', 'RESTIC_REST_USERNAME',
  'RESTIC_REST_PASSWORD', 'RESTIC_AWS_ASSUME_ROLE_ARN', 'RESTIC_AWS_ASSUME_ROLE_SESSION_NAME', 'RESTIC_AWS_ASSUME_ROLE_EXTERNAL_ID',
  'RESTIC_AWS_ASSUME_ROLE_POLICY', 'RESTIC_AWS_ASSUME_ROLE_REGION', 'RESTIC_AWS_ASSUME_ROLE_STS_ENDPOINT', 'RESTIC_DEBUG_LOG',
];

const processPasswordNames = ['RESTIC_PASSWORD', 'RESTIC_PASSWORD_FILE', 'RESTIC_PASSWORD_COMMAND'] as const;
/** Set for every program, these would matter to restic; Cofre hands restic only the repository's own. */
const processNamesCofreIgnores = ['RESTIC_REST_USERNAME', 'RESTIC_REST_PASSWORD', 'RESTIC_CACERT', 'RESTIC_REPOSITORY'] as const;

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

const sortedWords = (name: string): string => name.split('_').filter(Boolean).sort().join('_');

/**
 * The restic name an environment variable was probably meant to be, when restic does not read
 * it as written: the same words in another order (REST_RESTIC_USERNAME), a typo, a missing
 * ending (RESTIC_REST_USER) or another case. undefined when the name is fine or unrelated.
 */
export function suggestResticEnvName(name: string): string | undefined {
  if (resticEnvNames.includes(name)) return undefined;
  const upper = name.toUpperCase();
  if (!upper.includes('RESTIC')) return undefined;
  const exact = resticEnvNames.find((known) => known === upper);
  if (exact) return exact;
  const reordered = resticEnvNames.find((known) => sortedWords(known) === sortedWords(upper));
  if (reordered) return reordered;
  let best: { name: string; distance: number } | undefined;
  for (const known of resticEnvNames) {
    const distance = editDistance(upper, known);
    if (!best || distance < best.distance) best = { name: known, distance };
  }
  if (best && best.distance <= 2) return best.name;
  const extended = resticEnvNames.find((known) => known.startsWith(upper) && known.length - upper.length <= 4 && upper.length >= 10);
  return extended;
}

function envNames(entries: readonly string[] | undefined): string[] {
  return (entries ?? []).map((e) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e)).filter(Boolean);
}

function make(
  locale: Locale | undefined,
  code: DiagnosticCode,
  severity: Diagnostic['severity'],
  key: string,
  params: MessageParams,
  where: { repoId?: string; planId?: string; field?: string },
): Diagnostic {
  return {
    code,
    severity,
    ...where,
    message: t(key as MessageKey, params, locale),
    action: t(`${key}.action` as MessageKey, params, locale),
  };
}

function flagProblems(entries: readonly string[] | undefined, field: string, locale: Locale | undefined, where: { repoId?: string; planId?: string }, expand?: NodeJS.ProcessEnv): Diagnostic[] {
  const out: Diagnostic[] = [];
  (entries ?? []).forEach((entry, index) => {
    const split = splitShellWords(expand ? expandBackrestEnv(entry, expand) : entry);
    if (!split.ok) out.push(make(locale, 'flag-unparsable', 'error', 'diag.flagUnparsable', { field: `${field}[${index}]` }, { ...where, field: `${field}[${index}]` }));
  });
  return out;
}

/** What is wrong with one repository as written (env names, credentials, `${VAR}`, flags). */
export function diagnoseRepo(repo: Repo, processEnv: NodeJS.ProcessEnv = process.env, locale?: Locale): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = { repoId: repo.id };
  const names = envNames(repo.env);
  for (const name of names) {
    const suggestion = suggestResticEnvName(name);
    if (suggestion) {
      out.push(make(locale, 'env-not-read', 'warning', 'diag.envNotRead', { name, repo: repo.id, suggestion }, { ...where, field: `repos[${repo.id}].env` }));
    } else if (/^RESTIC_/i.test(name) && !resticEnvNames.includes(name)) {
      out.push(make(locale, 'env-unknown-restic', 'warning', 'diag.envUnknownRestic', { name, repo: repo.id }, { ...where, field: `repos[${repo.id}].env` }));
    }
  }
  const uriParts = splitRestCredentials(repo.uri ?? '');
  if ((uriParts.username !== undefined || uriParts.password !== undefined) && names.some((n) => n === 'RESTIC_REST_USERNAME' || n === 'RESTIC_REST_PASSWORD')) {
    out.push(make(locale, 'credentials-twice', 'warning', 'diag.credentialsTwice', { repo: repo.id }, { ...where, field: `repos[${repo.id}].uri` }));
  }
  const missing = referencedVariables(repo.uri ?? '').filter((name) => !processEnv[name]);
  if (missing.length > 0) {
    out.push(make(locale, 'uri-variable-missing', 'error', 'diag.uriVariableMissing', { repo: repo.id, variable: missing.join(', ') }, { ...where, field: `repos[${repo.id}].uri` }));
  }
  out.push(...flagProblems(repo.flags, `repos[${repo.id}].flags`, locale, where, processEnv));
  return out;
}

function diagnosePlan(plan: Plan, locale: Locale | undefined, platform: NodeJS.Platform = process.platform): Diagnostic[] {
  const out = flagProblems(plan.backup_flags, `plans[${plan.id}].backup_flags`, locale, { planId: plan.id, repoId: plan.repo });
  // Backrest loads a plan without paths; restic then refuses every backup ("nothing to backup").
  if (plan.paths.length === 0 && !flagsListFiles(plan.backup_flags)) {
    out.push(make(locale, 'plan-no-paths', 'error', 'diag.planNoPaths', { plan: plan.id }, { planId: plan.id, repoId: plan.repo, field: `plans[${plan.id}].paths` }));
  }
  // Issue 13: open-file protection is restic --use-fs-snapshot, Windows only (left out elsewhere).
  if (hasOpenFileProtection(plan.backup_flags) && !openFileProtectionAvailable(platform)) {
    out.push(make(locale, 'open-files-unavailable', 'warning', 'service.openFiles.unavailable', { plan: plan.id }, { planId: plan.id, repoId: plan.repo, field: `plans[${plan.id}].backup_flags` }));
  }
  return out;
}

/** Environment set for every program on this computer that changes what restic (or Backrest) does. */
function diagnoseProcessEnv(config: Config, processEnv: NodeJS.ProcessEnv, locale: Locale | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const withPassword = config.repos.filter((r) => typeof r.password === 'string' && r.password !== '');
  for (const name of processPasswordNames) {
    if (!processEnv[name] || withPassword.length === 0) continue;
    out.push(make(locale, 'process-password', 'warning', 'diag.processPassword', { name, repo: withPassword.map((r) => r.id).join(', ') }, { field: 'environment' }));
  }
  for (const name of processNamesCofreIgnores) {
    if (processEnv[name]) out.push(make(locale, 'process-env-ignored', 'warning', 'diag.processEnvIgnored', { name }, { field: 'environment' }));
  }
  for (const name of Object.keys(processEnv)) {
    if (processEnv[name] === undefined || resticEnvNames.includes(name)) continue;
    const suggestion = suggestResticEnvName(name);
    if (suggestion) out.push(make(locale, 'env-not-read', 'warning', 'diag.processEnvNotRead', { name, suggestion }, { field: 'environment' }));
  }
  return out;
}

/**
 * Every diagnostic of a config. Repos should carry their secrets (password, secret env names) as
 * Backrest holds them, so a REST_RESTIC_PASSWORD moved to the secret store is still seen.
 */
export function diagnoseConfig(config: Config, processEnv: NodeJS.ProcessEnv = process.env, locale?: Locale): Diagnostic[] {
  return [
    ...config.repos.flatMap((repo) => diagnoseRepo(repo, processEnv, locale)),
    ...config.plans.flatMap((plan) => diagnosePlan(plan, locale)),
    ...diagnoseProcessEnv(config, processEnv, locale),
  ];
}
