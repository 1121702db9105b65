// A real Agent for fault tests, with everything the user could see captured: every event, every
// call result, CLI output. The capture is what the secret scan reads at the end of each file, and
// what the assertions read during the test. No mocks: real restic, real REST servers.
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Agent } from '../../electron/core/agent/agent.js';
import type { ApiEvent, ApiEventData, ApiResult, SessionRef } from '../../electron/core/api.js';
import type { ConfigInput } from '../../electron/core/config/store.js';
import type { RetryPolicy } from '../../electron/core/jobs/index.js';
import { MemorySecretStore, type SecretStore } from '../../electron/core/secrets/index.js';

/** Distinctive secrets: any of them (or its URL-encoded form) found in captured output is a leak. */
export const faultSecrets = {
  repoPassword: 'Repo-Fault-Pw-9Tq4Xw2Lm',
  restUser: 'cofre-fault',
  // '+' and '/' make restic 0.14 (credentials in the URL) percent-encode it: both forms are scanned.
  restPassword: 'Rest-Fault+Pw/3Hk8Vn5Zc',
  envName: 'COFRE_FAULT_API_TOKEN',
  envSecret: 'Env-Fault-Token-6Rb1Yp7Ds',
  wrongPassword: 'Wrong-Fault-Pw-2Gd7Kq1Sx',
} as const;

export const secretValues = [faultSecrets.repoPassword, faultSecrets.restPassword, faultSecrets.envSecret, faultSecrets.wrongPassword];

export type JobFinished = ApiEventData<'jobFinished'>;
export type AgentStatus = ApiEventData<'status'>;

/** Everything a person (or a support bundle) could see, labelled by where it came from. */
export class Capture {
  readonly items: Array<{ where: string; text: string }> = [];
  add(where: string, value: unknown): void {
    this.items.push({ where, text: typeof value === 'string' ? value : JSON.stringify(value) });
  }
}

export interface RepoOptions {
  id: string;
  uri: string;
  password?: string;
  /** Basic Auth credentials for the REST server (restic reads them from the env, Cofre adapts for 0.14). */
  rest?: { user: string; password: string };
  caCertFile?: string;
  extraEnv?: string[];
  autoUnlock?: boolean;
}

export function repoConfig(opts: RepoOptions): Record<string, unknown> {
  const env = [`${faultSecrets.envName}=${faultSecrets.envSecret}`, ...(opts.extraEnv ?? [])];
  if (opts.rest) env.push(`RESTIC_REST_USERNAME=${opts.rest.user}`, `RESTIC_REST_PASSWORD=${opts.rest.password}`);
  if (opts.caCertFile) env.push(`RESTIC_CACERT=${opts.caCertFile}`);
  return {
    id: opts.id,
    uri: opts.uri,
    password: opts.password ?? faultSecrets.repoPassword,
    env,
    flags: [],
    autoInitialize: true,
    ...(opts.autoUnlock !== undefined ? { autoUnlock: opts.autoUnlock } : {}),
  };
}

export function planConfig(id: string, repo: string, paths: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, repo, paths, schedule: { disabled: true }, retention: { policyKeepAll: true }, ...extra };
}

export function configWith(repos: Record<string, unknown>[], plans: Record<string, unknown>[], instance = 'fault-pc'): ConfigInput {
  return { modno: 1, version: 6, instance, repos, plans } as ConfigInput;
}

/** config.json as a Backrest-style file with passwords inside; Cofre moves them out on load. */
export async function writeConfigFile(file: string, config: ConfigInput): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

export interface RigOptions {
  dataDir: string;
  resticBin: string;
  config?: ConfigInput;
  retry?: RetryPolicy;
  homeDir?: string;
  hostname?: string;
  policyPath?: string | null;
  secrets?: SecretStore;
  capture?: Capture;
  locale?: 'en' | 'pt-BR';
}

export interface AgentRig {
  agent: Agent;
  session: SessionRef;
  dataDir: string;
  configPath: string;
  capture: Capture;
  events: ApiEvent[];
  /** Calls the contract and records the result; returns the raw envelope. */
  call(method: string, input: unknown, session?: SessionRef): Promise<ApiResult<unknown>>;
  /** Calls and expects ok: the value, or throws with the error payload. */
  ok<T = unknown>(method: string, input: unknown, session?: SessionRef): Promise<T>;
  /** Resolves with the jobFinished event of `jobId` (already received or future). */
  finished(jobId: string, timeoutMs?: number): Promise<JobFinished>;
  finishedEvents(jobId?: string): JobFinished[];
  statusEvents(): AgentStatus[];
  close(): Promise<void>;
}

export async function startAgent(opts: RigOptions): Promise<AgentRig> {
  const configPath = join(opts.dataDir, 'config.json');
  if (opts.config) await writeConfigFile(configPath, opts.config);
  const capture = opts.capture ?? new Capture();
  const agent = await Agent.create({
    configPath,
    policyPath: opts.policyPath ?? null,
    dataDir: opts.dataDir,
    cacheDir: join(opts.dataDir, 'cache'),
    secrets: opts.secrets ?? new MemorySecretStore(),
    resticBinary: opts.resticBin,
    locale: opts.locale ?? 'en',
    hostname: opts.hostname ?? 'fault-pc',
    ...(opts.homeDir ? { homeDir: opts.homeDir } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
  });
  const events: ApiEvent[] = [];
  const waiters = new Map<string, (data: JobFinished) => void>();
  agent.subscribe((event) => {
    events.push(event);
    capture.add(`event ${event.type}`, event.data);
    if (event.type === 'jobFinished') waiters.get(event.data.jobId)?.(event.data);
  });
  const session = agent.createSession();
  const finishedEvents = (jobId?: string): JobFinished[] =>
    events.filter((e): e is Extract<ApiEvent, { type: 'jobFinished' }> => e.type === 'jobFinished').map((e) => e.data).filter((d) => !jobId || d.jobId === jobId);
  const rig: AgentRig = {
    agent,
    session,
    dataDir: opts.dataDir,
    configPath,
    capture,
    events,
    async call(method, input, s = session) {
      const result = await agent.call(method, input, s);
      capture.add(`result ${method}`, result);
      return result;
    },
    async ok<T>(method: string, input: unknown, s = session): Promise<T> {
      const result = await rig.call(method, input, s);
      if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
      return result.value as T;
    },
    finished(jobId, timeoutMs = 120_000) {
      const early = finishedEvents(jobId)[0];
      if (early) return Promise.resolve(early);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`job ${jobId} did not finish within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(jobId, (data) => {
          clearTimeout(timer);
          resolve(data);
        });
      });
    },
    finishedEvents,
    statusEvents: () => events.filter((e): e is Extract<ApiEvent, { type: 'status' }> => e.type === 'status').map((e) => e.data),
    async close() {
      await agent.shutdown(20_000);
    },
  };
  return rig;
}

/** Starts a backup through the contract and waits for its end. */
export async function backupNow(rig: AgentRig, planId: string, timeoutMs = 120_000): Promise<{ jobId: string; finished: JobFinished }> {
  const { jobId } = await rig.ok<{ jobId: string }>('runBackup', { planId });
  return { jobId, finished: await rig.finished(jobId, timeoutMs) };
}

export interface HistoryRow {
  id: number;
  type: string;
  plan_id: string | null;
  repo_id: string;
  status: string;
  cause: string | null;
  message: string | null;
  detail: string | null;
  snapshot_id: string | null;
  pid: number | null;
}

/** The history database as a separate reader sees it (what another face or a support bundle reads). */
export function readHistory(dataDir: string): HistoryRow[] {
  const db = new Database(join(dataDir, 'history.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT * FROM operations ORDER BY id').all() as HistoryRow[];
  } finally {
    db.close();
  }
}

/** Every row of every table of a SQLite file, as text, for the secret scan. */
export function dumpSqlite(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
    return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all())).join('\n');
  } finally {
    db.close();
  }
}

/** Polls `probe` until it returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs: number, what: string, intervalMs = 50): Promise<Exclude<T, undefined | false>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Child processes of `parentPid` whose command name is `name` (Linux /proc). */
export async function childProcesses(parentPid: number, name: string): Promise<Array<{ pid: number; cmdline: string }>> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // comm may contain spaces and parentheses: fields after the last ')' are fixed.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parentPid || comm !== name) continue;
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ');
      found.push({ pid: Number(entry), cmdline });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Descendants of `rootPid` (any depth) named `name`. */
export async function descendantProcesses(rootPid: number, name: string): Promise<Array<{ pid: number; cmdline: string }>> {
  const result: Array<{ pid: number; cmdline: string }> = [];
  const parents = [rootPid];
  const seen = new Set<number>();
  while (parents.length > 0) {
    const parent = parents.pop() as number;
    if (seen.has(parent)) continue;
    seen.add(parent);
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== parent) continue;
        parents.push(Number(entry));
        if (comm === name) result.push({ pid: Number(entry), cmdline: (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ') });
      } catch {
        // gone
      }
    }
  }
  return result;
}
