// The backup agent: the composition root of the core. It owns configuration, policy, secrets,
// scheduler, job queue, history and the snapshot index, and it is the one implementation of the
// API contract that every face (tray IPC, HTTP, CLI, tests) calls. Data flows one way: a contract
// call becomes a job, the job's events become history rows and status, and status goes out as an
// event to every subscriber.
import { mkdir } from 'node:fs/promises';
import { hostname as osHostname, homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { api, isApiMethod, type ApiEvent, type ApiHost, type ApiInput, type ApiMethod, type ApiOutput, type ApiParsedInput, type ApiResult, type AppInfo, type Preferences, type SessionRef } from '../api.js';
import type { Config, Plan, Repo } from '../config/backrest-schema.js';
import { ConfigStore, defaultConfig } from '../config/store.js';
import { zodIssuesToProblems, problemToField } from '../config/field-problems.js';
import { exceedsJsonLimits } from '../json-limits.js';
import { CofreError, toErrorPayload, type ErrorPayload, type FailureCause } from '../errors.js';
import { getLocale, setLocale, type Locale } from '../i18n/index.js';
import { JobQueue, type JobInfo, type JobOutcome, type RetryPolicy } from '../jobs/index.js';
import type { SecretStore } from '../secrets/index.js';
import { Engines } from './engines.js';
import { AgentLog } from './log.js';
import { loadPreferences, savePreferences } from './preferences.js';
import { Sessions, type SessionOwner } from './sessions.js';
import { PolicyState } from './policy-state.js';
import { Operations } from './operations.js';
import { Catalog } from './catalog.js';
import { checkHistoryFile, historyFileName, prepareDataDir } from '../history/data-dir.js';
import { handlersFor, type Handlers } from './handlers.js';

export interface AgentOptions {
  configPath: string;
  /** null = ignore any machine policy (tests); undefined = the platform path. */
  policyPath?: string | null;
  dataDir: string;
  cacheDir: string;
  secrets: SecretStore;
  resticBinary?: string;
  locale?: Locale;
  hostname?: string;
  username?: string;
  homeDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Mirror log lines somewhere (stderr for `cofre run --verbose`). */
  logEcho?: (line: string) => void;
  /** Retry policy for transient failures of scheduled and manual backups. */
  retry?: RetryPolicy;
  clock?: { now(): Date };
  version?: string;
}

export interface AgentContext {
  readonly options: AgentOptions;
  readonly log: AgentLog;
  readonly engines: Engines;
  readonly configStore: ConfigStore;
  readonly policy: PolicyState;
  readonly queue: JobQueue;
  readonly operations: Operations;
  readonly catalog: Catalog;
  readonly sessions: Sessions;
  readonly identity: { hostname: string; username: string; homeDir: string };
  now(): Date;
  locale(): Locale;
  config(): Config;
  configProblem(): ErrorPayload | null;
  /** The data dir needed repair at start (a damaged history moved aside); shown to the user. */
  dataProblem?(): ErrorPayload | null;
  setConfigProblem(problem: ErrorPayload | null): void;
  preferences(): Preferences;
  setPreferences(prefs: Preferences): Promise<void>;
  isTechnician(session: SessionRef): boolean;
  plan(planId: string): Plan;
  repo(repoId: string): Repo;
  emit(event: ApiEvent): void;
  statusChanged(): void;
  configChanged(): void;
}

export class Agent implements ApiHost {
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly handlers: Handlers;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  private constructor(readonly context: AgentContext & { setHandlersEmitter(emit: (event: ApiEvent) => void): void }) {
    this.handlers = handlersFor(context);
  }

  static async create(options: AgentOptions): Promise<Agent> {
    const env = options.env ?? process.env;
    // The data dir heals instead of bricking the agent (history/data-dir.ts): one clear message
    // when it cannot be written, private when it is Cofre's, a damaged history moved aside.
    const { madePrivate } = prepareDataDir(options.dataDir);
    await mkdir(options.cacheDir, { recursive: true, mode: 0o700 });
    const log = new AgentLog({ file: join(options.dataDir, 'logs', 'cofre.log'), echo: options.logEcho });
    if (madePrivate) log.info(`data dir ${options.dataDir}: made private (0700, files 0600)`);
    const healed = checkHistoryFile(join(options.dataDir, historyFileName), options.clock?.now() ?? new Date());
    if (healed) {
      log.warn(`history: ${healed.reason}; moved the damaged file to ${healed.movedTo} and started a new history`);
    }
    const identity = {
      hostname: options.hostname ?? osHostname(),
      username: options.username ?? safeUsername(),
      homeDir: options.homeDir ?? homedir(),
    };
    let prefs = await loadPreferences(join(options.dataDir, 'preferences.json'), env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG);
    if (options.locale) prefs = { ...prefs, language: options.locale };
    setLocale(prefs.language);

    const configStore = new ConfigStore({ path: options.configPath, secrets: options.secrets, hostname: identity.hostname });
    let configProblem: ErrorPayload | null = null;
    try {
      const loaded = await configStore.load();
      configProblem = loaded.problem ?? null;
      if (loaded.problem) log.warn(`config: ${loaded.problem.message}${loaded.recoveredFrom ? ` (using ${loaded.recoveredFrom})` : ''}`);
    } catch (error) {
      configProblem = toErrorPayload(error);
      log.error(`config: ${configProblem.message}`);
    }

    const policy = await PolicyState.load(options.policyPath, log);
    const engines = new Engines({ resticBinary: options.resticBinary ?? env.COFRE_RESTIC ?? 'restic', cacheDir: join(options.cacheDir, 'restic'), secrets: options.secrets, log, env });
    const queue = new JobQueue({
      lockDir: join(options.dataDir, 'locks'),
      onUnexpectedError: (error, job) => log.error(`job ${job.kind} ${job.planId ?? job.repoId}: ${describeUnexpected(error)}`),
    });
    const sessions = new Sessions();
    const clock = options.clock ?? { now: () => new Date() };

    let emitter: (event: ApiEvent) => void = () => undefined;
    // eslint-disable-next-line prefer-const -- assigned after the context object exists
    let agent: Agent;
    const context: AgentContext & { setHandlersEmitter(emit: (event: ApiEvent) => void): void } = {
      options,
      log,
      engines,
      configStore,
      policy,
      queue,
      sessions,
      identity,
      operations: undefined as unknown as Operations,
      catalog: undefined as unknown as Catalog,
      now: () => clock.now(),
      locale: () => prefs.language,
      config: () => policy.effective(safeConfig(configStore, identity.hostname)).config,
      configProblem: () => configProblem,
      dataProblem: () => (healed ? new CofreError('history.error.damagedMovedAside', { params: { file: healed.movedTo } }).toPayload(prefs.language) : null),
      setConfigProblem: (problem) => {
        configProblem = problem;
      },
      preferences: () => prefs,
      setPreferences: async (next) => {
        const locked = policy.lockedNotifications();
        prefs = locked ? { ...next, notifications: locked } : next;
        setLocale(prefs.language);
        await savePreferences(join(options.dataDir, 'preferences.json'), prefs);
        emitter({ type: 'preferencesChanged', data: prefs });
      },
      // Service mode: settings open without a password would let any local user add a plan over
      // another's files; there only a real technician login (or root's own client) counts.
      isTechnician: (session) => sessions.isTechnician(session) || (!sessions.owner(session) && !policy.technicianPasswordRequired() && policy.capabilities().openSettings),
      plan: (planId) => {
        const plan = context.config().plans.find((p) => p.id === planId);
        if (!plan) throw new CofreError('agent.planNotFound', { params: { plan: planId } });
        return plan;
      },
      repo: (repoId) => {
        const repo = context.config().repos.find((r) => r.id === repoId);
        if (!repo) throw new CofreError('agent.repoNotFound', { params: { repo: repoId } });
        return repo;
      },
      emit: (event) => emitter(event),
      statusChanged: () => agent.scheduleStatus(),
      configChanged: () => agent.onConfigChanged(),
      setHandlersEmitter: (emit) => {
        emitter = emit;
      },
    };
    (context as { operations: Operations }).operations = new Operations(context, join(options.dataDir, historyFileName));
    (context as { catalog: Catalog }).catalog = new Catalog(context, join(options.cacheDir, 'index.sqlite'));
    agent = new Agent(context);
    context.setHandlersEmitter((event) => agent.emit(event));
    context.operations.wireQueue();
    return agent;
  }

  get locale(): Locale {
    return this.context.locale();
  }

  get log(): AgentLog {
    return this.context.log;
  }

  /** Starts the scheduler (tray app, `cofre run`, `cofre serve`); one-shot CLI commands do not. */
  start(): void {
    this.context.operations.startScheduler();
  }

  /** `owner`: service mode binds the session to the OS user the socket face identified (issue 13). */
  createSession(options: { technician?: boolean; owner?: SessionOwner } = {}): SessionRef {
    return this.context.sessions.create(options);
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Typed when the method is known at compile time (tests, CLI); faces pass untrusted names and input. */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>, session: SessionRef): Promise<ApiResult<ApiOutput<M>>>;
  call(method: string, input: unknown, session: SessionRef): Promise<ApiResult<unknown>>;
  async call(method: string, input: unknown, session: SessionRef): Promise<ApiResult<unknown>> {
    const locale = this.context.locale();
    if (!isApiMethod(method)) {
      return { ok: false, error: new CofreError('error.notFound', { params: { what: String(method).slice(0, 100) } }).toPayload(locale) };
    }
    const def = api[method];
    const invalid = (details: string) => ({ ok: false as const, error: new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details } }).toPayload(locale) });
    if (exceedsJsonLimits(input)) return invalid('nesting');
    let parsed: ReturnType<typeof def.input.safeParse>;
    try {
      parsed = def.input.safeParse(input ?? {});
    } catch {
      // Hostile objects (a `length` that cannot become a number, getters that throw) can make a
      // schema check throw instead of reporting an issue: still just invalid input.
      return invalid(method);
    }
    if (!parsed.success) {
      const fields = zodIssuesToProblems(parsed.error, input).map((problem) => problemToField(problem, locale));
      const details = fields.slice(0, 3).map((f) => `${f.path}: ${f.message}`).join('; ');
      return { ok: false, error: new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details }, fields }).toPayload(locale) };
    }
    try {
      if (def.access === 'technician' && !this.context.isTechnician(session)) throw new CofreError('error.technicianRequired');
      const handler = this.handlers[method] as (input: ApiParsedInput<ApiMethod>, session: SessionRef) => Promise<ApiOutput<ApiMethod>>;
      const value = await handler(parsed.data as ApiParsedInput<ApiMethod>, session);
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof CofreError)) this.context.log.error(`${method}: ${describeUnexpected(error)}`);
      const payload = toErrorPayload(error, locale);
      if (payload.detail) payload.detail = this.context.log.scrub(payload.detail);
      payload.message = this.context.log.scrub(payload.message);
      return { ok: false, error: payload };
    }
  }

  /** Information the CLI's `policy show` prints (no secret, no hash). */
  describePolicy(): unknown {
    return this.context.policy.describe();
  }

  /** OS resume: catch up what was missed while asleep, once. */
  onResume(): void {
    this.context.operations.resumeScheduler();
  }

  /** OS suspend or shutdown: running jobs stop cleanly so the repository stays unlocked. */
  async onSuspend(): Promise<void> {
    this.context.queue.cancelAll();
    await this.context.queue.drain(20_000);
  }

  async shutdown(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.context.operations.stopScheduler();
    this.context.queue.cancelAll();
    await this.context.queue.drain(timeoutMs);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.context.catalog.close();
    this.context.operations.close();
    this.listeners.clear();
  }

  private emit(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.context.log.error(`event listener: ${describeUnexpected(error)}`);
      }
    }
  }

  /** Coalesces bursts (job events, config saves) into one status event. */
  private scheduleStatus(): void {
    if (this.statusTimer || this.closed) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      if (this.closed) return;
      try {
        this.emit({ type: 'status', data: this.context.operations.status() });
      } catch (error) {
        this.context.log.error(`status: ${describeUnexpected(error)}`);
      }
    }, 50);
    this.statusTimer.unref?.();
  }

  private onConfigChanged(): void {
    this.context.operations.rescheduleAll();
    this.context.catalog.invalidate();
    this.emit({ type: 'configChanged', data: { modno: this.context.config().modno } });
    this.scheduleStatus();
  }
}

export type { AppInfo, JobInfo, JobOutcome, FailureCause };

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'user';
  }
}

function safeConfig(store: ConfigStore, hostname: string): Config {
  try {
    return store.get();
  } catch {
    return defaultConfig(hostname);
  }
}

export function describeUnexpected(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export { getLocale };
