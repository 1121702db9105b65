// Handlers of the contract's "app & session" section: what the app is and may do here, the
// user's preferences, and the technician login.
import type { AgentRunMode, SessionRef } from '../api.js';
import type { ErrorPayload } from '../errors.js';
import { CofreError } from '../errors.js';
import { defaultEnrollmentRetention, enrollmentPaths } from '../policy/enrollment.js';
import type { TechnicianAttempts } from '../policy/technician-attempts.js';
import { verifyTechnicianPassword } from '../policy/technician.js';
import type { EnginesPort, Handlers, Identity, LogPort, PolicyPort, PreferencesPort, SessionsPort, SettingsPort } from './ports.js';

export interface AppHandlerDeps {
  version: string;
  identity: Identity;
  policy: PolicyPort;
  engines: Pick<EnginesPort, 'restic'>;
  settings: Pick<SettingsPort, 'effective' | 'problem'>;
  preferences: PreferencesPort;
  sessions: SessionsPort;
  attempts: Pick<TechnicianAttempts, 'attempt'>;
  log: Pick<LogPort, 'info' | 'warn' | 'addSecrets'>;
  isTechnician(session: SessionRef): boolean;
  /** The data dir needed repair at start (a damaged history moved aside); shown to the user. */
  dataProblem(): ErrorPayload | null;
  /** How this agent runs, so the UI can say which agent it talks to. */
  runMode: AgentRunMode;
}

export function appHandlers(deps: AppHandlerDeps): Pick<Handlers, 'getAppInfo' | 'setPreferences' | 'technicianLogin' | 'technicianLogout'> {
  const { policy, sessions, log } = deps;
  return {
    async getAppInfo(_input, session) {
      let resticVersion: string | null = null;
      try {
        resticVersion = (await deps.engines.restic()).capabilities.version.version;
      } catch {
        resticVersion = null;
      }
      const config = deps.settings.effective();
      const { branding, enrollment } = policy.policy;
      return {
        version: deps.version,
        resticVersion,
        hostname: deps.identity.hostname,
        // Service mode: the user the connection belongs to, not the service's root.
        username: sessions.owner(session)?.username ?? deps.identity.username,
        homeDir: sessions.owner(session)?.homeDir ?? deps.identity.homeDir,
        platform: process.platform,
        configured: config.repos.length > 0 && config.plans.length > 0,
        technician: deps.isTechnician(session),
        technicianPasswordRequired: policy.technicianPasswordRequired(),
        capabilities: policy.capabilities(),
        locked: policy.locked(),
        branding: { organization: branding?.organization ?? null, supportContact: branding?.supportContact ?? null },
        enrollmentTemplate: policy.policy.enrollment?.uriTemplate ?? null,
        enrollmentDefaults: enrollment ? { planId: enrollment.planId, paths: enrollmentPaths(enrollment, deps.identity.homeDir), retention: enrollment.retention ?? defaultEnrollmentRetention } : null,
        overdueAfterDays: policy.overdueAfterDays(),
        preferences: deps.preferences.get(),
        configProblem: deps.settings.problem() ?? policy.problem,
        dataProblem: deps.dataProblem(),
        agentMode: deps.runMode,
      };
    },

    async setPreferences(input) {
      const locked = policy.locked();
      if (input.language !== undefined && locked.includes('language')) throw new CofreError('error.lockedByPolicy');
      if (input.notifications !== undefined && locked.includes('notifications')) throw new CofreError('error.lockedByPolicy');
      await deps.preferences.set({ ...deps.preferences.get(), ...input });
      return deps.preferences.get();
    },

    async technicianLogin(input, session) {
      // Whatever was typed (right or wrong) is masked from now on: a wrong password is often a
      // near miss of the right one.
      log.addSecrets([input.password]);
      // Only a session a face created explicitly can become technician (no shared fallback).
      if (!sessions.known(session)) throw new CofreError('agent.unknownSession');
      if (!policy.technicianPasswordRequired()) {
        if (!policy.capabilities().openSettings) throw new CofreError('error.notAllowedByPolicy');
        // Service mode: without a technician password any local user could elevate and see everyone's files.
        if ((sessions.owner(session)?.uid ?? 0) !== 0) throw new CofreError('service.technicianPasswordMissing');
        sessions.elevate(session);
        return { ok: true as const };
      }
      // Persisted per machine, per session and globally: see technician-attempts.ts for the design.
      const hash = policy.policy.technicianPasswordHash ?? '';
      const outcome = await deps.attempts.attempt(session.id, () => verifyTechnicianPassword(input.password, hash));
      if ('refused' in outcome) {
        const seconds = Math.max(1, Math.ceil(outcome.waitMs / 1000));
        log.warn(`technician login refused: locked for ${seconds} s (${outcome.scope === 'machine' ? 'too many wrong attempts on this machine' : 'too many wrong attempts in this session'})`);
        throw new CofreError(outcome.scope === 'machine' ? 'policy.technicianLockedOutMachine' : 'policy.technicianLockedOut', { params: { seconds } });
      }
      if (!outcome.ok) {
        log.warn('technician login refused');
        throw new CofreError('agent.technicianWrong');
      }
      sessions.elevate(session);
      log.info('technician logged in');
      return { ok: true as const };
    },

    async technicianLogout(_input, session) {
      sessions.drop(session);
      return { ok: true as const };
    },
  };
}
