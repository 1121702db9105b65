// The renderer's cache of the agent's truth, as pure functions of (cache, event). The zustand store
// only holds the result; nothing here invents state the agent did not send.
import type { AgentStatus, ApiEvent, ApiEventData, AppInfo } from '../../../electron/core/api.js';
import type { ErrorPayload } from '../../../electron/core/errors.js';

export interface BackupProgressView {
  percentDone: number;
  filesDone: number | null;
  totalFiles: number | null;
  bytesDone: number | null;
  totalBytes: number | null;
  secondsRemaining: number | null;
  currentFile: string | null;
}

export interface JobView {
  jobId: string;
  kind: string;
  planId: string | null;
  progress: BackupProgressView | null;
}

export type JobFinished = ApiEventData<'jobFinished'>;

export interface CacheState {
  appInfo: AppInfo | null;
  status: AgentStatus | null;
  jobs: Record<string, JobView>;
  finished: Record<string, JobFinished>;
  /** Bumped on configChanged so views holding a config copy know to reload it. */
  configVersion: number;
  loadError: ErrorPayload | null;
}

export const emptyCache: CacheState = { appInfo: null, status: null, jobs: {}, finished: {}, configVersion: 0, loadError: null };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Reads the progress record of any job kind: backups send restic's fields (camelCase), restores
 * may send bytes only. percentDone is a fraction 0..1 when restic gives it.
 */
export function toProgressView(progress: Record<string, unknown>): BackupProgressView {
  const totalBytes = num(progress.totalBytes);
  const bytesDone = num(progress.bytesDone);
  let percent = num(progress.percentDone);
  if (percent === null && totalBytes && bytesDone !== null) percent = bytesDone / totalBytes;
  if (percent !== null && percent > 1) percent = percent / 100;
  const current = Array.isArray(progress.currentFiles) ? progress.currentFiles.find((f): f is string => typeof f === 'string') : undefined;
  return {
    percentDone: Math.min(1, Math.max(0, percent ?? 0)),
    filesDone: num(progress.filesDone),
    totalFiles: num(progress.totalFiles),
    bytesDone,
    totalBytes,
    secondsRemaining: num(progress.secondsRemaining),
    currentFile: current ?? (typeof progress.currentFile === 'string' ? progress.currentFile : null),
  };
}

/** Keeps the last N finished jobs so the restore screen can find its report. */
const maxFinished = 50;

export function applyEvent(state: CacheState, event: ApiEvent): CacheState {
  switch (event.type) {
    case 'status':
      return { ...state, status: event.data };
    case 'jobQueued':
      return { ...state, jobs: { ...state.jobs, [event.data.jobId]: { jobId: event.data.jobId, kind: event.data.kind, planId: event.data.planId, progress: null } } };
    case 'jobProgress': {
      const progress = toProgressView(event.data.progress);
      const jobs = { ...state.jobs, [event.data.jobId]: { jobId: event.data.jobId, kind: event.data.kind, planId: event.data.planId, progress } };
      let status = state.status;
      if (status && event.data.kind === 'backup' && event.data.planId) {
        const planId = event.data.planId;
        status = {
          ...status,
          plans: status.plans.map((plan) =>
            plan.planId === planId ? { ...plan, state: 'running', running: { jobId: event.data.jobId, progress: progressToContract(progress, plan.running?.progress ?? null) } } : plan,
          ),
        };
      }
      return { ...state, jobs, status };
    }
    case 'jobFinished': {
      const { [event.data.jobId]: _done, ...jobs } = state.jobs;
      const entries = Object.entries({ ...state.finished, [event.data.jobId]: event.data });
      const finished = Object.fromEntries(entries.slice(-maxFinished));
      return { ...state, jobs, finished };
    }
    case 'configChanged':
      return { ...state, configVersion: state.configVersion + 1 };
    case 'preferencesChanged':
      return state.appInfo ? { ...state, appInfo: { ...state.appInfo, preferences: event.data } } : state;
    default:
      return state;
  }
}

type ContractProgress = NonNullable<NonNullable<AgentStatus['plans'][number]['running']>['progress']>;

function progressToContract(p: BackupProgressView, previous: ContractProgress | null): ContractProgress {
  return {
    percentDone: p.percentDone,
    totalFiles: p.totalFiles ?? previous?.totalFiles ?? 0,
    filesDone: p.filesDone ?? previous?.filesDone ?? 0,
    totalBytes: p.totalBytes ?? previous?.totalBytes ?? 0,
    bytesDone: p.bytesDone ?? previous?.bytesDone ?? 0,
    secondsElapsed: previous?.secondsElapsed ?? 0,
    ...(p.secondsRemaining !== null ? { secondsRemaining: p.secondsRemaining } : {}),
    currentFiles: p.currentFile ? [p.currentFile] : [],
    errorCount: previous?.errorCount ?? 0,
  };
}
