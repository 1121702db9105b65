// The restic engine: one object per repository, one method per restic command, typed results.
// Arguments come from args.ts (pure), processes from run.ts; this file only wires them and reads
// each command's output.
import type { FailureCause } from '../errors.js';
import { mkdir, readdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { backupArgs, buildInvocation, forgetArgs, positional } from './args.js';
import { loginWorksOnOwnPath } from './auth-probe.js';
import { hasFilesFrom } from './backrest-words.js';
import { authContextOf, causeFromText } from './classify.js';
import { ResticError } from './error.js';
import { num, parseBackupLine, parseJsonLine, parseRestoreLine, toBackupSummary, type JsonRecord } from './json-lines.js';
import { absoluteFromRoots, escapeRestorePattern, normaliseSnapshotPath, TreePathMapper } from './paths.js';
import { makeRedactor } from './redact.js';
import { ResticProcess, type LogFn, type RunOutcome } from './run.js';
import { toResticLock, withStaleLockRecovery, type LockAccess, type ResticLock, type StaleLockPolicy } from './stale-locks.js';
import type {
  BackupFileError,
  BackupProgress,
  BackupRequest,
  BackupResult,
  BackupSummary,
  Capabilities,
  FindMatch,
  ForgetResult,
  LsNode,
  NodeType,
  RepoTarget,
  RestoreProgress,
  RestoreRequest,
  RestoreResult,
  RetentionFlags,
  Snapshot,
  SnapshotFilter,
  Stats,
} from './types.js';

export interface EngineOptions {
  binary: string;
  capabilities: Capabilities;
  repo: RepoTarget;
  cacheDir?: string;
  log?: LogFn;
  /** After SIGINT, how long restic may take to clean up before SIGKILL (default 10 s). */
  killGraceMs?: number;
  /** restic retries an unreachable server for up to 15 minutes (0.17+); give up after this (default 120 s). */
  unreachableGiveUpMs?: number;
  /** Parent environment (default process.env); RESTIC_* variables in it are ignored. */
  baseEnv?: NodeJS.ProcessEnv;
  /** How a command that meets a lock recovers (see stale-locks.ts); without it, it fails as locked. */
  staleLocks?: StaleLockPolicy;
}

interface CallOptions {
  signal?: AbortSignal;
  /** Called while restic waits out a transient problem by itself (e.g. the server is unreachable). */
  onRetry?: (cause: FailureCause) => void;
}

const nodeTypes: ReadonlySet<string> = new Set(['file', 'dir', 'symlink', 'dev', 'chardev', 'fifo', 'socket', 'irregular']);

function nodeType(value: unknown): NodeType {
  return typeof value === 'string' && nodeTypes.has(value) ? (value as NodeType) : 'irregular';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function toSnapshot(o: JsonRecord): Snapshot {
  const id = typeof o.id === 'string' ? o.id : '';
  const summary = o.summary && typeof o.summary === 'object' ? (o.summary as JsonRecord) : undefined;
  return {
    id,
    shortId: id.slice(0, 8),
    time: typeof o.time === 'string' ? o.time : '',
    hostname: typeof o.hostname === 'string' ? o.hostname : '',
    username: typeof o.username === 'string' ? o.username : '',
    paths: strings(o.paths).map(normaliseSnapshotPath),
    tags: strings(o.tags),
    ...(typeof o.parent === 'string' ? { parent: o.parent } : {}),
    tree: typeof o.tree === 'string' ? o.tree : '',
    ...(typeof o.program_version === 'string' ? { programVersion: o.program_version } : {}),
    ...(summary ? { summary: withoutSnapshotId(toBackupSummary(summary)) } : {}),
  };
}

function withoutSnapshotId(s: BackupSummary): Partial<BackupSummary> {
  const { snapshotId: _ignored, ...rest } = s;
  return rest;
}

function toLsNode(o: JsonRecord, path: string): LsNode {
  return {
    name: typeof o.name === 'string' ? o.name : '',
    type: nodeType(o.type),
    path,
    size: num(o.size),
    mtime: typeof o.mtime === 'string' ? o.mtime : '',
    ...(typeof o.mode === 'number' ? { mode: o.mode } : {}),
    ...(typeof o.uid === 'number' ? { uid: o.uid } : {}),
    ...(typeof o.gid === 'number' ? { gid: o.gid } : {}),
  };
}

function parseJsonDocument(text: string): unknown {
  // restic may print text lines before the JSON document (e.g. 0.14 warnings); take the JSON part.
  const start = text.search(/^[[{]/m);
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start));
  } catch {
    const line = text.slice(start).split('\n').find((l) => /^[[{]/.test(l));
    try {
      return line ? JSON.parse(line) : undefined;
    } catch {
      return undefined;
    }
  }
}

export class ResticEngine {
  private readonly redact: (text: string) => string;
  private readonly secrets: string[];
  /** Tree prefix per snapshot id for snapshots made with relative paths ('' = absolute). */
  private readonly treePrefixes = new Map<string, string>();

  private readonly auth: ReturnType<typeof authContextOf>;

  constructor(private readonly opts: EngineOptions) {
    this.secrets = buildInvocation(opts.repo, opts.capabilities, [], this.invocationOpts()).secrets;
    this.redact = makeRedactor(this.secrets);
    this.auth = authContextOf(opts.repo.uri, opts.repo.restUsername);
  }

  get capabilities(): Capabilities {
    return this.opts.capabilities;
  }

  private invocationOpts(): { cacheDir?: string; baseEnv?: NodeJS.ProcessEnv } {
    return {
      ...(this.opts.cacheDir ? { cacheDir: this.opts.cacheDir } : {}),
      ...(this.opts.baseEnv ? { baseEnv: this.opts.baseEnv } : {}),
    };
  }

  private spawn(command: string[], call: CallOptions & { okExitCodes?: number[]; onStderrLine?: (line: string) => void } = {}): ResticProcess {
    const inv = buildInvocation(this.opts.repo, this.opts.capabilities, command, this.invocationOpts());
    return new ResticProcess({
      binary: this.opts.binary,
      args: inv.args,
      env: inv.env,
      caps: this.opts.capabilities,
      redact: this.redact,
      killGraceMs: this.opts.killGraceMs ?? 10_000,
      unreachableGiveUpMs: this.opts.unreachableGiveUpMs ?? 120_000,
      ...(call.signal ? { signal: call.signal } : {}),
      ...(this.opts.log ? { log: this.opts.log } : {}),
      ...(call.okExitCodes ? { okExitCodes: call.okExitCodes } : {}),
      ...(call.onStderrLine ? { onStderrLine: call.onStderrLine } : {}),
      ...(call.onRetry ? { onRetry: call.onRetry } : {}),
      ...(this.auth ? { auth: this.auth, confirmOtherUser: () => this.loginWorksOnOwnPath() } : {}),
    });
  }

  private loginWorksOnOwnPath(): Promise<boolean> {
    const { repo } = this.opts;
    const user = this.auth?.user;
    const password = repo.restPassword ?? uriPassword(repo.uri);
    if (!user || password === undefined) return Promise.resolve(false);
    return loginWorksOnOwnPath({ uri: repo.uri, user, password, ...(repo.caCertFile ? { caCertFile: repo.caCertFile } : {}) });
  }

  /** Runs a command and collects its stdout (small outputs only). */
  private collect(command: string[], call: CallOptions = {}): Promise<{ stdout: string; outcome: RunOutcome }> {
    return this.recovering(() => this.collectOnce(command, call), call.signal);
  }

  private async collectOnce(command: string[], call: CallOptions = {}): Promise<{ stdout: string; outcome: RunOutcome }> {
    const lines: string[] = [];
    const outcome = await this.spawn(command, call).drain((line) => lines.push(line));
    return { stdout: lines.join('\n'), outcome };
  }

  /**
   * The single point every restic command passes: a command that meets a stale lock clears it
   * (by the repository's policy) and runs once more. The lock calls themselves bypass it.
   */
  private recovering<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const policy = this.opts.staleLocks;
    if (!policy) return run();
    return withStaleLockRecovery(run, { access: this.lockAccess, policy, ...(signal ? { signal } : {}) });
  }

  private readonly lockAccess: LockAccess = {
    listLocks: (signal) => this.listLocks(signal ? { signal } : {}),
    catLock: (id, signal) => this.catLock(id, signal ? { signal } : {}),
    unlock: async (signal) => {
      await this.collectOnce(['unlock'], signal ? { signal } : {});
    },
  };

  /** Ids of the repository's lock files (`--no-lock`: listing must not take a lock itself). */
  async listLocks(call: CallOptions = {}): Promise<string[]> {
    const { stdout } = await this.collectOnce(['list', 'locks', '--no-lock'], call);
    return stdout.split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{64}$/.test(l));
  }

  /** One lock file; undefined when it is gone (its owner finished meanwhile) or unreadable. */
  async catLock(id: string, call: CallOptions = {}): Promise<ResticLock | undefined> {
    try {
      const { stdout } = await this.collectOnce(['cat', 'lock', '--no-lock', ...positional([id])], call);
      return toResticLock(id, parseJsonDocument(stdout));
    } catch (error) {
      if (call.signal?.aborted) throw error;
      return undefined;
    }
  }

  private async json(command: string[], call: CallOptions = {}): Promise<unknown> {
    const { stdout, outcome } = await this.collect(command, call);
    const value = parseJsonDocument(stdout);
    if (value === undefined) {
      throw new ResticError('unknown', { exitCode: outcome.exitCode, detail: this.redact(`unreadable output of restic ${command[0] ?? ''}`) });
    }
    return value;
  }

  async version(): Promise<string> {
    const { stdout } = await this.collect(['version']);
    return stdout.trim();
  }

  /** Creates the repository; an existing one is fine (created: false). */
  async init(call: CallOptions = {}): Promise<{ created: boolean }> {
    try {
      await this.collect(['init'], call);
      return { created: true };
    } catch (error) {
      if (error instanceof ResticError && /config file already exists|already initialized|repository master key and config already/i.test(error.stderrTail)) {
        return { created: false };
      }
      throw error;
    }
  }

  /** The repository id (Backrest's `guid`). */
  async catConfig(call: CallOptions = {}): Promise<{ id: string }> {
    const value = (await this.json(['cat', 'config'], call)) as JsonRecord;
    if (typeof value?.id !== 'string') throw new ResticError('unknown', { detail: 'restic cat config printed no id' });
    return { id: value.id };
  }

  async backup(
    req: BackupRequest,
    call: CallOptions & { onProgress?: (p: BackupProgress) => void; onFileError?: (e: BackupFileError) => void } = {},
  ): Promise<BackupResult> {
    const args = backupArgs(req, this.opts.capabilities);
    if (req.paths.length === 0 && !hasFilesFrom(args)) throw new ResticError('invalid-input', { detail: 'no paths to back up' });
    const fileErrors: BackupFileError[] = [];
    const missingPaths: string[] = [];
    let summary: BackupSummary | undefined;
    const handle = (line: string): void => {
      // Every version logs a missing source path as plain text, also with --json.
      const missing = missingSourceLine.exec(line);
      if (missing?.[1]) {
        if (missingPaths.length < 1_000) missingPaths.push(missing[1]);
        return;
      }
      const message = parseBackupLine(line);
      if (!message) return;
      if (message.kind === 'status') {
        call.onProgress?.({ ...message.progress, currentFiles: message.progress.currentFiles.map(this.redact), errorCount: fileErrors.length });
      } else if (message.kind === 'error') {
        const error = { during: message.error.during, item: this.redact(message.error.item), message: this.redact(message.error.message) };
        if (fileErrors.length < 10_000) fileErrors.push(error);
        call.onFileError?.(error);
      } else if (message.kind === 'summary') {
        summary = message.summary;
      }
    };
    // Status and summary go to stdout; file errors (JSON) go to stderr.
    const outcome = await this.recovering(() => this.spawn(args, { ...call, okExitCodes: [3], onStderrLine: handle }).drain(handle), call.signal);
    if (!summary) {
      throw new ResticError('unknown', { exitCode: outcome.exitCode, stderrTail: outcome.stderrTail, detail: 'restic backup printed no summary' });
    }
    return { outcome: backupOutcome(outcome.exitCode, fileErrors.length, missingPaths.length), summary, fileErrors, missingPaths };
  }

  async snapshots(filter: SnapshotFilter = {}, call: CallOptions = {}): Promise<Snapshot[]> {
    const args = ['snapshots', '--json', '--no-lock'];
    if (filter.host) args.push(`--host=${filter.host}`);
    for (const tag of filter.tags ?? []) args.push(`--tag=${tag}`);
    for (const path of filter.paths ?? []) args.push(`--path=${path}`);
    const value = await this.json(args, call);
    if (!Array.isArray(value)) return [];
    return value.filter((v): v is JsonRecord => !!v && typeof v === 'object').map(toSnapshot);
  }

  /**
   * Streams the nodes of a snapshot with absolute paths. With `path`, lists that folder's direct
   * children only (restic's non-recursive listing), the folder itself excluded.
   */
  async *ls(snapshotId: string, call: { path?: string; signal?: AbortSignal } = {}): AsyncGenerator<LsNode> {
    if (call.path === undefined) {
      yield* this.lsStream(snapshotId, undefined, call.signal);
      return;
    }
    const wanted = normaliseSnapshotPath(call.path);
    let known = this.treePrefixes.get(snapshotId);
    let count = 0;
    for await (const node of this.lsStream(snapshotId, { path: wanted, prefix: known }, call.signal)) {
      count += 1;
      if (node.path !== wanted) yield node;
    }
    if (count > 0 || known !== undefined) return;
    // Nothing there: maybe the snapshot was made with relative paths. Learn its tree prefix, retry.
    known = await this.learnTreePrefix(snapshotId, call.signal);
    if (!known) return;
    for await (const node of this.lsStream(snapshotId, { path: wanted, prefix: known }, call.signal)) {
      if (node.path !== wanted) yield node;
    }
  }

  private async learnTreePrefix(snapshotId: string, signal?: AbortSignal): Promise<string> {
    for await (const _node of this.lsStream(snapshotId, undefined, signal, true)) break;
    return this.treePrefixes.get(snapshotId) ?? '';
  }

  private async *lsStream(
    snapshotId: string,
    dir: { path: string; prefix: string | undefined } | undefined,
    signal?: AbortSignal,
    stopWhenDecided = false,
  ): AsyncGenerator<LsNode> {
    const mapperHolder: { mapper?: TreePathMapper } = {};
    const treeDir = dir ? new TreePathMapper([], dir.prefix ?? '').toTreePath(dir.path) : undefined;
    const args = ['ls', '--json', '--no-lock', ...positional([snapshotId, ...(treeDir ? [treeDir] : [])])];
    const proc = this.spawn(args, signal ? { signal } : {});
    const ready: LsNode[] = [];
    let finished = false;
    try {
      for await (const line of proc.stdoutLines()) {
        const o = parseJsonLine(line);
        if (!o) continue;
        const kind = o.struct_type ?? o.message_type;
        if (kind === 'snapshot') {
          const paths = strings(o.paths);
          mapperHolder.mapper = new TreePathMapper(paths, dir ? (dir.prefix ?? '') : this.treePrefixes.get(snapshotId));
          continue;
        }
        if (kind !== 'node' || typeof o.path !== 'string') continue;
        const mapper = (mapperHolder.mapper ??= new TreePathMapper([], ''));
        mapper.push(o, o.path, (node, abs) => ready.push(toLsNode(node, abs)));
        if (mapper.decidedPrefix !== undefined && !dir) this.treePrefixes.set(snapshotId, mapper.decidedPrefix);
        if (stopWhenDecided && mapper.decidedPrefix !== undefined) return;
        while (ready.length > 0) yield ready.shift() as LsNode;
      }
      mapperHolder.mapper?.finish();
      while (ready.length > 0) yield ready.shift() as LsNode;
      await proc.wait();
      finished = true;
    } finally {
      if (!finished) {
        // The consumer stopped early (or an error): stop restic and let it exit cleanly.
        proc.stop('cancelled');
        proc.discardStdout();
        await proc.wait().catch(() => undefined);
      }
    }
  }

  async find(patterns: string[], call: { snapshotIds?: string[]; signal?: AbortSignal } = {}): Promise<FindMatch[]> {
    if (patterns.length === 0) return [];
    const args = ['find', '--json', '--no-lock'];
    for (const id of call.snapshotIds ?? []) args.push(`--snapshot=${id}`);
    args.push(...positional(patterns));
    const value = await this.json(args, call);
    const groups = Array.isArray(value) ? (value as JsonRecord[]) : [];
    const rootsById = new Map<string, string[]>();
    const needsRoots = groups.length > 0;
    if (needsRoots) {
      for (const s of await this.snapshots({}, call)) rootsById.set(s.id, s.paths);
    }
    const matches: FindMatch[] = [];
    for (const group of groups) {
      const snapshotId = typeof group.snapshot === 'string' ? group.snapshot : '';
      const roots = rootsById.get(snapshotId) ?? [];
      for (const m of Array.isArray(group.matches) ? (group.matches as JsonRecord[]) : []) {
        if (typeof m.path !== 'string') continue;
        matches.push({
          snapshotId,
          path: absoluteFromRoots(m.path, roots),
          type: nodeType(m.type),
          size: num(m.size),
          mtime: typeof m.mtime === 'string' ? m.mtime : '',
        });
      }
    }
    return matches;
  }

  /** Forgets this plan's snapshots by its retention, as Backrest does (one group per plan). */
  async forget(opts: { planId: string; instance: string; retention: RetentionFlags; dryRun?: boolean; signal?: AbortSignal }): Promise<ForgetResult> {
    const args = forgetArgs(opts);
    if (!args.some((a) => a.startsWith('--keep-'))) {
      throw new ResticError('invalid-input', { detail: 'a retention policy without any keep rule would forget nothing' });
    }
    const { stdout, outcome } = await this.collect(args, opts.signal ? { signal: opts.signal } : {});
    // 0.17+ reports a refused DELETE and still exits 0: the snapshots were not removed.
    const refused = outcome.stderrLines.find((l) => causeFromText(l) === 'append-only');
    if (refused) throw new ResticError('append-only', { exitCode: outcome.exitCode, stderrTail: outcome.stderrTail });
    const value = parseJsonDocument(stdout);
    const kept: string[] = [];
    const removed: string[] = [];
    for (const group of Array.isArray(value) ? (value as JsonRecord[]) : []) {
      for (const s of Array.isArray(group.keep) ? (group.keep as JsonRecord[]) : []) if (typeof s.id === 'string') kept.push(s.id);
      for (const s of Array.isArray(group.remove) ? (group.remove as JsonRecord[]) : []) if (typeof s.id === 'string') removed.push(s.id);
    }
    return { kept, removed };
  }

  async prune(opts: { maxUnused?: string; signal?: AbortSignal } = {}): Promise<void> {
    const args = ['prune'];
    if (opts.maxUnused) args.push(`--max-unused=${opts.maxUnused}`);
    await this.collect(args, opts.signal ? { signal: opts.signal } : {});
  }

  /** Verifies the repository; a damaged repository is `ok: false`, other failures throw. */
  async check(opts: { readDataSubset?: string; signal?: AbortSignal } = {}): Promise<{ ok: boolean; messages: string[] }> {
    const args = ['check'];
    if (opts.readDataSubset) args.push(`--read-data-subset=${opts.readDataSubset}`);
    try {
      const { stdout, outcome } = await this.collect(args, opts.signal ? { signal: opts.signal } : {});
      return { ok: true, messages: [...stdout.split('\n'), ...outcome.stderrLines].map(this.redact).filter((l) => l.trim()) };
    } catch (error) {
      if (error instanceof ResticError && error.failure === 'unknown' && /repository contains errors|error|invalid|damaged/i.test(error.stderrTail)) {
        return { ok: false, messages: error.stderrTail.split('\n').filter((l) => l.trim()) };
      }
      throw error;
    }
  }

  /** Removes stale locks (all locks with removeAll: only when no other restic can be running). */
  async unlock(opts: { removeAll?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    await this.collectOnce(['unlock', ...(opts.removeAll ? ['--remove-all'] : [])], opts.signal ? { signal: opts.signal } : {});
  }

  async stats(opts: { mode?: 'restore-size' | 'raw-data'; snapshotIds?: string[]; signal?: AbortSignal } = {}): Promise<Stats> {
    const args = ['stats', '--json', '--no-lock', `--mode=${opts.mode ?? 'restore-size'}`, ...positional(opts.snapshotIds ?? [])];
    const o = (await this.json(args, opts.signal ? { signal: opts.signal } : {})) as JsonRecord;
    return {
      totalSize: num(o.total_size),
      totalFileCount: num(o.total_file_count),
      ...(typeof o.snapshots_count === 'number' ? { snapshotsCount: o.snapshots_count } : {}),
      ...(typeof o.total_blob_count === 'number' ? { totalBlobCount: o.total_blob_count } : {}),
    };
  }

  /**
   * Restores into an empty (or absent) staging folder; never into a folder with content, because
   * restic overwrites what it finds (0.14 always does). Moving files into place is the caller's job.
   */
  async restore(req: RestoreRequest, call: CallOptions & { onProgress?: (p: RestoreProgress) => void } = {}): Promise<RestoreResult> {
    if (!req.target) throw new ResticError('invalid-input', { detail: 'no restore target' });
    try {
      const entries = await readdir(req.target);
      if (entries.length > 0) throw new ResticError('invalid-input', { detail: this.redact(`restore target is not empty: ${req.target}`) });
    } catch (error) {
      if (error instanceof ResticError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ResticError('invalid-input', { detail: this.redact(`restore target is not a folder: ${req.target}`) });
    }
    await mkdir(req.target, { recursive: true });
    const caps = this.opts.capabilities;
    const args = ['restore', `--target=${req.target}`];
    if (caps.restoreJson) args.push('--json');
    for (const include of req.include) args.push(`--include=${escapeRestorePattern(normaliseSnapshotPath(include))}`);
    args.push(...positional([req.snapshotId]));
    await this.recovering(() => this.spawn(args, call).drain((line) => {
      const message = parseRestoreLine(line);
      if (message?.kind === 'status') call.onProgress?.(message.progress);
    }), call.signal);
    // 0.14 prints no summary and 0.16+ counts folders as files: count what landed in the staging
    // folder (empty before), the same way on every version.
    return countTree(req.target);
  }
}

const missingSourceLine = /^(.+) does not exist, skipping$/;

function uriPassword(uri: string): string | undefined {
  const info = /^rest:https?:\/\/([^/@]*)@/i.exec(uri)?.[1];
  const colon = info?.indexOf(':') ?? -1;
  if (!info || colon < 0) return undefined;
  try {
    return decodeURIComponent(info.slice(colon + 1));
  } catch {
    return info.slice(colon + 1);
  }
}

/**
 * The same situation reads the same on every version: 0.14/0.18 exit 0 after skipping a missing
 * source path, 0.19 exits 3; unreadable files (JSON error lines, exit 3) are 'partial'.
 */
export function backupOutcome(exitCode: number, fileErrors: number, missingPaths: number): BackupResult['outcome'] {
  if (exitCode === 3 && (fileErrors > 0 || missingPaths === 0)) return 'partial';
  return missingPaths > 0 ? 'source-missing' : 'success';
}

async function countTree(root: string): Promise<RestoreResult> {
  let filesRestored = 0;
  let bytesRestored = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else {
        filesRestored += 1;
        if (entry.isFile()) bytesRestored += (await lstat(path)).size;
      }
    }
  }
  return { filesRestored, bytesRestored };
}
