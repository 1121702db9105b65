// The settings part: the one owner of the configuration. It gives both readings (the effective
// config the agent runs = the user's config with the policy's managed entries laid over it, and the
// user's own config as config.json holds it), and every save goes through `apply`, which checks the
// policy locks once, on the effective result, then writes and announces the change.
import type { RepoSecrets } from '../api.js';
import type { Config, Plan, Repo } from '../config/backrest-schema.js';
import { defaultConfig, type ConfigStore } from '../config/store.js';
import { CofreError, type ErrorPayload } from '../errors.js';
import { lockedChanges, type MergedConfig } from '../policy/merge.js';
import { repoEnvKey, repoPasswordKey, type SecretStore } from '../secrets/index.js';
import type { ApplyOptions, Notify, PolicyPort, SettingsPort } from './ports.js';

export interface SettingsDeps {
  store: ConfigStore;
  policy: PolicyPort;
  secrets: SecretStore;
  hostname: string;
  /** The problem found when the config was loaded (null = none). */
  loadProblem: ErrorPayload | null;
  /** Called after every save: reschedule, drop cached listings, tell the faces. */
  onChanged: Notify;
}

export class Settings implements SettingsPort {
  private loadProblem: ErrorPayload | null;

  constructor(private readonly deps: SettingsDeps) {
    this.loadProblem = deps.loadProblem;
  }

  get secrets(): SecretStore {
    return this.deps.secrets;
  }

  effective(): Config {
    return this.deps.policy.effective(this.safeUser()).config;
  }

  merged(): MergedConfig {
    return this.deps.policy.effective(this.deps.store.get());
  }

  user(): Config {
    return this.deps.store.get();
  }

  plan(planId: string): Plan {
    const plan = this.effective().plans.find((p) => p.id === planId);
    if (!plan) throw new CofreError('agent.planNotFound', { params: { plan: planId } });
    return plan;
  }

  repo(repoId: string): Repo {
    const repo = this.effective().repos.find((r) => r.id === repoId);
    if (!repo) throw new CofreError('agent.repoNotFound', { params: { repo: repoId } });
    return repo;
  }

  problem(): ErrorPayload | null {
    return this.loadProblem;
  }

  lockedBy(next: Config, asSeen?: Config): string[] {
    const before = this.effective();
    const after = asSeen ?? this.deps.policy.effective(next).config;
    return lockedChanges(before, { ...after, modno: before.modno }, this.deps.policy.policy);
  }

  assertUnlocked(next: Config, asSeen?: Config): void {
    const changed = this.lockedBy(next, asSeen);
    if (changed.length > 0) throw new CofreError('error.lockedByPolicy', { detail: changed.join(', ') });
  }

  async apply(next: Config, modno: number, options: ApplyOptions = {}): Promise<Config> {
    if (!options.unlockedBecause) this.assertUnlocked(next, options.asSeen);
    const saved = await this.deps.store.update(next, modno, options.modnoAtLeast !== undefined ? { modnoAtLeast: options.modnoAtLeast } : {});
    await options.afterSave?.(saved);
    // A config that saves is a config that loads: the problem found at start is over.
    this.loadProblem = null;
    this.deps.onChanged();
    return saved;
  }

  async setSecrets(repoId: string, secrets: RepoSecrets, options: { announce?: boolean } = {}): Promise<void> {
    const keys: Array<[string, string | undefined]> = [
      [repoPasswordKey(repoId), secrets.password],
      [repoEnvKey(repoId, 'RESTIC_REST_USERNAME'), secrets.restUsername],
      [repoEnvKey(repoId, 'RESTIC_REST_PASSWORD'), secrets.restPassword],
    ];
    for (const [key, value] of keys) {
      if (value === undefined) continue;
      if (value === '') await this.deps.secrets.delete(key);
      else await this.deps.secrets.set(key, value);
    }
    if (options.announce ?? true) this.deps.onChanged();
  }

  changed(): void {
    this.deps.onChanged();
  }

  private safeUser(): Config {
    try {
      return this.deps.store.get();
    } catch {
      return defaultConfig(this.deps.hostname);
    }
  }
}
