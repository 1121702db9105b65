// The backup agent: the composition root of the core and the one implementation of the API
// contract that every face (tray IPC, HTTP, CLI, tests) calls. It builds the parts bottom-up, each
// from the narrow interfaces of ports.ts, and hands them callbacks (emit, statusChanged) instead of
// itself: every import arrow points down from here. Data flows one way: a contract call becomes a
// job, the journal turns the job's events into history rows and events, and status goes out as an
// event to every subscriber.
import { join } from 'node:path';
import type { AgentStatus, ApiEvent, ApiHost, ApiInput, ApiMethod, ApiOutput, ApiResult, SessionRef } from '../api.js';
import { CofreError, type ErrorPayload } from '../errors.js';
import { historyFileName } from '../history/data-dir.js';
import { recoverInterruptedRestores } from '../restore/startup-recovery.js';
import type { HistoryStore } from '../history/store.js';
import type { Locale } from '../i18n/index.js';
import { JobQueue } from '../jobs/index.js';
import { TechnicianAttempts, technicianAttemptsFile } from '../policy/technician-attempts.js';
import { SnapshotIndex } from '../restore/snapshot-index.js';
import { appHandlers } from './app-handlers.js';
import { callContract, describeUnexpected } from './contract-call.js';
import { backupRetry, BackupJobs } from './backup-job.js';
import { Catalog } from './catalog.js';
import { enrollHandler } from './enroll-handler.js';
import { EventHub } from './event-hub.js';
import { fleetHandlers, type FleetAgentDeps } from './fleet-handlers.js';
import { openHistory } from './history-file.js';
import { Engines } from './engines.js';
import { historyHandlers } from './history-handlers.js';
import { importHandlers } from './import-handlers.js';
import { SnapshotIndexer } from './index-job.js';
import { jobHooks } from './job-hooks.js';
import { JobTracker } from './job-tracker.js';
import { jobsHandlers } from './jobs-handlers.js';
import { Journal } from './journal.js';
import type { AgentLog } from './log.js';
import { maintenanceJobs } from './maintenance-job.js';
import { PlanLabels } from './plan-labels.js';
import type { PolicyState } from './policy-state.js';
import type { Handlers } from './ports.js';
import { PreferencesState } from './preferences.js';
import { restoreHandlers } from './restore-handlers.js';
import { RestoreJobs } from './restore-job.js';
import { RetentionJobs } from './retention-job.js';
import { Scheduling } from './scheduling.js';
import { Sessions, type SessionOwner } from './sessions.js';
import { settingsHandlers } from './settings-handlers.js';
import { Settings } from './settings.js';
import { loadAgentState, type AgentOptions, type LoadedState } from './startup.js';
import { agentStatus } from './status.js';

export class Agent implements ApiHost {
  readonly log: AgentLog;
  /** What `cofre fleet --file` needs to audit other machines' repositories. */
  readonly fleet: FleetAgentDeps;
  private readonly events: EventHub;
  private readonly handlers: Handlers;
  private readonly policy: PolicyState;
  private readonly settings: Settings;
  private readonly preferences: PreferencesState;
  private readonly sessions = new Sessions();
  private readonly queue: JobQueue;
  private readonly history: HistoryStore;
  private readonly index: SnapshotIndex;
  private readonly catalog: Catalog;
  private readonly scheduling: Scheduling;
  private readonly status: () => AgentStatus;
  private readonly healedTo: string | null;
  private started = false;
  private interrupted = false;
  private closed = false;

  static async create(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(options, await loadAgentState(options));
    // A restore killed while placing files is rolled back before any new job runs.
    await recoverInterruptedRestores({ dataDir: options.dataDir, history: agent.history, log: agent.log, locale: agent.locale });
    return agent;
  }

  private constructor(options: AgentOptions, loaded: LoadedState) {
    const env = options.env ?? process.env;
    const { log, identity, policy } = loaded;
    const clock = options.clock ?? { now: () => new Date() };
    const retry = options.retry ?? backupRetry;
    const events = (this.events = new EventHub({ log, status: () => this.status() }));
    const emit = (event: ApiEvent) => events.emit(event);
    const statusChanged = () => events.statusChanged();
    this.log = log;
    this.policy = policy;
    this.healedTo = loaded.healedTo;
    this.preferences = new PreferencesState(loaded.preferences, {
      file: join(options.dataDir, 'preferences.json'),
      lockedNotifications: () => policy.lockedNotifications(),
      changed: (prefs) => emit({ type: 'preferencesChanged', data: prefs }),
    });
    const locale = () => this.preferences.locale();
    const isTechnician = (session: SessionRef) => this.isTechnician(session);

    const engines = new Engines({ resticBinary: options.resticBinary ?? env.COFRE_RESTIC ?? 'restic', cacheDir: join(options.cacheDir, 'restic'), secrets: options.secrets, log, env, unreachableGiveUpMs: options.unreachableGiveUpMs });
    const settings = (this.settings = new Settings({ store: loaded.store, policy, secrets: options.secrets, hostname: identity.hostname, loadProblem: loaded.configProblem, onChanged: () => this.onConfigChanged() }));
    const queue = (this.queue = new JobQueue({
      lockDir: join(options.dataDir, 'locks'),
      onUnexpectedError: (error, job) => log.error(`job ${job.kind} ${job.planId ?? job.repoId}: ${describeUnexpected(error)}`),
    }));
    const history = (this.history = openHistory(join(options.dataDir, historyFileName), { log, locale, statusChanged }));
    const labels = new PlanLabels(join(options.dataDir, 'plan-labels.json'));
    // A damaged index is a cache: deleted and rebuilt as snapshots are listed (snapshot-index.ts).
    // Damage found while opening comes before the catalog exists: nothing is cached yet then.
    const indexFile = join(options.cacheDir, 'index.sqlite');
    const onDamaged = (reason: string) => (log.warn(`snapshot index: ${reason}; deleted the damaged ${indexFile}, it is rebuilt as snapshots are listed`), this.catalog?.invalidate());
    const index = (this.index = new SnapshotIndex(indexFile, { onDamaged }));
    const indexer = new SnapshotIndexer({ index, queue, engines });
    const catalog = (this.catalog = new Catalog({ index, indexer, identity, settings, sessions: this.sessions, policy, engines }));

    const tracker = new JobTracker();
    const hooks = jobHooks({ secrets: options.secrets, history, log, locale });
    const retention = new RetentionJobs({ settings, engines, queue, history, catalog, log, hooks });
    const backups = new BackupJobs({
      settings, engines, queue, tracker, catalog, indexer, log, identity, hooks, retry, statusChanged,
      retention: (plan, repo, backupRow, after) => retention.enqueue(plan, repo, backupRow, after),
      longLived: () => this.started,
    });
    const maintenance = maintenanceJobs({ settings, engines, queue, catalog });
    const restores = new RestoreJobs({ catalog, engines, queue, policy, sessions: this.sessions, dataDir: options.dataDir });
    const scheduling = (this.scheduling = new Scheduling({
      settings, history, queue, log, clock, statusChanged,
      runBackup: (plan, trigger) => backups.run(plan, trigger),
      runMaintenance: (kind, repoId, trigger) => maintenance.run(kind, repoId, trigger),
    }));
    // From here on the journal follows the queue: it needs no handle of its own.
    new Journal({
      queue, history, tracker, log, emit, statusChanged, retry,
      kinds: { backup: backups, forget: retention, restore: restores },
      // A finished run moves "last run", and with it the next slot of interval schedules.
      ran: () => void (this.started && scheduling.reschedule()),
      interrupted: () => this.interrupted,
    });
    this.status = () => agentStatus({ settings, policy, history, labels, queue, tracker, scheduling, retry, clock });

    const where = { configPath: options.configPath, policyPath: options.policyPath, dataDir: options.dataDir, cacheDir: options.cacheDir, resticBinary: options.resticBinary, version: options.version, env };
    const connection = { engines, settings, log, env, locale };
    const attempts = new TechnicianAttempts(join(options.dataDir, technicianAttemptsFile), () => clock.now().getTime());
    this.handlers = {
      ...appHandlers({
        version: options.version ?? '0.1.0', identity, policy, engines, settings, preferences: this.preferences, sessions: this.sessions,
        attempts, log, isTechnician, dataProblem: () => this.dataProblem(), runMode: options.runMode ?? 'in-process',
      }),
      ...jobsHandlers({
        status: this.status, policy, settings, queue, labels, statusChanged,
        runBackup: (planId) => backups.run(settings.plan(planId), 'manual').id,
        pause: (until) => scheduling.pause(until),
      }),
      ...historyHandlers({ history, catalog }),
      ...restoreHandlers({ catalog, indexer, policy, locale, runRestore: (session, input) => restores.run(session, input) }),
      ...settingsHandlers({
        ...connection, where, hostname: identity.hostname, policy, catalog, clock,
        runMaintenance: (kind, repoId) => maintenance.run(kind, repoId, 'manual'),
      }),
      ...importHandlers({ settings, policy, log, clock, configPath: options.configPath, env, locale }),
      ...enrollHandler({ ...connection, policy, identity, isTechnician }),
      ...fleetHandlers((this.fleet = { options, log, locale, now: () => clock.now() })),
    } satisfies Handlers;
  }

  get locale(): Locale {
    return this.preferences.locale();
  }

  /** Starts the scheduler (tray app, `cofre run`, `cofre serve`); one-shot CLI commands do not. */
  start(): void {
    this.started = true;
    this.scheduling.start();
  }

  /** `owner`: service mode binds the session to the OS user the socket face identified (issue 13). */
  createSession(options: { technician?: boolean; owner?: SessionOwner } = {}): SessionRef {
    return this.sessions.create(options);
  }

  /** A technician session, or anyone where the policy opens the settings without a technician password. */
  isTechnician(session: SessionRef): boolean {
    // Service mode: settings open without a password would let any local user add a plan over
    // another's files; there only a real technician login (or root's own client) counts.
    return this.sessions.isTechnician(session) || (!this.sessions.owner(session) && !this.policy.technicianPasswordRequired() && this.policy.capabilities().openSettings);
  }

  /** The data dir needed repair at start (a damaged history moved aside); shown to the user. */
  dataProblem(): ErrorPayload | null {
    return this.healedTo ? new CofreError('history.error.damagedMovedAside', { params: { file: this.healedTo } }).toPayload(this.locale) : null;
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** Typed when the method is known at compile time (tests, CLI); faces pass untrusted names and input. */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>, session: SessionRef): Promise<ApiResult<ApiOutput<M>>>;
  call(method: string, input: unknown, session: SessionRef): Promise<ApiResult<unknown>>;
  call(method: string, input: unknown, session: SessionRef): Promise<ApiResult<unknown>> {
    return callContract(this.handlers, method, input, session, { locale: this.locale, log: this.log, isTechnician: (s) => this.isTechnician(s) });
  }

  /** Information the CLI's `policy show` prints (no secret, no hash). */
  describePolicy(): unknown {
    return this.policy.describe();
  }

  /** OS resume: catch up what was missed while asleep, once. */
  onResume(): void {
    this.scheduling.resume();
  }

  /** OS suspend or shutdown: running jobs stop cleanly so the repository stays unlocked. */
  async onSuspend(): Promise<void> {
    this.queue.cancelAll();
    await this.queue.drain(20_000);
  }

  /** A one-shot command stopped by SIGINT/SIGTERM: jobs abort (restic removes its own lock), recorded as interrupted. */
  interrupt(): void {
    this.interrupted = true;
    this.queue.cancelAll();
  }

  async shutdown(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.events.silenceStatus();
    this.scheduling.stop();
    this.queue.cancelAll();
    await this.queue.drain(timeoutMs);
    this.index.close();
    this.history.close();
    this.events.close();
  }

  private onConfigChanged(): void {
    this.scheduling.reschedule();
    this.catalog.invalidate();
    this.events.emit({ type: 'configChanged', data: { modno: this.settings.effective().modno } });
    this.events.statusChanged();
  }
}
