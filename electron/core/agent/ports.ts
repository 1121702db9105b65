// What each part of the agent needs from the others, declared as narrow interfaces so that every
// part depends on this file and never on another part: agent.ts builds the parts bottom-up and
// hands each one exactly these. Only types live here (and it imports no part of the agent), so the
// import arrows all point down from agent.ts and no circle can form.
import type { ApiEvent, ApiEventData, ApiMethod, ApiOutput, ApiParsedInput, CapabilitySwitches, IndexStatus, Preferences, RepoSecrets, SessionRef, SnapshotInfo } from '../api.js';
import type { Config, Plan, Repo } from '../config/backrest-schema.js';
import type { ErrorPayload, FailureCause } from '../errors.js';
import type { HistoryStore } from '../history/store.js';
import type { OperationSummary } from '../history/types.js';
import type { HookVars, OperationKind } from '../hooks/index.js';
import type { Locale } from '../i18n/index.js';
import type { JobErrorInfo, JobInfo, JobOutcome, JobQueue } from '../jobs/index.js';
import type { MergedConfig } from '../policy/merge.js';
import type { NotificationLevel, Policy } from '../policy/schema.js';
import type { ResticEngine } from '../restic/index.js';
import type { BackupProgress, Capabilities, Snapshot } from '../restic/types.js';
import type { RestoreScope } from '../restore/scope.js';
import type { SnapshotIndex } from '../restore/snapshot-index.js';
import type { SecretStore } from '../secrets/index.js';

/** Sends one event to every face. */
export type Emit = (event: ApiEvent) => void;
/** Something a face shows may have changed (the root coalesces bursts into one status event). */
export type Notify = () => void;

export type Handler<M extends ApiMethod> = (input: ApiParsedInput<M>, session: SessionRef) => Promise<ApiOutput<M>>;
export type Handlers = { [M in ApiMethod]: Handler<M> };

export interface Identity {
  hostname: string;
  username: string;
  homeDir: string;
}

export interface Clock {
  now(): Date;
}

/** Where the agent found its files and binaries (what diagnostics show, what imports keep beside the config). */
export interface Whereabouts {
  configPath: string;
  policyPath?: string | null;
  dataDir: string;
  cacheDir: string;
  resticBinary?: string;
  version?: string;
  env: NodeJS.ProcessEnv;
}

export interface LogPort {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  write(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  /** Masks every secret the log has been told about. */
  scrub(text: string): string;
  addSecrets(values: Iterable<string | undefined>): void;
  tail(limit: number): Promise<string[]>;
}

export interface EnginesPort {
  restic(): Promise<{ binary: string; capabilities: Capabilities }>;
  forRepo(repo: Repo): Promise<ResticEngine>;
  forDraft(repo: Repo, secrets: RepoSecrets, options?: { unreachableGiveUpMs?: number }): Promise<ResticEngine>;
}

export interface PolicyPort {
  readonly policy: Policy;
  readonly source: 'none' | 'file' | 'invalid';
  readonly path: string | null;
  readonly problem: ErrorPayload | null;
  effective(userConfig: Config): MergedConfig;
  capabilities(): CapabilitySwitches;
  technicianPasswordRequired(): boolean;
  lockedNotifications(): NotificationLevel | undefined;
  restoreRoots(): string[];
  locked(): string[];
  overdueAfterDays(): number;
  describe(): unknown;
}

export interface ApplyOptions {
  /** Backrest numbers every write: an imported file's count goes on, never back. */
  modnoAtLeast?: number;
  /**
   * The effective config the person asked for, when they edited the merged view (setConfig):
   * the lock rule judges that, since a change to a managed entry vanishes from what is saved.
   */
  asSeen?: Config;
  /**
   * The save is no person's edit, so policy locks do not apply: the enrollment the policy itself
   * offers, or a fact learned from the repository (its id).
   */
  unlockedBecause?: 'policy-enrollment' | 'repository-fact';
  /** Runs after the write and before the faces hear of it (an import confirms its undo level). */
  afterSave?: (saved: Config) => Promise<void>;
}

/** The one owner of the configuration: both readings of it, every save, and the repositories' secrets. */
export interface SettingsPort {
  /** The user's config with the policy's managed repos and plans laid over it: what the agent runs. */
  effective(): Config;
  merged(): MergedConfig;
  /** What config.json holds (the user's own entries). */
  user(): Config;
  plan(planId: string): Plan;
  repo(repoId: string): Repo;
  problem(): ErrorPayload | null;
  /** The policy's lock rule: the locked settings the effective result of `next` (or `asSeen`) would change. */
  lockedBy(next: Config, asSeen?: Config): string[];
  /** Throws lockedByPolicy when `lockedBy` finds any. */
  assertUnlocked(next: Config, asSeen?: Config): void;
  /** Saves the user's config `next` over `modno` after the lock check; announces the change. */
  apply(next: Config, modno: number, options?: ApplyOptions): Promise<Config>;
  /** Sets the given secrets of a repository ('' deletes one, absent leaves it); `announce` = tell the faces. */
  setSecrets(repoId: string, secrets: RepoSecrets, options?: { announce?: boolean }): Promise<void>;
  /** Secrets were changed behind the settings' back (import undo): announce it. */
  changed(): void;
  readonly secrets: SecretStore;
}

/** An OS user a service session is bound to, learned by the service, never said by the client. */
export interface SessionOwner {
  uid: number;
  gid: number;
  username: string;
  homeDir: string;
}

export interface SessionsPort {
  create(options?: { technician?: boolean; owner?: SessionOwner }): SessionRef;
  /** Service mode: the OS user a session acts for (undefined outside service mode). */
  owner(ref: SessionRef): SessionOwner | undefined;
  isTechnician(ref: SessionRef): boolean;
  elevate(ref: SessionRef): void;
  drop(ref: SessionRef): void;
  known(ref: SessionRef): boolean;
}

export interface PreferencesPort {
  get(): Preferences;
  set(next: Preferences): Promise<void>;
  locale(): Locale;
}

export interface LabelsPort {
  get(planId: string): string | null;
  set(planId: string, label: string | null): Promise<void>;
}

export type Queue = Pick<JobQueue, 'enqueue' | 'list' | 'get' | 'cancel' | 'on'>;
export type History = Pick<HistoryStore, 'record' | 'update' | 'finish' | 'get' | 'list' | 'lastByPlan' | 'lastRunStarts'>;

export interface CatalogPort {
  readonly index: SnapshotIndex;
  scope(session: SessionRef): RestoreScope;
  invalidate(repoId?: string): void;
  repoSnapshots(repo: Repo, options?: { fresh?: boolean }): Promise<Snapshot[]>;
  list(session: SessionRef, filter: { planId?: string; repoId?: string }): Promise<SnapshotInfo[]>;
  locate(session: SessionRef, snapshotId: string): Promise<{ snapshot: Snapshot; repo: Repo }>;
  ensureIndexed(session: SessionRef, snapshotId: string, signal?: AbortSignal): Promise<string>;
  ensureAllIndexed(session: SessionRef, signal?: AbortSignal): Promise<void>;
  indexInBackground(session: SessionRef): Promise<void>;
  indexStatus(session: SessionRef): IndexStatus;
  /** After a forget that said what it removed: drop those snapshots from listing and index. */
  forgotten(repoId: string, snapshotIds: string[]): void;
}

export interface IndexerPort {
  /** Queues the background indexing of those of `snapshots` not indexed yet. */
  schedule(repo: Repo, snapshots: Snapshot[]): void;
  running(): boolean;
  cancel(): void;
}

/** What the running jobs are going through right now, as the status shows it. */
export interface JobTrackerPort {
  progress(jobId: string): BackupProgress | undefined;
  setProgress(jobId: string, progress: BackupProgress): void;
  /** Returns true when this is the job's first transient trouble (the status should say so now). */
  struggling(jobId: string, cause: FailureCause): boolean;
  trouble(jobId: string): { cause: FailureCause; at: number } | undefined;
  cleared(jobId: string): void;
  waitingFor(jobId: string, next: { attempt: number; maxAttempts: number; at: number }): void;
  nextAttempt(jobId: string): { attempt: number; maxAttempts: number; at: number } | undefined;
  finished(jobId: string): void;
  gaveUp(planId: string, attempts: number | null): void;
  gaveUpAfter(): ReadonlyMap<string, number>;
}

export interface SchedulingPort {
  pausedUntil(): Date | null;
  lastRuns(): Map<string, Date>;
}

// ---- job kinds and the journal --------------------------------------------------------------

/** Runs the repo's and the plan's hooks of one phase of a plan's job (job-hooks.ts). */
export type RunJobHooks = (kind: OperationKind, phase: 'start' | 'success' | 'warning' | 'error', plan: Plan, repo: Repo, extra: Partial<HookVars>) => Promise<void>;

/** What each job kind tells the journal about its finished jobs. */
export interface FinishedJob {
  job: JobInfo;
  outcome: JobOutcome;
  /** The outcome's error with every known secret masked; null when there is none. */
  error: JobErrorInfo | null;
  /** The job's history row (absent when it never started). */
  historyId: number | undefined;
}

export interface RowFields {
  snapshotId?: string;
  summary?: OperationSummary;
  bytesAdded?: number;
  totalBytes?: number;
}

export interface JobEnding {
  /** Fields of the jobFinished event beyond the common ones. */
  event?: Partial<ApiEventData<'jobFinished'>>;
  /** Runs after the event went out (end hooks, indexing the new snapshot). */
  after?: () => Promise<void>;
}

export interface JobKindEnd {
  row?(value: unknown): RowFields;
  /** Runs before the jobFinished event goes out, so what it queues is in the event. */
  end?(done: FinishedJob): JobEnding;
}

