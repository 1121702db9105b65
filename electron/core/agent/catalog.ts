// Snapshots and the snapshot index as the faces see them: listing (cached per repository, since
// `restic snapshots` costs a round trip to the server), scope (what an end user may see), and the
// index that serves browse, search and versions in milliseconds. Snapshots are indexed in the
// background (index-job.ts) after each backup and when they are first listed.
import type { IndexStatus, SessionRef, SnapshotInfo } from '../api.js';
import type { Repo } from '../config/backrest-schema.js';
import { CofreError } from '../errors.js';
import type { Snapshot } from '../restic/types.js';
import type { SnapshotIndex } from '../restore/snapshot-index.js';
import { fromLocalPath } from '../restore/snapshot-path.js';
import { hostVisible, userScopeRoots, type RestoreScope } from '../restore/scope.js';
import type { CatalogPort, EnginesPort, Identity, IndexerPort, PolicyPort, SessionsPort, SettingsPort } from './ports.js';

const listingTtlMs = 60_000;

interface RepoListing {
  at: number;
  snapshots: Snapshot[];
}

interface LocatedSnapshot {
  snapshot: Snapshot;
  repo: Repo;
}

export interface CatalogDeps {
  index: SnapshotIndex;
  indexer: IndexerPort;
  identity: Identity;
  settings: Pick<SettingsPort, 'effective' | 'plan' | 'repo'>;
  sessions: Pick<SessionsPort, 'isTechnician' | 'owner'>;
  policy: Pick<PolicyPort, 'policy' | 'capabilities' | 'restoreRoots'>;
  engines: Pick<EnginesPort, 'forRepo'>;
}

export class Catalog implements CatalogPort {
  readonly index: SnapshotIndex;
  private readonly listings = new Map<string, RepoListing>();
  private readonly inflight = new Map<string, Promise<Snapshot[]>>();

  constructor(private readonly deps: CatalogDeps) {
    this.index = deps.index;
  }

  /** Forget cached listings (config changed, backup or forget finished). */
  invalidate(repoId?: string): void {
    if (repoId) this.listings.delete(repoId);
    else this.listings.clear();
  }

  scope(session: SessionRef): RestoreScope {
    const { hostname } = this.deps.identity;
    // Service mode: the session's OS user, not the service's (root), decides whose home it is.
    const homeDir = this.deps.sessions.owner(session)?.homeDir ?? this.deps.identity.homeDir;
    const instance = this.deps.settings.effective().instance;
    // Only an explicit technician login widens the scope: settings may be open on a machine without
    // a technician password, but a user's restore view still stays inside their own folders.
    if (this.deps.sessions.isTechnician(session)) return { technician: true, hostname, roots: ['/'], instance };
    const policy = this.deps.policy;
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
      planPaths: this.deps.settings.effective().plans.flatMap((plan) => plan.paths),
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
      const engine = await this.deps.engines.forRepo(repo);
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
    const config = this.deps.settings.effective();
    const repoIds = filter.repoId ? [filter.repoId] : filter.planId ? [this.deps.settings.plan(filter.planId).repo] : config.repos.map((r) => r.id);
    const result: SnapshotInfo[] = [];
    for (const repoId of repoIds) {
      const repo = this.deps.settings.repo(repoId);
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
      this.deps.indexer.schedule(repo, snapshots.filter((s) => hostVisible(scope, s.hostname)));
    }
    return result.sort((a, b) => b.time.localeCompare(a.time));
  }

  /** Finds a snapshot by full or short id in any configured repository the session may see. */
  async locate(session: SessionRef, snapshotId: string): Promise<LocatedSnapshot> {
    const scope = this.scope(session);
    const wanted = snapshotId.toLowerCase();
    for (const repo of this.deps.settings.effective().repos) {
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
      const engine = await this.deps.engines.forRepo(repo);
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
    for (const repo of this.deps.settings.effective().repos) {
      const visible = (await this.repoSnapshots(repo)).filter((s) => hostVisible(scope, s.hostname));
      const missing = visible.filter((s) => !this.index.isIndexed(s.id));
      if (missing.length === 0) continue;
      const engine = await this.deps.engines.forRepo(repo);
      for (const snapshot of missing) await this.index.ensureIndexed(snapshot, engine, { signal });
    }
  }

  /** Starts indexing, in the background, every visible snapshot of every repository not indexed yet. */
  async indexInBackground(session: SessionRef): Promise<void> {
    const scope = this.scope(session);
    for (const repo of this.deps.settings.effective().repos) {
      try {
        this.deps.indexer.schedule(repo, (await this.repoSnapshots(repo)).filter((s) => hostVisible(scope, s.hostname)));
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
    for (const repo of this.deps.settings.effective().repos) {
      const listing = this.listings.get(repo.id);
      for (const snapshot of listing?.snapshots ?? []) {
        if (!hostVisible(scope, snapshot.hostname)) continue;
        total += 1;
        if (this.index.isIndexed(snapshot.id)) indexed += 1;
      }
    }
    const running = this.deps.indexer.running();
    return { indexed, total, running: running && indexed < total };
  }

  /**
   * After a forget that reported what it removed: drop those snapshots from the cached listing and
   * the index at once, without another `restic snapshots` round trip.
   */
  forgotten(repoId: string, snapshotIds: string[]): void {
    const gone = new Set(snapshotIds);
    const cached = this.listings.get(repoId);
    if (cached) this.listings.set(repoId, { at: cached.at, snapshots: cached.snapshots.filter((s) => !gone.has(s.id)) });
    const everything: RestoreScope = { technician: true, hostname: this.deps.identity.hostname, roots: ['/'] };
    const indexed = this.index.snapshots(everything).map((s) => s.id);
    if (indexed.some((id) => gone.has(id))) this.index.removeStale(indexed.filter((id) => !gone.has(id)));
  }
}

/**
 * The plan of this instance a snapshot belongs to. As in Backrest, a plan's snapshots are those
 * tagged `plan:<id>` and `created-by:<instance>`: another instance writing to the same repository
 * (even with the same plan id, even on this host) has its own plan.
 */
function planOf(snapshot: Pick<Snapshot, 'tags'>, instance: string): string | null {
  if (!snapshot.tags.includes(`created-by:${instance}`)) return null;
  const tag = snapshot.tags.find((t) => t.startsWith('plan:'));
  return tag ? tag.slice('plan:'.length) : null;
}
