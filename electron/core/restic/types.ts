// Typed shapes of what restic prints with --json, normalised across 0.14 .. current.

export interface ResticVersion {
  version: string; // "0.18.0"
  major: number;
  minor: number;
  patch: number;
}

export interface Capabilities {
  version: ResticVersion;
  /** RESTIC_REST_USERNAME / RESTIC_REST_PASSWORD are read (0.16.1+). */
  restCredentialsEnv: boolean;
  /** `restore --json` prints progress and a summary (0.16.0+). */
  restoreJson: boolean;
  /** `restore <snapshot>:<subfolder>` (0.16.0+). */
  restoreSubfolder: boolean;
  /** `--retry-lock` global flag (0.16.0+). */
  retryLock: boolean;
  /** `backup --skip-if-unchanged` (0.17.0+). */
  skipIfUnchanged: boolean;
  /** `restore --overwrite`, `--delete`, `--dry-run` (0.17.0+). */
  restoreOverwrite: boolean;
  /** Exit codes 10 (no repository) and 11 (lock failed) (0.17.0+). */
  exitCodes10and11: boolean;
  /** Exit code 12 (wrong password) (0.17.1+). */
  exitCode12: boolean;
  /** backup summary carries the full snapshot id (0.15.0+). */
  fullSnapshotIdInSummary: boolean;
  /** `check --json` (0.18.0+). */
  checkJson: boolean;
  /**
   * Informative only, always true. Verified on 0.14.0 and 0.18.0: both print the paths stored in
   * the tree, absolute when the backup was given absolute paths and relative to the working
   * directory otherwise. ResticEngine.ls/find map both cases to absolute paths on every version.
   */
  lsAbsolutePaths: boolean;
}

/** A repository with its secrets resolved: what the engine needs to reach it. */
export interface RepoTarget {
  id: string;
  uri: string;
  password: string;
  /** Extra environment (Backrest `env`, already `${VAR}`-expanded). Values are treated as secrets. */
  env: Record<string, string>;
  /** Extra global arguments: Backrest `flags`, already `${VAR}`-expanded and shell-split (repoFlagArgs). */
  flags: string[];
  restUsername?: string;
  restPassword?: string;
  /** PEM file of a private CA for the REST server (passed as --cacert). */
  caCertFile?: string;
}

export interface BackupRequest {
  planId: string;
  instance: string;
  paths: string[];
  excludes?: string[];
  iexcludes?: string[];
  /** Backrest `backup_flags` entries as written; each is shell-split into arguments. */
  extraFlags?: string[];
  host?: string;
  skipIfUnchanged?: boolean;
  extraTags?: string[];
}

export interface BackupProgress {
  percentDone: number; // 0..1
  totalFiles: number;
  filesDone: number;
  totalBytes: number;
  bytesDone: number;
  secondsElapsed: number;
  secondsRemaining?: number;
  currentFiles: string[];
  errorCount: number;
}

export interface BackupFileError {
  during: string;
  item: string;
  message: string;
}

export interface BackupSummary {
  snapshotId: string | null; // full id when restic prints it, short id on 0.14, null when skipped
  filesNew: number;
  filesChanged: number;
  filesUnmodified: number;
  dirsNew: number;
  dirsChanged: number;
  dirsUnmodified: number;
  dataBlobs: number;
  treeBlobs: number;
  dataAdded: number;
  totalFilesProcessed: number;
  totalBytesProcessed: number;
  totalDuration: number; // seconds
}

export interface BackupResult {
  /**
   * 'partial': snapshot made but some files unreadable (exit 3). 'source-missing': snapshot made
   * of what exists, but source paths of the plan are gone (0.14/0.18 exit 0 and only log it,
   * 0.19 exits 3); the paths are in `missingPaths`. Unreadable files win over missing sources.
   */
  outcome: 'success' | 'partial' | 'source-missing';
  summary: BackupSummary;
  fileErrors: BackupFileError[];
  /** Source paths restic skipped because they do not exist (every version says "... does not exist, skipping"). */
  missingPaths: string[];
}

export interface Snapshot {
  id: string;
  shortId: string;
  time: string; // ISO
  hostname: string;
  username: string;
  paths: string[];
  tags: string[];
  parent?: string;
  tree: string;
  programVersion?: string;
  summary?: Partial<BackupSummary>;
}

export interface SnapshotFilter {
  host?: string;
  /** Each entry is one --tag argument (comma = AND within an entry). */
  tags?: string[];
  paths?: string[];
}

export type NodeType = 'file' | 'dir' | 'symlink' | 'dev' | 'chardev' | 'fifo' | 'socket' | 'irregular';

/** One `ls --json` node with its path made absolute (POSIX form; Windows drives as `/C/...`). */
export interface LsNode {
  name: string;
  type: NodeType;
  path: string;
  size: number;
  mtime: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface FindMatch {
  snapshotId: string;
  path: string;
  type: NodeType;
  size: number;
  mtime: string;
}

export interface RetentionFlags {
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
}

export interface ForgetResult {
  kept: string[];
  removed: string[];
}

export interface RestoreRequest {
  snapshotId: string;
  /** Absolute snapshot paths to restore (files or folders). Empty = whole snapshot. */
  include: string[];
  /** Must be an empty (or not yet existing) staging folder. */
  target: string;
}

export interface RestoreProgress {
  percentDone: number;
  totalFiles: number;
  filesRestored: number;
  totalBytes: number;
  bytesRestored: number;
}

export interface RestoreResult {
  filesRestored: number;
  bytesRestored: number;
}

export interface Stats {
  totalSize: number;
  totalFileCount: number;
  snapshotsCount?: number;
  totalBlobCount?: number;
}
