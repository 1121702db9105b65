// Reads the machine policy. Never throws: a missing file means "no policy", a broken one yields
// the restrictive defaults plus a translated problem the faces show to the user and to IT.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CofreError, type ErrorPayload, type FieldProblem } from '../errors.js';
import { problemToField, summarizeFields, zodIssuesToProblems, type Problem } from '../config/field-problems.js';
import { validateConfig } from '../config/validate.js';
import { getLocale, type Locale } from '../i18n/index.js';
import { defaultPolicy, policySchema, restrictivePolicy, type Policy } from './schema.js';

export interface PolicyLoadResult {
  policy: Policy;
  /** 'none': no file; 'file': loaded; 'invalid': file present but unusable (restrictive defaults). */
  source: 'none' | 'file' | 'invalid';
  path: string;
  problem?: ErrorPayload;
}

/** `%ProgramData%\Cofre\policy.json` on Windows, `/etc/cofre/policy.json` elsewhere. */
export function defaultPolicyPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Cofre', 'policy.json');
  return '/etc/cofre/policy.json';
}

/** Explicit path (--policy) > COFRE_POLICY > platform default. */
export function resolvePolicyPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.COFRE_POLICY || defaultPolicyPath(process.platform, env);
}

export interface PolicyValidation {
  policy?: Policy;
  fields: FieldProblem[];
}

/** Schema plus the config rules for managed repos/plans (URIs, cron, plans naming managed repos). */
export function validatePolicy(json: unknown, locale: Locale = getLocale()): PolicyValidation {
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) return { fields: zodIssuesToProblems(parsed.error, json).map((p: Problem) => problemToField(p, locale)) };
  const policy = parsed.data;
  const managed = validateConfig({ version: 6, instance: 'policy', repos: policy.managed.repos, plans: policy.managed.plans }, locale);
  const fields = managed.fields.map((f) => ({ ...f, path: `managed.${f.path}` }));
  return fields.length ? { fields } : { policy, fields };
}

export async function loadPolicy(policyPath?: string, locale: Locale = getLocale()): Promise<PolicyLoadResult> {
  const file = resolvePolicyPath(policyPath);
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { policy: defaultPolicy(), source: 'none', path: file };
    return invalid(file, new CofreError('policy.unreadable', { params: { file }, detail: (error as Error).message }), locale);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    return invalid(file, new CofreError('policy.notJson', { params: { file }, detail: (error as Error).message }), locale);
  }
  const { policy, fields } = validatePolicy(json, locale);
  if (!policy) {
    return invalid(file, new CofreError('policy.invalid', { params: { file, details: summarizeFields(fields, locale) }, fields, cause: 'invalid-input' }), locale);
  }
  return { policy, source: 'file', path: file };
}

function invalid(file: string, error: CofreError, locale: Locale): PolicyLoadResult {
  return { policy: restrictivePolicy(), source: 'invalid', path: file, problem: error.toPayload(locale) };
}
