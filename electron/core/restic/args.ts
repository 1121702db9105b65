// restic arguments and environment as pure functions of (repository, request, capabilities), so
// every choice is unit tested without a process. Secrets go only into the environment, never argv
// (argv is visible to every user of the machine through the process list).
import type { Retention } from '../config/backrest-schema.js';
import { flagEntriesToArgs } from './backrest-words.js';
import type { BackupRequest, Capabilities, RepoTarget, RetentionFlags } from './types.js';

export interface Invocation {
  args: string[];
  env: Record<string, string>;
  /** Every value to hide from logs, errors and events. */
  secrets: string[];
}

/** restic draws progress this many times per second; a UI needs no more, and fewer lines cost less. */
export const PROGRESS_FPS = '2';

/** `rest:https://host/x` + credentials -> `rest:https://user:pass@host/x` (URL-encoded). */
export function withRestCredentials(uri: string, username: string, password: string | undefined): string {
  const match = /^rest:(https?:\/\/)([^/]*)(.*)$/i.exec(uri);
  if (!match) return uri;
  const [, scheme, authority = '', rest = ''] = match;
  if (authority.includes('@')) return uri; // the URI already carries credentials: they win, as in restic
  const userInfo = `${encodeURIComponent(username)}${password !== undefined ? `:${encodeURIComponent(password)}` : ''}`;
  return `rest:${scheme}${userInfo}@${authority}${rest}`;
}

export function buildInvocation(
  repo: RepoTarget,
  caps: Capabilities,
  command: string[],
  opts: { cacheDir?: string; baseEnv?: NodeJS.ProcessEnv } = {},
): Invocation {
  const env: Record<string, string> = {};
  // The parent's RESTIC_* settings (a developer's own repository, a password file) must not mix
  // with the repository Cofre chose.
  for (const [key, value] of Object.entries(opts.baseEnv ?? process.env)) {
    if (value !== undefined && !key.startsWith('RESTIC_')) env[key] = value;
  }
  const secrets: string[] = [repo.password];

  let uri = repo.uri;
  const isRest = /^rest:/i.test(uri);
  if (isRest && repo.restUsername) {
    if (caps.restCredentialsEnv) {
      env.RESTIC_REST_USERNAME = repo.restUsername;
      if (repo.restPassword !== undefined) env.RESTIC_REST_PASSWORD = repo.restPassword;
    } else {
      uri = withRestCredentials(uri, repo.restUsername, repo.restPassword);
    }
  }
  if (repo.restPassword) secrets.push(repo.restPassword);
  // Credentials inside the URI itself are secrets too (the redactor also masks URL user-info).
  const userInfo = /^rest:https?:\/\/([^/@]*)@/i.exec(repo.uri)?.[1];
  if (userInfo) {
    const pass = userInfo.split(':').slice(1).join(':');
    if (pass) secrets.push(pass, safeDecode(pass));
  }

  env.RESTIC_REPOSITORY = uri;
  env.RESTIC_PASSWORD = repo.password;
  if (opts.cacheDir) env.RESTIC_CACHE_DIR = opts.cacheDir;
  if (command[0] === 'backup' || command[0] === 'restore') env.RESTIC_PROGRESS_FPS = PROGRESS_FPS;
  for (const [key, value] of Object.entries(repo.env)) {
    env[key] = value;
    secrets.push(value);
  }

  const globalFlags: string[] = [];
  if (repo.caCertFile) globalFlags.push('--cacert', repo.caCertFile);
  globalFlags.push(...repo.flags);
  return { args: [...globalFlags, ...command], env, secrets: [...new Set(secrets.filter((s) => s.length > 0))] };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Positional paths after `--` when one looks like a flag (a folder named `-x` must not become an option). */
export function positional(paths: string[]): string[] {
  return paths.some((p) => p.startsWith('-')) ? ['--', ...paths] : paths;
}

export function planTags(planId: string, instance: string): string[] {
  return [`plan:${planId}`, `created-by:${instance}`];
}

export function backupArgs(req: BackupRequest, caps: Capabilities): string[] {
  const args = ['backup', '--json', '--exclude-caches'];
  for (const tag of [...planTags(req.planId, req.instance), ...(req.extraTags ?? [])]) args.push('--tag', tag);
  for (const pattern of req.excludes ?? []) args.push(`--exclude=${pattern}`);
  for (const pattern of req.iexcludes ?? []) args.push(`--iexclude=${pattern}`);
  if (req.host) args.push(`--host=${req.host}`);
  if (req.skipIfUnchanged && caps.skipIfUnchanged) args.push('--skip-if-unchanged');
  // Backrest shell-splits each entry ("--exclude *.csv" is two arguments) and does not expand
  // `${VAR}` in them.
  args.push(...flagEntriesToArgs(req.extraFlags ?? [], `plans[${req.planId}].backup_flags`));
  // No paths is fine when the sources come from --files-from: restic then gets no positional path.
  args.push(...positional(req.paths));
  return args;
}

/** Backrest retention -> restic keep flags; 'keep-all' when nothing would be forgotten. */
export function retentionToFlags(r: Retention | undefined): RetentionFlags | 'keep-all' {
  if (!r || r.policyKeepAll) return 'keep-all';
  const flags: RetentionFlags = {};
  const set = (key: keyof RetentionFlags, value: number | undefined): void => {
    if (value !== undefined && value > 0) flags[key] = value;
  };
  if (r.policyKeepLastN !== undefined) {
    set('keepLast', r.policyKeepLastN);
  } else if (r.policyTimeBucketed) {
    const b = r.policyTimeBucketed;
    set('keepLast', b.keepLastN);
    set('keepHourly', b.hourly);
    set('keepDaily', b.daily);
    set('keepWeekly', b.weekly);
    set('keepMonthly', b.monthly);
    set('keepYearly', b.yearly);
  }
  return Object.keys(flags).length > 0 ? flags : 'keep-all';
}

export function keepFlagArgs(flags: RetentionFlags): string[] {
  const names: [keyof RetentionFlags, string][] = [
    ['keepLast', '--keep-last'],
    ['keepHourly', '--keep-hourly'],
    ['keepDaily', '--keep-daily'],
    ['keepWeekly', '--keep-weekly'],
    ['keepMonthly', '--keep-monthly'],
    ['keepYearly', '--keep-yearly'],
  ];
  const args: string[] = [];
  for (const [key, flag] of names) {
    const value = flags[key];
    if (value !== undefined && value > 0) args.push(flag, String(Math.floor(value)));
  }
  return args;
}

export function forgetArgs(opts: { planId: string; instance: string; retention: RetentionFlags; dryRun?: boolean }): string[] {
  return [
    'forget',
    '--json',
    '--tag',
    planTags(opts.planId, opts.instance).join(','),
    '--group-by',
    '',
    ...keepFlagArgs(opts.retention),
    ...(opts.dryRun ? ['--dry-run'] : []),
  ];
}
