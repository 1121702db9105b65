// The narrow view of the restic engine the restore domain needs. `ResticEngine` satisfies it
// structurally; unit tests feed in-memory node streams.
import type { LsNode, NodeType, RestoreProgress, RestoreRequest, RestoreResult, Snapshot } from '../restic/types.js';

export interface SnapshotLister {
  /** Streams every node of a snapshot with absolute POSIX paths. */
  ls(snapshotId: string, options?: { signal?: AbortSignal }): AsyncIterable<LsNode>;
}

export interface SnapshotRestorer {
  /** Restores `include` into `target` (empty or absent), recreating full snapshot paths below it. */
  restore(
    request: RestoreRequest,
    options?: { signal?: AbortSignal; onProgress?: (progress: RestoreProgress) => void },
  ): Promise<RestoreResult>;
}

export type SnapshotSource = SnapshotLister & SnapshotRestorer;

/** What the index keeps about a snapshot; the engine's `Snapshot` fits. */
export type SnapshotMeta = Pick<Snapshot, 'id' | 'time' | 'hostname'> & Partial<Pick<Snapshot, 'shortId' | 'username' | 'paths' | 'tags'>>;

export interface IndexedSnapshot {
  id: string;
  shortId: string;
  time: string;
  hostname: string;
  username: string;
  paths: string[];
  tags: string[];
  nodeCount: number;
  fileCount: number;
  totalSize: number;
  buildMs: number;
}

export interface IndexBuildProgress {
  snapshotId: string;
  nodes: number;
}

export interface Entry {
  name: string;
  path: string;
  type: NodeType;
  size: number;
  /** ISO 8601, millisecond precision. */
  mtime: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export type ChildSort = 'name' | 'size' | 'mtime' | 'type';

export interface ListChildrenOptions {
  sort?: ChildSort;
  direction?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface SearchOptions {
  /** Limit the search to these snapshots (default: every indexed snapshot in scope). */
  snapshotIds?: string[];
  limit?: number;
  offset?: number;
}

/** One path matching a search, described by its newest snapshot among those searched. */
export interface SearchHit extends Entry {
  snapshotId: string;
  snapshotTime: string;
  /** In how many of the searched snapshots this path appears. */
  snapshotCount: number;
}

export interface SearchPage extends Page<SearchHit> {
  /** False when counting stopped at the cap: `total` is then a lower bound ("more than 10,000"). */
  totalExact: boolean;
}

export interface FileVersion {
  size: number;
  mtime: string;
  type: NodeType;
  /** Newest first. */
  snapshots: Array<{ id: string; time: string }>;
}

export interface SelectionItem {
  path: string;
  type: NodeType;
  /** Regular files inside (1 for a file). */
  files: number;
  /** Bytes of the regular files inside. */
  bytes: number;
}
