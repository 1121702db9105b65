// The maintenance jobs of a repository: `restic check` (with Backrest's read-data subset) and
// `restic prune` (with its max-unused limit), scheduled by the repository's policies or run by a
// technician. They share the repository's main lane with its backups.
import type { JobTrigger } from '../api.js';
import { CofreError } from '../errors.js';
import type { CatalogPort, EnginesPort, Queue, SettingsPort } from './ports.js';

export interface MaintenanceJobDeps {
  settings: Pick<SettingsPort, 'repo'>;
  engines: Pick<EnginesPort, 'forRepo'>;
  queue: Pick<Queue, 'enqueue'>;
  catalog: Pick<CatalogPort, 'invalidate'>;
}

export function maintenanceJobs(deps: MaintenanceJobDeps) {
  return {
    run(kind: 'check' | 'prune', repoId: string, trigger: JobTrigger): string {
      const repo = deps.settings.repo(repoId);
      return deps.queue.enqueue({
        key: `${kind}:${repo.id}`,
        repoId: repo.id,
        kind,
        trigger,
        run: async ({ signal }) => {
          // A lock left by a killed restic or agent is cleared by the engine (stale-locks.ts), so a
          // scheduled check or prune never needs a technician after a crash.
          const engine = await deps.engines.forRepo(repo);
          if (kind === 'check') {
            const readDataSubset = repo.checkPolicy?.readDataSubsetPercent ? `${repo.checkPolicy.readDataSubsetPercent}%` : undefined;
            const result = await engine.check({ readDataSubset, signal });
            if (!result.ok) throw new CofreError('cause.unknown', { cause: 'unknown', detail: result.messages.slice(-20).join('\n') });
            return { ok: true };
          }
          const maxUnused = repo.prunePolicy?.maxUnusedPercent !== undefined
            ? `${repo.prunePolicy.maxUnusedPercent}%`
            : repo.prunePolicy?.maxUnusedBytes !== undefined ? `${repo.prunePolicy.maxUnusedBytes}` : undefined;
          await engine.prune({ maxUnused, signal });
          deps.catalog.invalidate(repo.id);
          return { ok: true };
        },
      }).id;
    },
  };
}
