// `enroll`, the end user's way in on a fresh machine: the policy's enrollment template becomes this
// machine's repository and plan, after a connection test, with the repository initialised if new.
import type { SessionRef } from '../api.js';
import { isDeepStrictEqual } from 'node:util';
import type { Config, Repo } from '../config/backrest-schema.js';
import { CofreError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { defaultEnrollmentRetention, enrollmentPaths, expandEnrollment } from '../policy/enrollment.js';
import { isLocked } from '../policy/merge.js';
import { testConnection, type ConnectionDeps } from './connection.js';
import type { EnginesPort, Handlers, Identity, LogPort, PolicyPort, SettingsPort } from './ports.js';
import { rememberGuid } from './settings-handlers.js';

export interface EnrollDeps extends ConnectionDeps {
  settings: SettingsPort;
  policy: Pick<PolicyPort, 'policy'>;
  engines: ConnectionDeps['engines'] & Pick<EnginesPort, 'forRepo'>;
  log: ConnectionDeps['log'] & Pick<LogPort, 'warn'>;
  identity: Identity;
  isTechnician(session: SessionRef): boolean;
}

export function enrollHandler(deps: EnrollDeps): Pick<Handlers, 'enroll'> {
  const { settings } = deps;
  return {
    async enroll(input, session) {
      const enrollment = deps.policy.policy.enrollment;
      if (!enrollment) throw new CofreError('agent.noEnrollment');
      const uri = expandEnrollment(enrollment.uriTemplate, deps.identity);
      const restUsername = input.restUsername ?? enrollment.restUsername;
      const restPassword = input.restPassword ?? enrollment.restPassword;
      // No guid yet: autoInitialize until the repository's id is known (rememberGuid), as in Backrest.
      const repo: Repo = { id: enrollment.repoId, uri, env: [], flags: [], hooks: [], autoInitialize: true, autoUnlock: true };
      // What the person changed in the wizard, unless IT locked it (the wizard shows those read-only).
      const defaultPaths = enrollmentPaths(enrollment, deps.identity.homeDir);
      const defaultRetention = enrollment.retention ?? defaultEnrollmentRetention;
      const lockedHere = (field: string) => isLocked(deps.policy.policy, `plans.${enrollment.planId}.${field}`);
      const paths = input.paths ?? defaultPaths;
      const plan = {
        id: enrollment.planId,
        repo: repo.id,
        paths,
        excludes: enrollment.excludes,
        iexcludes: [],
        hooks: [],
        backup_flags: [],
        schedule: enrollment.schedule ?? { cron: '0 12 * * 1-5', clock: 'CLOCK_LOCAL' as const },
        retention: input.retention ?? defaultRetention,
      };
      const nextFrom = (current: Config): Config => ({
        ...current,
        repos: [...current.repos.filter((r) => r.id !== repo.id), { ...repo, password: input.password }],
        plans: [...current.plans.filter((p) => p.id !== plan.id), plan],
      });
      // Enrolling is the end user's way in on a fresh machine, as the policy offers it. Once the
      // enrolled repository or plan exists, enrolling again would rewrite them (paths, schedule,
      // hooks, excludes): that is a settings change, so it needs a technician and passes the same
      // lock rule as setConfig, before anything (connection test, secrets) happens.
      const before = settings.effective();
      const enrolled = before.repos.some((r) => r.id === repo.id) || before.plans.some((p) => p.id === plan.id);
      if (enrolled) {
        if (!deps.isTechnician(session)) throw new CofreError('error.technicianRequired');
        settings.assertUnlocked(nextFrom(settings.user()));
      }
      // A fresh machine has nothing to compare with: the wizard's own changes are checked against IT's locks here.
      for (const [field, given, preset] of [['paths', input.paths, defaultPaths], ['retention', input.retention, defaultRetention]] as const) {
        if (given && lockedHere(field) && !isDeepStrictEqual(given, preset)) throw new CofreError('error.lockedByPolicy', { detail: `plans.${enrollment.planId}.${field}` });
      }
      const result = await testConnection(deps, repo, { password: input.password, restUsername, restPassword });
      if (!result.ok && result.cause !== 'no-repository') {
        throw new CofreError(`cause.${result.cause ?? 'unknown'}` as MessageKey, { cause: result.cause ?? 'unknown' });
      }
      const current = settings.user();
      await settings.setSecrets(repo.id, { restUsername: restUsername || undefined, restPassword: restPassword || undefined }, { announce: false });
      await settings.apply(nextFrom(current), current.modno, enrolled ? {} : { unlockedBecause: 'policy-enrollment' });
      if (!result.initialized) {
        const engine = await deps.engines.forRepo(settings.repo(repo.id));
        await engine.init();
      }
      await rememberGuid(deps, settings.repo(repo.id));
      return { repoId: repo.id, planId: plan.id, uri };
    },
  };
}

