// Builds a ResticEngine for a repository: resolves its secrets, finds restic and its capabilities
// once, and tells the log every secret it handed out so the log can redact them.
import type { RepoSecrets } from '../api.js';
import type { Repo } from '../config/backrest-schema.js';
import { toRepoTarget } from '../config/repo-secrets.js';
import { CofreError } from '../errors.js';
import { detectRestic, ResticEngine } from '../restic/index.js';
import type { StaleLockPolicy } from '../restic/stale-locks.js';
import type { Capabilities, RepoTarget } from '../restic/types.js';
import type { SecretStore } from '../secrets/index.js';
import type { EnginesPort, LogPort } from './ports.js';

export class Engines implements EnginesPort {
  private detected: Promise<{ binary: string; capabilities: Capabilities }> | undefined;

  constructor(
    private readonly deps: { resticBinary: string; cacheDir: string; secrets: SecretStore; log: Pick<LogPort, 'addSecrets' | 'write' | 'info'>; env?: NodeJS.ProcessEnv; unreachableGiveUpMs?: number },
  ) {}

  /** restic's version and capabilities; a missing binary is a translated 'restic-missing' failure. */
  async restic(): Promise<{ binary: string; capabilities: Capabilities }> {
    const detected = (this.detected ??= detectRestic(this.deps.resticBinary).catch((error: unknown) => {
      this.detected = undefined;
      throw error instanceof CofreError ? error : CofreError.fromCause('restic-missing');
    }));
    return detected;
  }

  async forRepo(repo: Repo): Promise<ResticEngine> {
    const staleLocks = { autoUnlock: repo.autoUnlock === true, log: (message: string) => this.deps.log.info(`repository ${repo.id}: ${message}`) };
    return this.engineFor(await toRepoTarget(repo, this.deps.secrets, this.deps.env), { staleLocks });
  }

  /** An engine for a repository being edited in the settings (not saved yet). */
  async forDraft(repo: Repo, secrets: RepoSecrets, options: { unreachableGiveUpMs?: number } = {}): Promise<ResticEngine> {
    const draft: Repo = { ...repo, env: [...(repo.env ?? [])] };
    if (secrets.password) draft.password = secrets.password;
    if (secrets.restUsername) draft.env = [...draft.env.filter((e) => !e.startsWith('RESTIC_REST_USERNAME=')), `RESTIC_REST_USERNAME=${secrets.restUsername}`];
    if (secrets.restPassword) draft.env = [...draft.env.filter((e) => !e.startsWith('RESTIC_REST_PASSWORD=')), `RESTIC_REST_PASSWORD=${secrets.restPassword}`];
    return this.engineFor(await toRepoTarget(draft, this.deps.secrets, this.deps.env), options);
  }

  private async engineFor(target: RepoTarget, extra: { unreachableGiveUpMs?: number; staleLocks?: StaleLockPolicy } = {}): Promise<ResticEngine> {
    this.deps.log.addSecrets([target.password, target.restPassword, ...Object.values(target.env)]);
    const { binary, capabilities } = await this.restic();
    return new ResticEngine({
      binary,
      capabilities,
      repo: target,
      cacheDir: this.deps.cacheDir,
      ...(this.deps.unreachableGiveUpMs ? { unreachableGiveUpMs: this.deps.unreachableGiveUpMs } : {}),
      ...extra,
      log: (entry) => this.deps.log.write(entry.level, `restic[${target.id}]: ${entry.message}`),
    });
  }
}
