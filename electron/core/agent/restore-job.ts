// The restore job: files of one snapshot back to their place or to a chosen folder, through the
// snapshot index and a staging folder (restore/restore-selection.ts), in a queue lane of its own
// beside the repository's backups (restic takes only shared locks for it). Never retried: a person
// is watching and decides.
import type { ApiParsedInput, SessionRef } from '../api.js';
import { t, type MessageKey } from '../i18n/index.js';
import { defaultRetryPolicy } from '../jobs/index.js';
import type { RestoreReport } from '../restore/place.js';
import { restoreJournalDir } from '../restore/placement-journal.js';
import { restoreSelection } from '../restore/restore-selection.js';
import { giveToOwner, ownedStagingParent, privateStagingParent } from '../service/owned-restore.js';
import { userFsFor } from '../service/user-fs.js';
import type { CatalogPort, EnginesPort, FinishedJob, JobEnding, JobKindEnd, PolicyPort, Queue, RowFields, SessionsPort } from './ports.js';

interface RestoreValue {
  report: RestoreReport;
  destination: string;
}

export interface RestoreJobDeps {
  catalog: Pick<CatalogPort, 'locate' | 'ensureIndexed' | 'scope' | 'index'>;
  engines: Pick<EnginesPort, 'forRepo'>;
  queue: Pick<Queue, 'enqueue'>;
  policy: Pick<PolicyPort, 'capabilities'>;
  sessions: Pick<SessionsPort, 'owner'>;
  /** Where placement journals live, so a restore killed mid-placement is rolled back at the next start. */
  dataDir: string;
}

export class RestoreJobs implements JobKindEnd {
  constructor(private readonly deps: RestoreJobDeps) {}

  async run(session: SessionRef, input: ApiParsedInput<'restore'>): Promise<string> {
    const { catalog, engines, policy } = this.deps;
    const { snapshot, repo } = await catalog.locate(session, input.snapshotId);
    const snapshotId = await catalog.ensureIndexed(session, snapshot.id);
    const scope = catalog.scope(session);
    const caps = policy.capabilities();
    // Service mode: the requesting OS user owns what is restored and may only write where they could.
    const owner = this.deps.sessions.owner(session);
    return this.deps.queue.enqueue<RestoreValue>({
      key: `restore:${snapshotId}:${Date.now()}:${Math.random()}`,
      repoId: repo.id,
      lane: 'restore',
      kind: 'restore',
      trigger: 'manual',
      retry: { ...defaultRetryPolicy, maxAttempts: 1 },
      run: async ({ signal, progress }) => {
        const engine = await engines.forRepo(repo);
        // Service mode: restic fills a staging folder only the service controls; the moves into
        // place are made as the requesting user, so they reach only where that user could write.
        const asUser = owner ? await userFsFor(owner) : null;
        let report;
        try {
          report = await restoreSelection(
            { index: catalog.index, source: engine, journal: { dir: restoreJournalDir(this.deps.dataDir), repoId: repo.id } },
            { snapshotId, paths: input.paths, destination: input.destination, conflict: input.conflict },
            { scope, allowReplace: caps.overwriteOnRestore, allowOutsideRoots: caps.restoreOutsideHome || scope.technician, signal, onProgress: progress,
              ...(owner && asUser ? {
                beforePlace: giveToOwner(owner, asUser),
                stagingParent: owner.uid === 0 ? privateStagingParent : ownedStagingParent,
                placeAs: { fs: asUser, owner: { uid: owner.uid, gid: owner.gid, username: owner.username } },
              } : {}) },
          );
        } finally {
          await asUser?.close();
        }
        const destination = input.destination.kind === 'folder' ? input.destination.path : (report.destination ?? '');
        return { report, destination };
      },
    }).id;
  }

  row(value: unknown): RowFields {
    const report = (value as Partial<RestoreValue> | undefined)?.report;
    return report ? { summary: { ...report } } : {};
  }

  end({ outcome }: FinishedJob): JobEnding {
    const value = outcome.value as Partial<RestoreValue> | undefined;
    if (!value?.report) return {};
    const report = value.report;
    return {
      event: {
        restoreReport: {
          restored: report.restored,
          unchanged: report.unchanged,
          keptBoth: report.keptBoth,
          skipped: report.skipped,
          replaced: report.replaced,
          failed: report.failed.map((f) => ({ path: f.path, reason: t(`restore.failed.${f.reason}` as MessageKey) })),
          destination: value.destination ?? '',
          replacedFolder: report.replacedFolder ?? null,
        },
      },
    };
  }
}
