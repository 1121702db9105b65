// What the agent reads from disk before its parts are built: the data dir (healed if need be),
// the log, the preferences, the config (with the problem found loading it) and the machine policy.
import { mkdir } from 'node:fs/promises';
import { hostname as osHostname, homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { AgentRunMode } from '../api.js';
import { ConfigStore } from '../config/store.js';
import { toErrorPayload, type ErrorPayload } from '../errors.js';
import { checkHistoryFile, historyFileName, prepareDataDir } from '../history/data-dir.js';
import { setLocale, type Locale } from '../i18n/index.js';
import type { RetryPolicy } from '../jobs/index.js';
import type { SecretStore } from '../secrets/index.js';
import { AgentLog } from './log.js';
import { PolicyState } from './policy-state.js';
import type { Identity } from './ports.js';
import { loadPreferences } from './preferences.js';

/** in-process: inside one user's tray or CLI; serve: `cofre serve`; service: once per machine (the contract's agentMode). */
export type { AgentRunMode } from '../api.js';

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
  /** Where cofre.log goes; default `<dataDir>/logs` (the service uses /var/log/cofre). */
  logDir?: string;
  /** How this agent runs, so each face can say which agent it talks to (default in-process). */
  runMode?: AgentRunMode;
  /** Retry policy for transient failures of scheduled and manual backups. */
  retry?: RetryPolicy;
  /** How long restic may wait for an unreachable server within one job attempt (default 120 s). */
  unreachableGiveUpMs?: number;
  clock?: { now(): Date };
  version?: string;
}

/** What `Agent.create` reads from disk before the parts are built. */
export interface LoadedState {
  log: AgentLog;
  identity: Identity;
  preferences: Awaited<ReturnType<typeof loadPreferences>>;
  store: ConfigStore;
  configProblem: ErrorPayload | null;
  policy: PolicyState;
  /** The damaged history moved aside at start, if any. */
  healedTo: string | null;
}

export async function loadAgentState(options: AgentOptions): Promise<LoadedState> {
  const env = options.env ?? process.env;
  // The data dir heals instead of bricking the agent (history/data-dir.ts): one clear message
  // when it cannot be written, private when it is Cofre's, a damaged history moved aside.
  const { madePrivate } = prepareDataDir(options.dataDir);
  await mkdir(options.cacheDir, { recursive: true, mode: 0o700 });
  const log = new AgentLog({ file: join(options.logDir ?? join(options.dataDir, 'logs'), 'cofre.log'), echo: options.logEcho });
  if (madePrivate) log.info(`data dir ${options.dataDir}: made private (0700, files 0600)`);
  const healed = checkHistoryFile(join(options.dataDir, historyFileName), options.clock?.now() ?? new Date());
  if (healed) log.warn(`history: ${healed.reason}; moved the damaged file to ${healed.movedTo} and started a new history`);
  const identity = {
    hostname: options.hostname ?? osHostname(),
    username: options.username ?? safeUsername(),
    homeDir: options.homeDir ?? homedir(),
  };
  let preferences = await loadPreferences(join(options.dataDir, 'preferences.json'), env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG);
  if (options.locale) preferences = { ...preferences, language: options.locale };
  setLocale(preferences.language);

  const store = new ConfigStore({ path: options.configPath, secrets: options.secrets, hostname: identity.hostname });
  let configProblem: ErrorPayload | null = null;
  try {
    const loaded = await store.load();
    configProblem = loaded.problem ?? null;
    if (loaded.problem) log.warn(`config: ${loaded.problem.message}${loaded.recoveredFrom ? ` (using ${loaded.recoveredFrom})` : ''}`);
  } catch (error) {
    configProblem = toErrorPayload(error);
    log.error(`config: ${configProblem.message}`);
  }
  const policy = await PolicyState.load(options.policyPath, log);
  return { log, identity, preferences, store, configProblem, policy, healedTo: healed?.movedTo ?? null };
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'user';
  }
}
