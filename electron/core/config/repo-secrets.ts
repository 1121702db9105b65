// How secrets leave config.json and come back.
//
// Convention (documented for IT and for anyone reading config.json):
// - `repo.password` is never written: it lives in the secret store under repoPasswordKey(repo.id).
// - An env entry whose NAME contains PASSWORD, SECRET, TOKEN or KEY (RESTIC_REST_PASSWORD,
//   AWS_SECRET_ACCESS_KEY, B2_ACCOUNT_KEY, ...; not `*_FILE`, a path) is removed from `repo.env` entirely and its value
//   stored under repoEnvKey(repo.id, NAME). No placeholder stays behind: Backrest would expand a
//   `${...}` placeholder itself, and an empty `NAME=` would override the real value.
//   Exception: a value that is only a reference to the process environment (`${VAR}`) holds no
//   secret and stays in config.json as written.
// - Credentials inside a REST URI (`rest:https://user:pass@host/repo`) are split out: the URI keeps
//   no user-info, the user name becomes the plain env entry RESTIC_REST_USERNAME=user and the
//   password the secret RESTIC_REST_PASSWORD, which is how restic (>= 0.16.1) and Backrest read them.
// - Hook credentials and the multihost private key / pairing secrets: see extra-secrets.ts.
// Resolving (for restic) and exporting with secrets re-add what was removed.
import type { RepoSecretsState } from '../api.js';
import { CofreError } from '../errors.js';
import { t } from '../i18n/index.js';
import { expandBackrestEnv, expandRepoUri, repoFlagArgs } from '../restic/backrest-words.js';
import type { RepoTarget } from '../restic/types.js';
import { repoEnvKey, repoPasswordKey, repoSecretEnvNames, type SecretStore } from '../secrets/secret-store.js';
import type { Config, Repo } from './backrest-schema.js';
import { hasExtraSecrets, redactExtraSecrets, splitExtraSecrets } from './extra-secrets.js';
import { checkRepoUri, splitRestCredentials } from './repo-uri.js';

const secretNamePattern = /PASSWORD|SECRET|TOKEN|KEY/i;
const pureReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

// `*_FILE` names a file that holds the secret (RESTIC_PASSWORD_FILE, AWS_SHARED_CREDENTIALS_FILE):
// the path is no secret, and a plain export without it would leave the repo with no password at all.
const pathToSecret = /_FILE$/i;

export function isSecretEnvName(name: string): boolean {
  return secretNamePattern.test(name) && !pathToSecret.test(name);
}

export function splitEnvEntry(entry: string): { name: string; value: string } {
  const eq = entry.indexOf('=');
  return eq < 0 ? { name: entry, value: '' } : { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
}

function isSecretEntry(name: string, value: string): boolean {
  return isSecretEnvName(name) && value !== '' && !pureReference.test(value);
}

/** Pure: the repo as config.json may hold it, plus the secret-store entries taken out of it. */
export function splitRepoSecrets(repo: Repo): { repo: Repo; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const { password, ...rest } = repo;
  const clean: Repo = { ...rest, env: [...(repo.env ?? [])] };
  if (typeof password === 'string' && password !== '') secrets[repoPasswordKey(repo.id)] = password;

  const kept: string[] = [];
  for (const entry of clean.env) {
    const { name, value } = splitEnvEntry(entry);
    if (isSecretEntry(name, value)) secrets[repoEnvKey(repo.id, name)] = value;
    else kept.push(entry);
  }
  clean.env = kept;

  const parts = splitRestCredentials(repo.uri);
  if (parts.password !== undefined) {
    clean.uri = parts.uri;
    secrets[repoEnvKey(repo.id, 'RESTIC_REST_PASSWORD')] = parts.password;
    clean.env = clean.env.filter((e) => splitEnvEntry(e).name !== 'RESTIC_REST_USERNAME' && splitEnvEntry(e).name !== 'RESTIC_REST_PASSWORD');
    if (parts.username !== undefined) clean.env.push(`RESTIC_REST_USERNAME=${parts.username}`);
  }
  return { repo: clean, secrets };
}

/**
 * Moves every secret of the config into the store (repository passwords, secret env entries, URI
 * credentials, hook credentials, the multihost private key and pairing secrets); returns the clean
 * config and how many values moved.
 */
export async function moveSecretsOut(config: Config, secrets: SecretStore): Promise<{ config: Config; moved: number }> {
  let moved = 0;
  const repos: Repo[] = [];
  for (const repo of config.repos) {
    const split = splitRepoSecrets(repo);
    for (const [key, value] of Object.entries(split.secrets)) {
      await secrets.set(key, value);
      moved += 1;
    }
    repos.push(split.repo);
  }
  const extra = splitExtraSecrets({ ...config, repos });
  for (const [key, value] of Object.entries(extra.secrets)) {
    await secrets.set(key, value);
    moved += 1;
  }
  return { config: extra.config, moved };
}

export function configHasSecrets(config: Config): boolean {
  return config.repos.some((repo) => Object.keys(splitRepoSecrets(repo).secrets).length > 0) || hasExtraSecrets(config);
}

/** The repo with its stored secrets written back in Backrest's own fields (for export). */
export async function withSecretsRestored(repo: Repo, secrets: SecretStore): Promise<Repo> {
  const password = repo.password || (await secrets.get(repoPasswordKey(repo.id)));
  const env = [...(repo.env ?? [])];
  const present = new Set(env.map((e) => splitEnvEntry(e).name));
  for (const name of await repoSecretEnvNames(secrets, repo.id)) {
    const value = await secrets.get(repoEnvKey(repo.id, name));
    if (value !== undefined && !present.has(name)) env.push(`${name}=${value}`);
  }
  return { ...repo, ...(password ? { password } : {}), env };
}

/** `${VAR}` references expanded from the process environment; unknown variables become empty, as in Backrest. */
export function expandEnvReferences(value: string, processEnv: NodeJS.ProcessEnv = process.env): string {
  return expandBackrestEnv(value, processEnv);
}

export interface ResolvedRepoSecrets {
  /** The URI without user-info; credentials found in it are in restUsername/restPassword. */
  uri: string;
  password: string;
  /** Remaining env for restic (expanded), without the entries mapped to the fields below. */
  env: Record<string, string>;
  restUsername?: string;
  restPassword?: string;
  caCertFile?: string;
}

/**
 * Everything restic needs to open the repository. A password present on the repo itself (a
 * policy-managed repo, or a draft being tested) wins over the secret store.
 */
export async function resolveRepoSecrets(repo: Repo, secrets: SecretStore, processEnv: NodeJS.ProcessEnv = process.env): Promise<ResolvedRepoSecrets> {
  const full = await withSecretsRestored(repo, secrets);
  const env: Record<string, string> = {};
  for (const entry of full.env ?? []) {
    const { name, value } = splitEnvEntry(entry);
    env[name] = expandEnvReferences(value, processEnv);
  }
  const take = (name: string): string | undefined => {
    const value = env[name];
    delete env[name];
    return value === '' ? undefined : value;
  };
  const expanded = expandRepoUri(repo, processEnv);
  // A uri that was only a reference is judged now, as any other uri was when the config was loaded.
  const problem = expanded === repo.uri ? null : checkRepoUri(expanded);
  if (problem) throw new CofreError('config.expandedUriInvalid', { params: { repo: repo.id, problem: t(problem.key, problem.params) }, cause: 'invalid-input' });
  const parts = splitRestCredentials(expanded);
  const envUser = take('RESTIC_REST_USERNAME');
  const envPass = take('RESTIC_REST_PASSWORD');
  const restUsername = parts.username ?? envUser;
  const restPassword = parts.password ?? envPass;
  const caCertFile = take('RESTIC_CACERT');
  const envPassword = take('RESTIC_PASSWORD');
  const password = full.password || envPassword;
  if (!password) throw new CofreError('secrets.missingPassword', { params: { repo: repo.id }, cause: 'wrong-password' });
  return {
    uri: parts.uri,
    password,
    env,
    ...(restUsername ? { restUsername } : {}),
    ...(restPassword ? { restPassword } : {}),
    ...(caCertFile ? { caCertFile } : {}),
  };
}

/** The engine's view of a repository, secrets resolved. */
export async function toRepoTarget(repo: Repo, secrets: SecretStore, processEnv: NodeJS.ProcessEnv = process.env): Promise<RepoTarget> {
  const resolved = await resolveRepoSecrets(repo, secrets, processEnv);
  return { id: repo.id, flags: repoFlagArgs(repo, processEnv), ...resolved };
}

/** What the settings screen may know about a repository's secrets: presence, never values. */
export async function describeRepoSecrets(repo: Repo, secrets: SecretStore): Promise<RepoSecretsState> {
  const full = await withSecretsRestored(repo, secrets);
  const env = new Map((full.env ?? []).map((e) => [splitEnvEntry(e).name, splitEnvEntry(e).value] as const));
  const parts = splitRestCredentials(repo.uri);
  return {
    password: Boolean(full.password),
    restUsername: parts.username ?? (env.get('RESTIC_REST_USERNAME') || null),
    restPassword: Boolean(parts.password ?? env.get('RESTIC_REST_PASSWORD')),
  };
}

/** The config without any secret value, for faces that display it (policy-managed passwords included). */
export function redactConfig(config: Config): Config {
  return redactExtraSecrets({ ...config, repos: config.repos.map((repo) => splitRepoSecrets(repo).repo) });
}
