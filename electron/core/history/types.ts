// Shapes of the operation history. Dates leave the store as ISO strings and absent values as null,
// the same shape as `operationSchema` in api.ts, so rows go to every face unchanged.
import { jobKinds, type JobTrigger } from '../api.js';
import type { FailureCause } from '../errors.js';

/** Every job kind, plus the hook runs recorded beside the job they belong to. */
// 'notice': something Cofre tells the user about itself (its history file was deleted under it).
export const operationTypes = [...jobKinds, 'hook', 'notice'] as const;
export type OperationType = (typeof operationTypes)[number];

export const operationStatuses = ['pending', 'running', 'success', 'warning', 'failure', 'cancelled', 'interrupted'] as const;
export type OperationStatus = (typeof operationStatuses)[number];
export type FinishedStatus = Exclude<OperationStatus, 'pending' | 'running'>;
export const unfinishedStatuses: readonly OperationStatus[] = ['pending', 'running'];

// Jobs record their trigger; hooks record the condition that fired them (CONDITION_SNAPSHOT_START, ...).
export type OperationTrigger = JobTrigger | (string & {});

/** Free-form numbers from restic's summary (files new/changed, bytes added, total bytes processed, ...). */
export type OperationSummary = Record<string, unknown>;

export interface Operation {
  id: number;
  type: OperationType;
  planId: string | null;
  repoId: string;
  snapshotId: string | null;
  status: OperationStatus;
  trigger: OperationTrigger;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  bytesAdded: number | null;
  totalBytes: number | null;
  cause: FailureCause | null;
  message: string | null;
  /** Already-redacted technical text (restic's output); the store keeps exactly what it is given. */
  detail: string | null;
  summary: OperationSummary | null;
  /** The process that owns a pending/running row, so a crashed one can be told apart. */
  pid: number | null;
}

export type DateInput = Date | string | number;

export interface NewOperation {
  type: OperationType;
  planId?: string | null;
  repoId: string;
  snapshotId?: string | null;
  status?: OperationStatus;
  trigger: OperationTrigger;
  startedAt?: DateInput;
  summary?: OperationSummary | null;
  bytesAdded?: number | null;
  totalBytes?: number | null;
  cause?: FailureCause | null;
  message?: string | null;
  detail?: string | null;
}

export type OperationPatch = Partial<Pick<NewOperation, 'snapshotId' | 'status' | 'summary' | 'bytesAdded' | 'totalBytes' | 'cause' | 'message' | 'detail'>>;

export interface FinishInput extends OperationPatch {
  status: FinishedStatus;
  endedAt?: DateInput;
}

export interface HistoryQuery {
  planId?: string;
  repoId?: string;
  type?: OperationType;
  status?: OperationStatus;
  since?: DateInput;
  until?: DateInput;
  /** Page size (1..1000, default 50). */
  limit?: number;
  offset?: number;
  /** From a previous page's `nextCursor`: stable under concurrent inserts, unlike offset. */
  cursor?: string;
}

export interface HistoryPage {
  items: Operation[];
  total: number;
  nextCursor: string | null;
}

/**
 * What the status needs per plan, each "last" by the order rows were recorded (their id), never by
 * wall time alone: a row written while the clock ran ahead must not outrank later ones.
 */
export interface PlanHistory {
  /** Last *completed* backup (success, warning or failure): the one health is judged by. */
  lastAttempt: Operation | null;
  /** Last finished backup of any outcome (interrupted and cancelled included), shown as such. */
  latest?: Operation | null;
  /** Latest `success` or `warning` backup: a partial backup still made a snapshot. */
  lastSuccess: Operation | null;
  /** Shortcuts: start of the two operations above (ISO) or null. */
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
}

/** Start of the latest check and prune of a repository (any outcome, running included), ISO or null. */
export interface RepoMaintenance {
  check: string | null;
  prune: string | null;
}

export interface RetentionLimits {
  keepDays: number;
  keepMax: number;
}

export const defaultHistoryRetention: RetentionLimits = { keepDays: 365, keepMax: 100_000 };
