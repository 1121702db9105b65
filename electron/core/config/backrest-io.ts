// Import from / export to Backrest's config.json. Import reads versions 4-6 the way Backrest's
// loader does (normalize.ts, migrate.ts) and moves every secret into the SecretStore (see
// repo-secrets.ts and extra-secrets.ts); export writes a file the chosen Backrest release
// accepts, with secrets only when the caller explicitly asks for them.
import { exceedsJsonLimits } from '../json-limits.js';
import { CofreError } from '../errors.js';
import { getLocale, type Locale } from '../i18n/index.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { Config } from './backrest-schema.js';
import { restoreExtraSecrets, stripExtraSecrets } from './extra-secrets.js';
import { summarizeFields } from './field-problems.js';
import { applyMigration006, contentBackrest110Lacks, contentNeedingVersion6, fillMissingGuids, latestBackrestVersion, migrateTo, oldestMigratableVersion, requiredVersion, upgradeOldVersion, type BackrestVersion } from './migrate.js';
import { normalizeBackrestJson, type NormalizeNote } from './normalize.js';
import { moveSecretsOut, splitRepoSecrets, withSecretsRestored } from './repo-secrets.js';
import { serializeConfig } from './store.js';
import { parseConfig, validateConfig } from './validate.js';

export { resolveRepoSecrets, toRepoTarget, describeRepoSecrets, redactConfig, isSecretEnvName } from './repo-secrets.js';
export type { ResolvedRepoSecrets } from './repo-secrets.js';

export interface BackrestFile {
  config: Config;
  /** The version the config keeps (4, 5 or 6): the file's own, or 4 for a file of version 2 or 3. */
  sourceVersion: number;
  /** A version-2 or 3 file: the version it had before Backrest's migrations 003/004 ran on it. */
  upgradedFrom?: number;
  /** What Backrest's loader would have tolerated and Cofre rewrote (null fields, proto names, ...). */
  notes?: NormalizeNote[];
  /** Repositories that had neither guid nor autoInitialize and got migration 004's stand-in guid. */
  filledGuids?: string[];
}

/**
 * Reads a Backrest config.json text without touching any store: the returned config still holds
 * its secrets (passwords, credentials), so callers can preview, merge or refuse it first.
 * `sourceVersion` is the file's own `version`.
 */
export function parseBackrestFile(raw: string, locale: Locale = getLocale()): BackrestFile {
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CofreError('config.importNotJson', { cause: 'invalid-input', detail: (error as Error).message });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json) || exceedsJsonLimits(json)) throw new CofreError('config.importNotObject', { cause: 'invalid-input' });
  const { json: canonical, notes } = normalizeBackrestJson(json);
  const version = (canonical as { version?: unknown }).version;
  if (typeof version === 'number' && version > latestBackrestVersion) {
    throw new CofreError('config.unsupportedVersion', { params: { version: String(version) }, cause: 'invalid-input' });
  }
  // Backrest itself refuses these ("too old to migrate"): the way out is an old Backrest, not Cofre.
  if (typeof version === 'number' && version < oldestMigratableVersion) {
    throw new CofreError('config.versionTooOld', { params: { version: String(version) }, cause: 'invalid-input' });
  }
  const upgradedFrom = upgradeOldVersion(canonical);
  const filledGuids = fillMissingGuids(canonical);
  const config = parseConfig(canonical, locale);
  return {
    config,
    sourceVersion: config.version,
    ...(upgradedFrom !== null ? { upgradedFrom } : {}),
    ...(notes.length ? { notes } : {}),
    ...(filledGuids.length ? { filledGuids } : {}),
  };
}

/** Parses a Backrest config.json text. The returned config holds no secret; save it with ConfigStore.update. */
export async function importBackrest(raw: string, secrets: SecretStore, locale: Locale = getLocale()): Promise<{ config: Config; movedSecrets: number }> {
  // Validate before moving anything, so a rejected file leaves the secret store untouched.
  const { config: parsed } = parseBackrestFile(raw, locale);
  const { config, moved } = await moveSecretsOut(parsed, secrets);
  return { config, movedSecrets: moved };
}

/** Which Backrest the exported file is for: 1.9-1.12 read version 4, 1.13-1.14 version 6. */
export type BackrestTarget = '1.10' | '1.13' | 'current';
export const backrestTargets: readonly BackrestTarget[] = ['1.10', '1.13', 'current'];

const targetVersions: Record<BackrestTarget, BackrestVersion> = { '1.10': 4, '1.13': 6, current: 6 };

export interface ExportOptions {
  includeSecrets: boolean;
  /** Default: the config's own version (raised to 6 only when its content needs 6). */
  target?: BackrestTarget;
  locale?: Locale;
}

/** The version an export writes for `target`, or for the config itself when no target is given. */
export function exportVersion(config: Config, target?: BackrestTarget): BackrestVersion {
  return target ? targetVersions[target] : requiredVersion(config);
}

function forVersion(config: Config, version: BackrestVersion, target: string, explicit: boolean): Config {
  if (version < 6) {
    // Backrest 1.12 and older discard fields they do not know without a word, so these settings
    // would silently stop working there: refuse, naming them, rather than drop them. For the
    // explicit 1.10 target that includes Telegram hooks (1.11/1.12 have them, 1.10 does not).
    const newer = explicit ? contentBackrest110Lacks(config) : contentNeedingVersion6(config);
    if (newer.length > 0) throw new CofreError('config.exportNeedsNewer', { params: { target, fields: newer.join(', ') }, cause: 'invalid-input' });
    // 1.9-1.12 only read ECDSA identities; without one they generate their own.
    const sync = config['sync'];
    if (sync && typeof sync === 'object' && 'identity' in sync) {
      const identity = (sync as { identity?: { keyId?: unknown } }).identity;
      if (typeof identity?.keyId === 'string' && !identity.keyId.startsWith('ecdsa.')) {
        const { identity: _dropped, ...rest } = sync as Record<string, unknown>;
        config = { ...config, sync: rest };
      }
    }
    return { ...config, version };
  }
  // Also for a config already labelled 6: an identity 1.13+ cannot read must not reach it.
  return applyMigration006(migrateTo(config, version).config).config;
}

/**
 * A Backrest config.json (2-space indent) for the chosen Backrest release. Pass the user's own
 * config, not one merged with the machine policy, unless IT wants the managed repositories
 * exported too. `modno` is kept. Throws CofreError('config.exportNeedsNewer') when the target
 * cannot hold the content, CofreError('config.exportRefused') when Backrest would refuse the file.
 */
export async function exportBackrest(config: Config, secrets: SecretStore, options: ExportOptions): Promise<string> {
  const locale = options.locale ?? getLocale();
  const version = exportVersion(config, options.target);
  let out = forVersion(config, version, options.target ?? String(version), options.target === '1.10');
  const repos = [];
  for (const repo of out.repos) repos.push(options.includeSecrets ? await withSecretsRestored(repo, secrets) : splitRepoSecrets(repo).repo);
  out = { ...out, repos };
  out = options.includeSecrets ? await restoreExtraSecrets(out, secrets) : stripExtraSecrets(out);
  // Backrest's own default for a config without an auth block (config.NewDefaultConfig).
  if (!out.auth) out = { ...out, auth: { disabled: true, users: [] } };
  const check = validateConfig(out, locale, { fillGuids: false });
  if (!check.config) throw new CofreError('config.exportRefused', { params: { details: summarizeFields(check.fields, locale) }, fields: check.fields, cause: 'invalid-input' });
  return serializeConfig(out);
}
