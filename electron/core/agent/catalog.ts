// Snapshots and the snapshot index as the faces see them: listing (cached per repository, since
// `restic snapshots` costs a round trip to the server), scope (what an end user may see), and the
// index that serves browse, search and versions in milliseconds. Snapshots are indexed in the
// background after each backup and when they are first listed.
import type { IndexStatus, SessionRef, SnapshotInfo } from '../api.js';
import type { Repo } from '../config/backrest-schema.js';
import { CofreError } from '../errors.js';
import type { Snapshot } from '../restic/types.js';
import { SnapshotIndex } from '../restore/snapshot-index.js';
import { fromLocalPath } from '../restore/snapshot-path.js';
import { hostVisible, userScopeRoots, type RestoreScope } from '../restore/scope.js';
import type { AgentContext } from './agent.js';
import { laneOf } from './operations.js';

const listingTtlMs = 60_000;

interface RepoListing {
  at: number;
  snapshots: Snapshot[];
}

export interface LocatedSnapshot {
  snapshot: Snapshot;
  repo: Repo;
}

export class Catalog {
  readonly index: SnapshotIndex;
  private readonly listings = new Map<string, RepoListing>();
  private readonly inflight = new Map<string, Promise<Snapshot[]>>();
  /** Per repository: snapshots waiting for the background index run, and that run's job id. */
  private readonly pending = new Map<string, Map<string, Snapshot>>();
  private readonly indexJobs = new Map<string, string>();

  constructor(
    private readonly ctx: AgentContext,
    indexFile: string,
  ) {
    this.index = new SnapshotIndex(indexFile);
  }

  close(): void {
    this.index.close();
  }

  /** Forget cached listings (config changed, backup or forget finished). */
  invalidate(repoId?: string): void {
    if (repoId) this.listings.delete(repoId);
    else this.listings.clear();
  }

  scope(session: SessionRef): RestoreScope {
    const { hostname } = this.ctx.identity;
    // Service mode: the session's OS user, not the service's (root), decides whose home it is.
    const homeDir = this.ctx.sessions.owner(session)?.homeDir ?? this.ctx.identity.homeDir;
    const instance = this.ctx.config().instance;
    // Only an explicit technician login widens the scope: settings may be open on a machine without
    // a technician password, but a user's restore view still stays inside their own folders.
    if (this.ctx.sessions.isTechnician(session)) return { technician: true, hostname, roots: ['/'], instance };
    const policy = this.ctx.policy;
    const user = {
      technician: false,
      hostname,
      home: fromLocalPath(homeDir),
      caseInsensitive: process.platform === 'win32',
      instance,
      ...(policy.policy.branding?.supportContact ? { supportContact: policy.policy.branding.supportContact } : {}),
    };
    if (policy.capabilities().restoreOutsideHome) return { ...user, roots: ['/'] };
    // What the tray says is protected is what the user may restore: the plans' folders, their
    // home, and policy's roots (policy may narrow it to the home folder).
    const roots = userScopeRoots({
      platform: process.platform,
      homeDir,
      planPaths: this.ctx.config().plans.flatMap((plan) => plan.paths),
      policyRoots: policy.restoreRoots(),
      mode: policy.policy.restoreScope,
    });
    return { ...user, roots };
  }

  /** Snapshots of one repository, newest first, from cache when fresh. */
  async repoSnapshots(repo: Repo, options: { fresh?: boolean } = {}): Promise<Snapshot[]> {
    const cached = this.listings.get(repo.id);
    if (cached && !options.fresh && Date.now() - cached.at < listingTtlMs) return cached.snapshots;
    const running = this.inflight.get(repo.id);
    if (running) return running;
    const load = (async () => {
      const engine = await this.ctx.engines.forRepo(repo);
      const snapshots = (await engine.snapshots({})).sort((a, b) => b.time.localeCompare(a.time));
      this.listings.set(repo.id, { at: Date.now(), snapshots });
      return snapshots;
    })();
    this.inflight.set(repo.id, load);
    try {
      return await load;
    } finally {
      this.inflight.delete(repo.id);
    }
  }

  async list(session: SessionRef, filter: { planId?: string; repoId?: string }): Promise<SnapshotInfo[]> {
    const scope = this.scope(session);
    const config = this.ctx.config();
    const repoIds = filter.repoId ? [filter.repoId] : filter.planId ? [this.ctx.plan(filter.planId).repo] : config.repos.map((r) => r.id);
    const result: SnapshotInfo[] = [];
    for (const repoId of repoIds) {
      const repo = this.ctx.repo(repoId);
      const snapshots = await this.repoSnapshots(repo);
      for (const snapshot of snapshots) {
        if (!hostVisible(scope, snapshot.hostname)) continue;
        const planId = planOf(snapshot, config.instance);
        if (filter.planId && planId !== filter.planId) continue;
        result.push({
          id: snapshot.id,
          shortId: snapshot.shortId,
          time: snapshot.time,
          hostname: snapshot.hostname,
          username: snapshot.username,
          paths: snapshot.paths,
          tags: snapshot.tags,
          planId,
          repoId,
          indexed: this.index.isIndexed(snapshot.id),
        });
      }
      this.scheduleIndexing(repo, snapshots.filter((s) => hostVisible(scope, s.hostname)));
    }
    return result.sort((a, b) => b.time.localeCompare(a.time));
  }

  /** Finds a snapshot by full or short id in any configured repository the session may see. */
  async locate(session: SessionRef, snapshotId: string): Promise<LocatedSnapshot> {
    const scope = this.scope(session);
    const wanted = snapshotId.toLowerCase();
    for (const repo of this.ctx.config().repos) {
      let snapshots = await this.repoSnapshots(repo);
      let found = snapshots.find((s) => s.id === wanted || s.id.startsWith(wanted));
      if (!found) {
        snapshots = await this.repoSnapshots(repo, { fresh: true });
        found = snapshots.find((s) => s.id === wanted || s.id.startsWith(wanted));
      }
      if (found) {
        if (!hostVisible(scope, found.hostname)) break;
        return { snapshot: found, repo };
      }
    }
    throw new CofreError('agent.snapshotNotFound', { params: { snapshot: snapshotId.slice(0, 16) } });
  }

  /** Makes sure a snapshot is indexed (building it now if needed) and returns its full id. */
  async ensureIndexed(session: SessionRef, snapshotId: string, signal?: AbortSignal): Promise<string> {
    if (/^[0-9a-f]{64}$/.test(snapshotId) && this.index.isIndexed(snapshotId)) return snapshotId;
    const { snapshot, repo } = await this.locate(session, snapshotId);
    if (!this.index.isIndexed(snapshot.id)) {
      const engine = await this.ctx.engines.forRepo(repo);
      await this.index.ensureIndexed(snapshot, engine, { signal });
    }
    return snapshot.id;
  }

  /**
   * Indexes, now, every snapshot the session may see that is not indexed yet (search and versions
   * across all snapshots need them). Each snapshot is indexed once in its life.
   */
  async ensureAllIndexed(session: SessionRef, signal?: AbortSignal): Promise<void> {
    const scope = this.scope(session);
    for (const repo of this.ctx.config().repos) {
      const visible = (await this.repoSnapshots(repo)).filter((s) => hostVisible(scope, s.hostname));
      const missing = visible.filter((s) => !this.index.isIndexed(s.id));
      if (missing.length === 0) continue;
      const engine = await this.ctx.engines.forRepo(repo);
      for (const snapshot of missing) await this.index.ensureIndexed(snapshot, engine, { signal });
    }
  }

  /**
   * Indexes a repository's unindexed snapshots one after another, in a lane of its own. Snapshots
   * seen while the run is going join it (the queue joins a second job of the same key, so the run
   * takes its work from a per-repository set rather than from what it was started with).
   */
  scheduleIndexing(repo: Repo, snapshots: Snapshot[]): void {
    const missing = snapshots.filter((s) => !this.index.isIndexed(s.id));
    if (missing.length === 0) return;
    let pending = this.pending.get(repo.id);
    if (!pending) this.pending.set(repo.id, (pending = new Map()));
    for (const snapshot of missing) pending.set(snapshot.id, snapshot);
    const handle = this.ctx.queue.enqueue({
      key: `index:${repo.id}`,
      repoId: laneOf(repo.id, 'index'),
      kind: 'index',
      trigger: 'api',
      run: async ({ signal }) => {
        const engine = await this.ctx.engines.forRepo(repo);
        let indexed = 0;
        try {
          for (;;) {
            const work = this.pending.get(repo.id);
            const next = work?.values().next().value;
            if (!work || !next || signal.aborted) break;
            work.delete(next.id);
            if (this.index.isIndexed(next.id)) continue;
            await this.index.ensureIndexed(next, engine, { signal });
            indexed += 1;
          }
        } finally {
          this.index.checkpoint();
          if (this.indexJobs.get(repo.id) === handle.id) this.indexJobs.delete(repo.id);
        }
        return { indexed };
      },
    });
    this.indexJobs.set(repo.id, handle.id);
  }

  /** Starts indexing, in the background, every visible snapshot of every repository not indexed yet. */
  async indexInBackground(session: SessionRef): Promise<void> {
    const scope = this.scope(session);
    for (const repo of this.ctx.config().repos) {
      try {
        this.scheduleIndexing(repo, (await this.repoSnapshots(repo)).filter((s) => hostVisible(scope, s.hostname)));
      } catch {
        // an unreachable repository has nothing to index now; the others still do
      }
    }
  }

  /** How far indexing has come for the snapshots this session may see (from the cached listings). */
  indexStatus(session: SessionRef): IndexStatus {
    const scope = this.scope(session);
    let indexed = 0;
    let total = 0;
    for (const repo of this.ctx.config().repos) {
      const listing = this.listings.get(repo.id);
      for (const snapshot of listing?.snapshots ?? []) {
        if (!hostVisible(scope, snapshot.hostname)) continue;
        total += 1;
        if (this.index.isIndexed(snapshot.id)) indexed += 1;
      }
    }
    const running = [...this.indexJobs.values()].some((id) => this.ctx.queue.get(id) !== undefined);
    return { indexed, total, running: running && indexed < total };
  }

  /** Stops the background indexing; what is indexed stays, the rest resumes when snapshots are listed again. */
  cancelIndexing(): void {
    this.pending.clear();
    for (const id of this.indexJobs.values()) this.ctx.queue.cancel(id);
    this.indexJobs.clear();
  }

  /**
   * After a forget that reported what it removed: drop those snapshots from the cached listing and
   * the index at once, without another `restic snapshots` round trip.
   */
  forgotten(repoId: string, snapshotIds: string[]): void {
    const gone = new Set(snapshotIds);
    const cached = this.listings.get(repoId);
    if (cached) this.listings.set(repoId, { at: cached.at, snapshots: cached.snapshots.filter((s) => !gone.has(s.id)) });
    const everything: RestoreScope = { technician: true, hostname: this.ctx.identity.hostname, roots: ['/'] };
    const indexed = this.index.snapshots(everything).map((s) => s.id);
    if (indexed.some((id) => gone.has(id))) this.index.removeStale(indexed.filter((id) => !gone.has(id)));
  }

  /** After a forget: drop the index rows of snapshots no repository has any more. */
  async removeStale(): Promise<void> {
    const keep: string[] = [];
    for (const repo of this.ctx.config().repos) {
      try {
        keep.push(...(await this.repoSnapshots(repo, { fresh: true })).map((s) => s.id));
      } catch {
        return; // an unreachable repository must not make its snapshots look forgotten
      }
    }
    this.index.removeStale(keep);
  }
}

/**
 * The plan of this instance a snapshot belongs to. As in Backrest, a plan's snapshots are those
 * tagged `plan:<id>` and `created-by:<instance>`: another instance writing to the same repository
 * (even with the same plan id, even on this host) has its own plan.
 */
export function planOf(snapshot: Pick<Snapshot, 'tags'>, instance: string): string | null {
  if (!snapshot.tags.includes(`created-by:${instance}`)) return null;
  const tag = snapshot.tags.find((t) => t.startsWith('plan:'));
  return tag ? tag.slice('plan:'.length) : null;
}
