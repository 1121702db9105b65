// The hooks of a plan's jobs (Backrest's CONDITION_SNAPSHOT_* and CONDITION_FORGET_*): the repo's
// and the plan's hooks run for each condition of a phase; a hook that fails or is not supported
// gets a history row of its own beside the job's.
import type { HookCondition } from '../config/backrest-schema.js';
import { resolveHookSecrets } from '../config/extra-secrets.js';
import { conditionsFor, runHooks, type HookVars } from '../hooks/index.js';
import type { Locale } from '../i18n/index.js';
import type { History, LogPort, RunJobHooks } from './ports.js';
import type { SecretStore } from '../secrets/index.js';

export interface JobHooksDeps {
  secrets: SecretStore;
  history: Pick<History, 'record' | 'finish'>;
  log: Pick<LogPort, 'info' | 'scrub'>;
  locale(): Locale;
}


export function jobHooks(deps: JobHooksDeps): RunJobHooks {
  return async (kind, phase, plan, repo, extra) => {
    if ((repo.hooks ?? []).length + (plan.hooks ?? []).length === 0) return;
    // Hook credentials live in the secret store; the runner needs the real values.
    const hooks = await resolveHookSecrets([...(repo.hooks ?? []), ...(plan.hooks ?? [])], deps.secrets);
    const vars: HookVars = { plan: { id: plan.id, paths: plan.paths }, repo: { id: repo.id, uri: repo.uri }, time: new Date(), ...extra };
    for (const condition of conditionsFor(kind, phase) as HookCondition[]) {
      await runHooks(hooks, condition, vars, {
        locale: deps.locale(),
        log: (line) => deps.log.info(`hook: ${line}`),
        record: (result) => {
          const id = deps.history.record({
            type: 'hook',
            planId: plan.id,
            repoId: repo.id,
            trigger: condition,
            status: 'running',
            startedAt: new Date().toISOString(),
          });
          deps.history.finish(id, {
            status: result.status === 'unsupported' ? 'warning' : 'failure',
            endedAt: new Date().toISOString(),
            message: deps.log.scrub(result.message ?? ''),
            detail: result.detail ? deps.log.scrub(result.detail) : undefined,
          });
        },
      });
    }
  };
}
