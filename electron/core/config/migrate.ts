// Backrest's config versions, as its own migrations (internal/config/migrations/) define them:
//   2, 3 written by Backrest up to 1.6/1.7; still loaded by every later release, which runs
//      migration 003 (prune and check schedules count from the last run: CLOCK_LAST_RUN_TIME) on a
//      version-2 file and 004 on both. Cofre does the same and keeps the result as version 4.
//      Version 1 (and 0 with content) is refused by Backrest itself ("too old to migrate, upgrade
//      through Backrest 1.4.0 first"), and so by Cofre.
//   4  written by Backrest 1.9.2 - 1.12.1 (migration 004: an empty repo guid becomes hex sha256(id))
//   5  never written by a release on its own (005 checks RESTIC_PASSWORD* in the environment and
//      creates the multihost identity; the environment check is a diagnostic, see diagnostics.ts)
//   6  written by Backrest 1.13.0 - 1.14.1 (006: a multihost identity that is not ed25519, e.g. the
//      ECDSA `ecdsa.…` identity of 1.9/1.10, is dropped; Backrest then generates a new one)
// Backrest refuses a version above the latest it knows, and older releases refuse 5 and 6. So
// Cofre keeps the version a file was read with and raises it to 6 (running 006) only when the
// content holds something Backrest 1.12 cannot represent. Pure functions.
import { createHash } from 'node:crypto';
import type { Config, Hook } from './backrest-schema.js';

export const latestBackrestVersion = 6;
/** The oldest version Cofre keeps as it is; 2 and 3 are migrated to 4 on reading (upgradeOldVersion). */
export const oldestReadableVersion = 4;
/** The oldest version Backrest's migrations still upgrade (001 and 002 are gone since Backrest 1.5). */
export const oldestMigratableVersion = 2;
export type BackrestVersion = 4 | 5 | 6;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Backrest's stand-in guid for a repository that has none (migration 004). */
export function guidFromRepoId(repoId: string): string {
  return createHash('sha256').update(repoId).digest('hex');
}

/**
 * Fills the guid of repositories that have neither a guid nor autoInitialize, as migration 004
 * does; a repository with autoInitialize learns its guid when Cofre or Backrest first opens it.
 * Works on canonical json (after normalizeBackrestJson); returns the repo ids that were filled.
 */
export function fillMissingGuids(json: unknown): string[] {
  if (!isObject(json) || !Array.isArray(json.repos)) return [];
  const filled: string[] = [];
  for (const repo of json.repos) {
    if (!isObject(repo) || typeof repo.id !== 'string' || repo.id === '') continue;
    if ((repo.guid === undefined || repo.guid === '') && repo.autoInitialize !== true) {
      repo.guid = guidFromRepoId(repo.id);
      filled.push(repo.id);
    }
  }
  return filled;
}

/**
 * Backrest's migrations 003 and 004 for a file of version 2 or 3, on canonical json (mutated):
 * 003 (only from 2) sets CLOCK_LAST_RUN_TIME on the prune and check schedules of every repository
 * that has a prune policy (as Backrest's loop does); 004 is fillMissingGuids. The file becomes
 * version 4, what Backrest 1.9-1.12 would write back. Returns the version it came from, or null.
 */
export function upgradeOldVersion(json: unknown): number | null {
  if (!isObject(json) || typeof json.version !== 'number') return null;
  const from = json.version;
  if (from < oldestMigratableVersion || from >= oldestReadableVersion) return null;
  if (from < 3 && Array.isArray(json.repos)) {
    for (const repo of json.repos) {
      if (!isObject(repo) || !isObject(repo.prunePolicy)) continue;
      if (isObject(repo.prunePolicy.schedule)) repo.prunePolicy.schedule.clock = 'CLOCK_LAST_RUN_TIME';
      if (isObject(repo.checkPolicy) && isObject(repo.checkPolicy.schedule)) repo.checkPolicy.schedule.clock = 'CLOCK_LAST_RUN_TIME';
    }
  }
  fillMissingGuids(json);
  json.version = oldestReadableVersion;
  return from;
}

/**
 * Repositories of Cofre's own file that hold both a guid and autoInitialize, as Cofre's enrollment
 * wrote before it followed Backrest's rule: a known guid means the repository exists, so
 * autoInitialize is dropped (Backrest refuses the pair). Mutates canonical json; returns the ids.
 */
export function dropAutoInitializeBesideGuid(json: unknown): string[] {
  if (!isObject(json) || !Array.isArray(json.repos)) return [];
  const healed: string[] = [];
  for (const repo of json.repos) {
    if (isObject(repo) && typeof repo.guid === 'string' && repo.guid !== '' && repo.autoInitialize === true) {
      delete repo.autoInitialize;
      healed.push(String(repo.id));
    }
  }
  return healed;
}

function hooksOf(config: Config): Array<{ hook: Hook; path: string }> {
  return [
    ...config.repos.flatMap((repo, i) => (repo.hooks ?? []).map((hook, j) => ({ hook, path: `repos[${i}].hooks[${j}]` }))),
    ...config.plans.flatMap((plan, i) => (plan.hooks ?? []).map((hook, j) => ({ hook, path: `plans[${i}].hooks[${j}]` }))),
  ];
}

const nonEmpty = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0) && !(isObject(v) && Object.keys(v).length === 0);

/**
 * Paths of content that exists only from Backrest 1.13 (config version 6): repo `shared`,
 * `originInstanceId`, `forgetPolicy`; multihost `pairingTokens`; the peer permission
 * PERMISSION_RECEIVE_SHARED_REPOS. Not `actionTelegram`: Backrest 1.12.1, a version-4 writer, has
 * Telegram hooks already (backrest issue 1177), so a 1.12 file holding one stays version 4.
 */
export function contentNeedingVersion6(config: Config): string[] {
  const paths: string[] = [];
  config.repos.forEach((repo, i) => {
    for (const field of ['shared', 'originInstanceId', 'forgetPolicy']) if (nonEmpty(repo[field])) paths.push(`repos[${i}].${field}`);
  });
  const sync = config['sync'];
  if (isObject(sync)) {
    if (nonEmpty(sync.pairingTokens)) paths.push('sync.pairingTokens');
    for (const list of ['knownHosts', 'authorizedClients']) {
      const peers = sync[list];
      if (!Array.isArray(peers)) continue;
      peers.forEach((peer, i) => {
        const permissions = isObject(peer) && Array.isArray(peer.permissions) ? peer.permissions : [];
        permissions.forEach((permission, j) => {
          if (isObject(permission) && typeof permission.type === 'string' && permission.type.includes('RECEIVE_SHARED_REPOS')) paths.push(`sync.${list}[${i}].permissions[${j}].type`);
        });
      });
    }
  }
  return paths;
}

/**
 * What Backrest 1.9/1.10 (the `1.10` export target) would silently drop: the 1.13 content, and
 * Telegram hooks (added in the 1.11/1.12 line, after 1.10.1). Refused at export, naming the paths.
 */
export function contentBackrest110Lacks(config: Config): string[] {
  const telegram = hooksOf(config).filter(({ hook }) => hook.actionTelegram !== undefined).map(({ path }) => `${path}.actionTelegram`);
  return [...contentNeedingVersion6(config), ...telegram];
}

/** The version the config must be written with: its own, or 6 when its content needs 6. */
export function requiredVersion(config: Config): BackrestVersion {
  return contentNeedingVersion6(config).length > 0 ? 6 : config.version;
}

export function isEd25519Identity(identity: unknown): boolean {
  return isObject(identity) && typeof identity.keyId === 'string' && identity.keyId.startsWith('ed25519.') && nonEmpty(identity.ed25519priv) && nonEmpty(identity.ed25519pub);
}

/** Migration 006: without an ed25519 identity the multihost block keeps everything but its identity. */
export function applyMigration006(config: Config): { config: Config; droppedIdentity: boolean } {
  const sync = config['sync'];
  if (!isObject(sync) || sync.identity === undefined || isEd25519Identity(sync.identity)) return { config, droppedIdentity: false };
  const { identity: _dropped, ...rest } = sync;
  return { config: { ...config, sync: rest }, droppedIdentity: true };
}

/** The config relabelled `target` the way Backrest's migrations would get there (only upwards). */
export function migrateTo(config: Config, target: BackrestVersion): { config: Config; droppedIdentity: boolean } {
  if (target <= config.version) return { config: { ...config, version: target }, droppedIdentity: false };
  const upgraded = { ...config, version: target };
  return target >= 6 ? applyMigration006(upgraded) : { config: upgraded, droppedIdentity: false };
}

/**
 * The config as it must be saved: its own version, or raised to what its content needs. (A
 * version-6 file with a non-ed25519 identity, as older Cofre releases wrote, is kept as it is
 * here; exportBackrest heals it before it reaches a Backrest.)
 */
export function versionForSave(config: Config): Config {
  const needed = requiredVersion(config);
  return needed > config.version ? migrateTo(config, needed).config : config;
}
