// Import from / export to Backrest's config.json. Import moves every secret into the SecretStore
// (see repo-secrets.ts for the convention); export writes a file Backrest 1.x accepts, with
// secrets only when the caller explicitly asks for them.
import { exceedsJsonLimits } from '../json-limits.js';
import { CofreError } from '../errors.js';
import { getLocale, type Locale } from '../i18n/index.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { Config } from './backrest-schema.js';
import { moveSecretsOut, splitRepoSecrets, withSecretsRestored } from './repo-secrets.js';
import { serializeConfig } from './store.js';
import { parseConfig } from './validate.js';

export { resolveRepoSecrets, toRepoTarget, describeRepoSecrets, redactConfig, isSecretEnvName } from './repo-secrets.js';
export type { ResolvedRepoSecrets } from './repo-secrets.js';

/**
 * Reads a Backrest config.json text without touching any store: the returned config still holds
 * its secrets (passwords, credentials), so callers can preview, merge or refuse it first.
 * `sourceVersion` is the file's own `version`.
 */
export function parseBackrestFile(raw: string, locale: Locale = getLocale()): { config: Config; sourceVersion: number } {
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CofreError('config.importNotJson', { cause: 'invalid-input', detail: (error as Error).message });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json) || exceedsJsonLimits(json)) throw new CofreError('config.importNotObject', { cause: 'invalid-input' });
  const version = (json as { version?: unknown }).version;
  if (typeof version === 'number' && version !== 6) {
    throw new CofreError('config.unsupportedVersion', { params: { version: String(version) }, cause: 'invalid-input' });
  }
  return { config: parseConfig(json, locale), sourceVersion: typeof version === 'number' ? version : 6 };
}

/** Parses a Backrest config.json text. The returned config holds no secret; save it with ConfigStore.update. */
export async function importBackrest(raw: string, secrets: SecretStore, locale: Locale = getLocale()): Promise<{ config: Config; movedSecrets: number }> {
  // Validate before moving anything, so a rejected file leaves the secret store untouched.
  const { config: parsed } = parseBackrestFile(raw, locale);
  const { config, moved } = await moveSecretsOut(parsed, secrets);
  return { config, movedSecrets: moved };
}

/**
 * A Backrest config.json (version 6, 2-space indent). Pass the user's own config, not one merged
 * with the machine policy, unless IT wants the managed repositories exported too.
 */
export async function exportBackrest(config: Config, secrets: SecretStore, options: { includeSecrets: boolean }): Promise<string> {
  const repos = [];
  for (const repo of config.repos) {
    repos.push(options.includeSecrets ? await withSecretsRestored(repo, secrets) : splitRepoSecrets(repo).repo);
  }
  return serializeConfig({ ...config, version: 6, repos });
}
