// Reads one fleet repository's snapshots with restic, through the same runner as every other
// restic call (redaction, classified failures, giving up on an unreachable server). Cold: one
// `restic snapshots --json --no-lock`, parsed element by element. Warm: `restic list snapshots`
// (ids only); nothing more when the list is unchanged, `restic snapshots <new ids>` when only new
// snapshots appeared, a full listing when a kept snapshot was forgotten.
import { readFile } from 'node:fs/promises';
import { buildInvocation } from '../restic/args.js';
import { detectRestic } from '../restic/detect.js';
import { makeRedactor } from '../restic/redact.js';
import { ResticProcess, type LogFn } from '../restic/run.js';
import type { Capabilities, RepoTarget } from '../restic/types.js';
import type { SecretStore } from '../secrets/index.js';
import { CofreError, type FailureCause } from '../errors.js';
import { allIds, cacheFileFor, readCache, writeCache } from './cache.js';
import { addSnapshot, compactSnapshot, removeSnapshots, type Groups } from './groups.js';
import { JsonArraySplitter } from './json-array-stream.js';
import type { FleetRepository, SecretRef } from './schema.js';

export interface ReaderDeps {
  resticBinary: string;
  /** Folder of the fleet cache (one file per repository). */
  cacheDir: string;
  /** restic's own cache (RESTIC_CACHE_DIR). */
  resticCacheDir?: string;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  log: LogFn;
  /** Every secret value resolved for a repository, so the caller's log can mask it. */
  addSecrets?: (values: string[]) => void;
  /** Give up on a server that does not answer after this long (default 20 s). */
  unreachableGiveUpMs?: number;
}

export type ReadSource = 'listed' | 'incremental' | 'cache';

export interface ReadResult {
  groups: Groups;
  source: ReadSource;
}

/** More new snapshots than this since the last run: one full listing is cheaper than a long argument list. */
const MAX_INCREMENTAL = 200;

/** Where a reference points, for messages: the name of the variable, key or file, never its value. */
export function describeRef(ref: SecretRef): string {
  if ('env' in ref) return `env ${ref.env}`;
  if ('secret' in ref) return `secret ${ref.secret}`;
  return `file ${ref.file}`;
}

async function resolveRef(ref: SecretRef, deps: ReaderDeps, field: 'password' | 'restUsername' | 'restPassword'): Promise<string> {
  let value: string | undefined;
  if ('env' in ref) value = deps.env[ref.env];
  else if ('secret' in ref) value = await deps.secrets.get(ref.secret);
  else value = await readFile(ref.file, 'utf8').then((text) => text.split(/\r?\n/)[0], () => undefined);
  if (value === undefined || value === '') {
    throw new CofreError(`fleet.secretMissing.${field}`, { cause: 'auth-missing', params: { ref: describeRef(ref) } });
  }
  return value;
}

/** `rest:https://user@host/x` -> user and the URI without it (restic wants the user beside the password). */
export function splitUriUser(uri: string): { uri: string; user?: string } {
  const match = /^(rest:https?:\/\/)([^/@]*)@(.*)$/i.exec(uri);
  if (!match) return { uri };
  const [user] = match[2]!.split(':');
  return { uri: `${match[1]}${match[3]}`, ...(user ? { user: decodeURIComponent(user) } : {}) };
}

/** The URI as people may see it: no user, no password. */
export function publicUri(uri: string): string {
  return splitUriUser(uri).uri;
}

export async function repoTarget(repo: FleetRepository, deps: ReaderDeps): Promise<RepoTarget> {
  const password = await resolveRef(repo.password, deps, 'password');
  const split = splitUriUser(repo.uri);
  const restUsername = repo.restUsername ? await resolveRef(repo.restUsername, deps, 'restUsername') : split.user;
  const restPassword = repo.restPassword ? await resolveRef(repo.restPassword, deps, 'restPassword') : undefined;
  deps.addSecrets?.([password, ...(restPassword ? [restPassword] : [])]);
  return {
    id: repo.id,
    uri: restUsername ? split.uri : repo.uri,
    password,
    env: {},
    flags: [],
    ...(restUsername ? { restUsername } : {}),
    ...(restPassword ? { restPassword } : {}),
    ...(repo.cacert ? { caCertFile: repo.cacert } : {}),
  };
}

class Restic {
  private readonly redact: (text: string) => string;

  constructor(private readonly target: RepoTarget, private readonly caps: Capabilities, private readonly deps: ReaderDeps) {
    this.redact = makeRedactor(buildInvocation(target, caps, [], this.invocationOpts()).secrets);
  }

  private invocationOpts(): { cacheDir?: string; baseEnv: NodeJS.ProcessEnv } {
    return { ...(this.deps.resticCacheDir ? { cacheDir: this.deps.resticCacheDir } : {}), baseEnv: this.deps.env };
  }

  spawn(command: string[]): ResticProcess {
    const inv = buildInvocation(this.target, this.caps, command, this.invocationOpts());
    return new ResticProcess({
      binary: this.deps.resticBinary,
      args: inv.args,
      env: inv.env,
      caps: this.caps,
      redact: this.redact,
      killGraceMs: 5_000,
      unreachableGiveUpMs: this.deps.unreachableGiveUpMs ?? 20_000,
      log: (entry) => this.deps.log({ level: entry.level, message: `fleet[${this.target.id}]: ${entry.message}` }),
    });
  }

  /** `snapshots --json` (all, or the given ids), folded into `groups` as it streams. */
  async snapshotsInto(groups: Groups, keep: number, ids: string[] = []): Promise<void> {
    const splitter = new JsonArraySplitter((text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return;
      }
      const entry = compactSnapshot(value);
      if (entry) addSnapshot(groups, entry, keep);
    });
    await this.spawn(['snapshots', '--json', '--no-lock', ...ids]).drainText((chunk) => splitter.push(chunk));
  }

  async snapshotIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    await this.spawn(['list', 'snapshots', '--no-lock']).drain((line) => {
      const id = line.trim();
      if (/^[0-9a-f]{64}$/.test(id)) ids.add(id);
    });
    return ids;
  }
}

export async function readRepository(repo: FleetRepository, keep: number, refresh: boolean, deps: ReaderDeps): Promise<ReadResult> {
  const target = await repoTarget(repo, deps);
  const { capabilities } = await detectRestic(deps.resticBinary);
  const restic = new Restic(target, capabilities, deps);
  const cacheFile = cacheFileFor(deps.cacheDir, repo.id, publicUri(repo.uri));
  const cached = refresh ? null : await readCache(cacheFile, keep);

  let result: ReadResult | null = null;
  if (cached) {
    const current = await restic.snapshotIds();
    const known = allIds(cached);
    const added = [...current].filter((id) => !known.has(id));
    const removed = new Set([...known].filter((id) => !current.has(id)));
    if (added.length === 0 && removed.size === 0) return { groups: cached, source: 'cache' };
    if (added.length <= MAX_INCREMENTAL && removeSnapshots(cached, removed)) {
      if (added.length > 0) await restic.snapshotsInto(cached, keep, added);
      result = { groups: cached, source: 'incremental' };
    }
  }
  if (!result) {
    const groups: Groups = new Map();
    await restic.snapshotsInto(groups, keep);
    result = { groups, source: 'listed' };
  }
  await writeCache(cacheFile, keep, result.groups).catch((error: unknown) => {
    deps.log({ level: 'warn', message: `fleet[${repo.id}]: could not write the cache: ${error instanceof Error ? error.message : String(error)}` });
  });
  return result;
}

/** The classified cause of a failed read (restic's, or a missing secret). */
export function failureOf(error: unknown): { cause: FailureCause; error: CofreError } {
  if (error instanceof CofreError) return { cause: error.failure ?? 'unknown', error };
  return { cause: 'unknown', error: new CofreError('error.internal', { cause: 'unknown' }) };
}
