// What a hook can see: Backrest's HookVars (Event, Task, Plan, Repo, SnapshotId, SnapshotStats,
// CurTime, Error and the helper methods) plus Cofre's Duration. Built only from safe fields: the
// repository password, REST credentials and env never reach a template or a hook's environment.
import type { HookCondition } from '../config/backrest-schema.js';
import { formatBytes, formatDuration, t, type Locale, type MessageKey } from '../i18n/index.js';
import type { BackupSummary } from '../restic/types.js';

export interface HookEvent {
  condition: HookCondition;
  /** Human name of the task, e.g. `backup for plan "docs"`. */
  task?: string;
  plan?: { id: string; paths?: readonly string[] };
  repo?: { id: string; uri: string };
  snapshotId?: string | null;
  /** Already translated and redacted error text. */
  error?: string;
  durationMs?: number;
  summary?: Partial<BackupSummary>;
  time?: Date;
}

/** Removes `user:password@` from URLs such as `rest:https://user:pw@host/repo`. */
export function stripUriCredentials(uri: string): string {
  return uri.replace(/(\w+:\/\/)[^/\s]*@/g, '$1');
}

/** Quotes a string for POSIX sh (single quotes), like Go's shellescape.Quote. */
export function shellEscape(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  if (text !== '' && /^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

/** RFC 3339 in local time with offset, as Go's time.Format(time.RFC3339). */
export function formatRfc3339(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

/** Go's time.Duration String(): "1h2m3.5s", "1.5s", "250ms". */
export function formatGoDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms === 0) return '0s';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)}ms`;
  let rest = ms / 1000;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const s = Number(rest.toFixed(3)).toString();
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

const eventNames: Partial<Record<HookCondition, string>> = {
  CONDITION_ANY_ERROR: 'error',
  CONDITION_SNAPSHOT_START: 'snapshot start',
  CONDITION_SNAPSHOT_END: 'snapshot end',
  CONDITION_SNAPSHOT_ERROR: 'snapshot error',
  CONDITION_SNAPSHOT_WARNING: 'snapshot warning',
  CONDITION_SNAPSHOT_SUCCESS: 'snapshot success',
  CONDITION_SNAPSHOT_SKIPPED: 'snapshot skipped',
  CONDITION_PRUNE_START: 'prune start',
  CONDITION_PRUNE_ERROR: 'prune error',
  CONDITION_PRUNE_SUCCESS: 'prune success',
  CONDITION_CHECK_START: 'check start',
  CONDITION_CHECK_ERROR: 'check error',
  CONDITION_CHECK_SUCCESS: 'check success',
  CONDITION_FORGET_START: 'forget start',
  CONDITION_FORGET_ERROR: 'forget error',
  CONDITION_FORGET_SUCCESS: 'forget success',
};

export function eventName(condition: unknown): string {
  return eventNames[condition as HookCondition] ?? 'unknown';
}

/** restic's JSON names (snake_case); the template lookup also accepts Go's `FilesNew` style. */
function snapshotStats(summary: Partial<BackupSummary> | undefined, snapshotId: string): Record<string, unknown> | undefined {
  if (!summary) return undefined;
  return {
    files_new: summary.filesNew,
    files_changed: summary.filesChanged,
    files_unmodified: summary.filesUnmodified,
    dirs_new: summary.dirsNew,
    dirs_changed: summary.dirsChanged,
    dirs_unmodified: summary.dirsUnmodified,
    data_blobs: summary.dataBlobs,
    tree_blobs: summary.treeBlobs,
    data_added: summary.dataAdded,
    total_files_processed: summary.totalFilesProcessed,
    total_bytes_processed: summary.totalBytesProcessed,
    total_duration: summary.totalDuration,
    snapshot_id: snapshotId,
  };
}

function operationOf(condition: HookCondition): 'prune' | 'check' | 'forget' | undefined {
  const match = /^CONDITION_(PRUNE|CHECK|FORGET)_/.exec(condition);
  return match ? (match[1]!.toLowerCase() as 'prune' | 'check' | 'forget') : undefined;
}

/** The default human summary (`{{ .Summary }}`), in the user's language. */
export function defaultSummary(event: HookEvent, locale?: Locale): string {
  const plan = event.plan?.id ?? '';
  const repo = event.repo?.id ?? '';
  const error = event.error ?? '';
  const say = (key: MessageKey, params: Record<string, string | number> = {}) => t(key, { plan, repo, error, ...params }, locale);
  const c = event.condition;
  const operation = operationOf(c);
  if (operation) {
    const name = t(`hooks.operation.${operation}` as MessageKey, undefined, locale);
    if (c.endsWith('_START')) return say('hooks.summary.operationStart', { operation: name });
    if (c.endsWith('_ERROR')) return say('hooks.summary.operationError', { operation: name });
    return say('hooks.summary.operationSuccess', { operation: name });
  }
  switch (c) {
    case 'CONDITION_SNAPSHOT_START':
      return say('hooks.summary.snapshotStart');
    case 'CONDITION_SNAPSHOT_SKIPPED':
      return say('hooks.summary.snapshotSkipped');
    case 'CONDITION_SNAPSHOT_WARNING':
      return say('hooks.summary.snapshotWarning');
    case 'CONDITION_ANY_ERROR':
    case 'CONDITION_SNAPSHOT_ERROR':
      return say('hooks.summary.snapshotError');
    case 'CONDITION_SNAPSHOT_END':
    case 'CONDITION_SNAPSHOT_SUCCESS':
      if (error && c === 'CONDITION_SNAPSHOT_END') return say('hooks.summary.snapshotError');
      if (!event.summary) return say('hooks.summary.snapshotDone', { snapshot: event.snapshotId ?? '' });
      return say('hooks.summary.snapshotSuccess', {
        snapshot: event.snapshotId ?? '',
        added: formatBytes(event.summary.dataAdded ?? 0, locale),
        files: event.summary.totalFilesProcessed ?? 0,
        duration: formatDuration(event.durationMs ?? (event.summary.totalDuration ?? 0) * 1000, locale),
      });
    default:
      return say('hooks.summary.unknown');
  }
}

/** The object templates are rendered against. Methods are plain functions (Go methods on HookVars). */
export function templateData(event: HookEvent, locale?: Locale): Record<string, unknown> {
  const snapshotId = event.snapshotId ?? '';
  const curTime = event.time ?? new Date();
  return {
    Task: event.task ?? '',
    Event: event.condition,
    Plan: event.plan ? { Id: event.plan.id, Repo: event.repo?.id ?? '', Paths: [...(event.plan.paths ?? [])] } : undefined,
    Repo: event.repo ? { Id: event.repo.id, Uri: stripUriCredentials(event.repo.uri) } : undefined,
    SnapshotId: snapshotId,
    SnapshotStats: snapshotStats(event.summary, snapshotId),
    CurTime: curTime,
    Error: event.error ?? '',
    Duration: formatGoDuration(event.durationMs),
    DurationMs: event.durationMs,
    Summary: () => defaultSummary(event, locale),
    EventName: (condition: unknown) => eventName(condition ?? event.condition),
    IsError: (condition: unknown) => String(condition ?? event.condition).endsWith('_ERROR'),
    FormatTime: (value: unknown) => formatRfc3339(value),
    FormatSizeBytes: (value: unknown) => (Number.isFinite(Number(value)) ? formatBytes(Number(value), locale) : ''),
    FormatDuration: (ms: unknown) => formatGoDuration(Number(ms)),
    ShellEscape: (value: unknown) => shellEscape(value),
    JsonMarshal: (value: unknown) => JSON.stringify(value ?? null),
  };
}

/** Environment given to command hooks (in addition to the agent's own, minus restic variables). */
export function hookEnvironment(event: HookEvent): Record<string, string> {
  return {
    COFRE_CONDITION: event.condition,
    COFRE_EVENT: eventName(event.condition),
    COFRE_TASK: event.task ?? '',
    COFRE_PLAN_ID: event.plan?.id ?? '',
    COFRE_REPO_ID: event.repo?.id ?? '',
    COFRE_REPO_URI: event.repo ? stripUriCredentials(event.repo.uri) : '',
    COFRE_SNAPSHOT_ID: event.snapshotId ?? '',
    COFRE_ERROR: event.error ?? '',
    COFRE_DURATION_MS: event.durationMs === undefined ? '' : String(Math.round(event.durationMs)),
  };
}
