// The machine policy as the agent uses it: loaded once at start, merged over the user's config on
// every read, and the source of capability switches, locks and the technician gate.
import type { CapabilitySwitches } from '../api.js';
import type { Config } from '../config/backrest-schema.js';
import type { ErrorPayload } from '../errors.js';
import { loadPolicy } from '../policy/load.js';
import { mergePolicy, type MergedConfig } from '../policy/merge.js';
import { defaultPolicy, type NotificationLevel, type Policy } from '../policy/schema.js';
import type { LogPort, PolicyPort } from './ports.js';

export class PolicyState implements PolicyPort {
  private mergedFor: { config: Config; merged: MergedConfig } | undefined;

  private constructor(
    readonly policy: Policy,
    readonly source: 'none' | 'file' | 'invalid',
    readonly path: string | null,
    readonly problem: ErrorPayload | null,
  ) {}

  /** `null` path = no policy at all (tests); undefined = COFRE_POLICY or the platform path. */
  static async load(path: string | null | undefined, log: Pick<LogPort, 'info' | 'warn'>): Promise<PolicyState> {
    if (path === null) return new PolicyState(defaultPolicy(), 'none', null, null);
    const loaded = await loadPolicy(path);
    if (loaded.problem) log.warn(`policy ${loaded.path}: ${loaded.problem.message}`);
    else if (loaded.source === 'file') log.info(`policy loaded from ${loaded.path}`);
    return new PolicyState(loaded.policy, loaded.source, loaded.path, loaded.problem ?? null);
  }

  /** The user's config with managed repos and plans laid over it (memoised per config object). */
  effective(userConfig: Config): MergedConfig {
    if (this.mergedFor?.config !== userConfig) this.mergedFor = { config: userConfig, merged: mergePolicy(userConfig, this.policy) };
    return this.mergedFor.merged;
  }

  capabilities(): CapabilitySwitches {
    return { ...this.policy.capabilities };
  }

  /** The login itself (hash check, persisted attempt limits) is app-handlers.ts's technicianLogin. */
  technicianPasswordRequired(): boolean {
    return Boolean(this.policy.technicianPasswordHash);
  }

  lockedNotifications(): NotificationLevel | undefined {
    return this.policy.notifications?.level;
  }

  restoreRoots(): string[] {
    return this.policy.restoreRoots;
  }

  locked(): string[] {
    const locked = [...this.policy.locked];
    if (this.policy.notifications) locked.push('notifications');
    if (this.policy.language) locked.push('language');
    return [...new Set(locked)];
  }

  overdueAfterDays(): number {
    return this.policy.overdueAfterDays;
  }

  /** What `cofre policy show` prints: everything but the technician hash and managed secrets. */
  describe(): unknown {
    if (this.source === 'none') return null;
    const { technicianPasswordHash, managed, enrollment, ...rest } = this.policy;
    return {
      source: this.path,
      status: this.source,
      problem: this.problem,
      ...rest,
      technicianPassword: technicianPasswordHash ? 'set' : 'not set',
      managed: {
        repos: managed.repos.map(({ password: _password, env, ...repo }) => ({ ...repo, env: env.map((e) => e.split('=')[0] + '=…') })),
        plans: managed.plans,
      },
      enrollment: enrollment ? { ...enrollment, restPassword: enrollment.restPassword ? '…' : undefined } : undefined,
    };
  }
}
