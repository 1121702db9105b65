// The index job: builds the snapshot index of a repository's unindexed snapshots in the
// background, one after another, in a queue lane of its own beside the repository's backups
// (restic takes only shared locks for it). Never shown as an operation: it has no history row.
import type { Repo } from '../config/backrest-schema.js';
import type { Snapshot } from '../restic/types.js';
import type { SnapshotIndex } from '../restore/snapshot-index.js';
import type { EnginesPort, IndexerPort, Queue } from './ports.js';

export interface IndexerDeps {
  index: SnapshotIndex;
  queue: Pick<Queue, 'enqueue' | 'get' | 'cancel'>;
  engines: Pick<EnginesPort, 'forRepo'>;
}

export class SnapshotIndexer implements IndexerPort {
  /** Per repository: snapshots waiting for the background index run, and that run's job id. */
  private readonly pending = new Map<string, Map<string, Snapshot>>();
  private readonly jobs = new Map<string, string>();

  constructor(private readonly deps: IndexerDeps) {}

  /**
   * Snapshots seen while the run is going join it (the queue joins a second job of the same key,
   * so the run takes its work from a per-repository set rather than from what it was started with).
   */
  schedule(repo: Repo, snapshots: Snapshot[]): void {
    const { index, queue, engines } = this.deps;
    const missing = snapshots.filter((s) => !index.isIndexed(s.id));
    if (missing.length === 0) return;
    let pending = this.pending.get(repo.id);
    if (!pending) this.pending.set(repo.id, (pending = new Map()));
    for (const snapshot of missing) pending.set(snapshot.id, snapshot);
    const handle = queue.enqueue({
      key: `index:${repo.id}`,
      repoId: repo.id,
      lane: 'index',
      kind: 'index',
      trigger: 'api',
      run: async ({ signal }) => {
        const engine = await engines.forRepo(repo);
        let indexed = 0;
        try {
          for (;;) {
            const work = this.pending.get(repo.id);
            const next = work?.values().next().value;
            if (!work || !next || signal.aborted) break;
            work.delete(next.id);
            if (index.isIndexed(next.id)) continue;
            await index.ensureIndexed(next, engine, { signal });
            indexed += 1;
          }
        } finally {
          index.checkpoint();
          if (this.jobs.get(repo.id) === handle.id) this.jobs.delete(repo.id);
        }
        return { indexed };
      },
    });
    this.jobs.set(repo.id, handle.id);
  }

  running(): boolean {
    return [...this.jobs.values()].some((id) => this.deps.queue.get(id) !== undefined);
  }

  /** Stops the background indexing; what is indexed stays, the rest resumes when snapshots are listed again. */
  cancel(): void {
    this.pending.clear();
    for (const id of this.jobs.values()) this.deps.queue.cancel(id);
    this.jobs.clear();
  }
}
