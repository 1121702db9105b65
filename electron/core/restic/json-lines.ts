// restic's --json output, one object per line, parsed defensively: restic mixes plain text lines
// (warnings, "does not exist, skipping") into both streams, and the shapes changed across versions.
import type { BackupFileError, BackupProgress, BackupSummary, RestoreProgress } from './types.js';

export type JsonRecord = Record<string, unknown>;

/** A JSON object from one line, or undefined for anything else (text, arrays, broken JSON). */
export function parseJsonLine(line: string): JsonRecord | undefined {
  const text = line.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export type BackupMessage =
  | { kind: 'status'; progress: Omit<BackupProgress, 'errorCount'> }
  | { kind: 'error'; error: BackupFileError }
  | { kind: 'summary'; summary: BackupSummary }
  | { kind: 'exit_error'; code: number; message: string };

/** 0.17.1+ prints `"error":{"message":...}`; 0.14 prints `{}` or Go's PathError fields. */
function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (!error || typeof error !== 'object') return '';
  const e = error as JsonRecord;
  if (typeof e.message === 'string') return e.message;
  if (typeof e.Op === 'string') {
    const errno = typeof e.Err === 'number' ? ` (errno ${e.Err})` : '';
    return `${e.Op} ${str(e.Path)}${errno}`.trim();
  }
  return '';
}

export function toBackupSummary(o: JsonRecord): BackupSummary {
  return {
    snapshotId: typeof o.snapshot_id === 'string' && o.snapshot_id ? o.snapshot_id : null,
    filesNew: num(o.files_new),
    filesChanged: num(o.files_changed),
    filesUnmodified: num(o.files_unmodified),
    dirsNew: num(o.dirs_new),
    dirsChanged: num(o.dirs_changed),
    dirsUnmodified: num(o.dirs_unmodified),
    dataBlobs: num(o.data_blobs),
    treeBlobs: num(o.tree_blobs),
    dataAdded: num(o.data_added),
    totalFilesProcessed: num(o.total_files_processed),
    totalBytesProcessed: num(o.total_bytes_processed),
    totalDuration: num(o.total_duration),
  };
}

export function parseBackupLine(line: string): BackupMessage | undefined {
  const o = parseJsonLine(line);
  if (!o) return undefined;
  switch (o.message_type) {
    case 'status':
      return {
        kind: 'status',
        progress: {
          percentDone: Math.min(1, Math.max(0, num(o.percent_done))),
          totalFiles: num(o.total_files),
          filesDone: num(o.files_done),
          totalBytes: num(o.total_bytes),
          bytesDone: num(o.bytes_done),
          secondsElapsed: num(o.seconds_elapsed),
          ...(typeof o.seconds_remaining === 'number' ? { secondsRemaining: o.seconds_remaining } : {}),
          currentFiles: Array.isArray(o.current_files) ? o.current_files.filter((f): f is string => typeof f === 'string') : [],
        },
      };
    case 'error':
      return { kind: 'error', error: { during: str(o.during), item: str(o.item), message: errorText(o.error) } };
    case 'summary':
      return { kind: 'summary', summary: toBackupSummary(o) };
    case 'exit_error':
      return { kind: 'exit_error', code: num(o.code), message: str(o.message) };
    default:
      return undefined;
  }
}

export type RestoreMessage =
  | { kind: 'status'; progress: RestoreProgress }
  | { kind: 'summary'; filesRestored: number; bytesRestored: number };

export function parseRestoreLine(line: string): RestoreMessage | undefined {
  const o = parseJsonLine(line);
  if (!o) return undefined;
  if (o.message_type === 'status') {
    return {
      kind: 'status',
      progress: {
        percentDone: Math.min(1, Math.max(0, num(o.percent_done))),
        totalFiles: num(o.total_files),
        filesRestored: num(o.files_restored),
        totalBytes: num(o.total_bytes),
        bytesRestored: num(o.bytes_restored),
      },
    };
  }
  if (o.message_type === 'summary') return { kind: 'summary', filesRestored: num(o.files_restored), bytesRestored: num(o.bytes_restored) };
  return undefined;
}
