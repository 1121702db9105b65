// Handlers of the contract's "restore" section: browse, search and versions from the snapshot
// index, the check that decides whether this session may restore what it chose, and the restore.
import type { ApiOutput, ApiParsedInput, SessionRef } from '../api.js';
import { CofreError } from '../errors.js';
import { t, type Locale } from '../i18n/index.js';
import { outOfScope, pathInScope, scopeLimited } from '../restore/scope.js';
import { fromLocalPath, parseSnapshotPath } from '../restore/snapshot-path.js';
import { messageOf, requireCapability, toEntry, toSnapshotForm } from './handler-kit.js';
import type { CatalogPort, Handlers, IndexerPort, PolicyPort } from './ports.js';

export interface RestoreHandlerDeps {
  catalog: CatalogPort;
  indexer: Pick<IndexerPort, 'cancel'>;
  policy: Pick<PolicyPort, 'capabilities'>;
  locale(): Locale;
  runRestore(session: SessionRef, input: ApiParsedInput<'restore'>): Promise<string>;
}

type RestoreHandlers = Pick<Handlers, 'browse' | 'search' | 'versions' | 'missingFiles' | 'indexStatus' | 'cancelIndexing' | 'checkRestore' | 'restore'>;

export function restoreHandlers(deps: RestoreHandlerDeps): RestoreHandlers {
  const { catalog, policy } = deps;
  return {
    async browse(input, session) {
      requireCapability(policy, 'restore');
      const snapshotId = await catalog.ensureIndexed(session, input.snapshotId);
      const path = input.path ? parseSnapshotPath(toSnapshotForm(input.path)) : '/';
      const page = catalog.index.listChildren(catalog.scope(session), snapshotId, path, { limit: input.limit, offset: input.offset });
      return { path, entries: page.items.map(toEntry), total: page.total };
    },

    async search(input, session) {
      requireCapability(policy, 'restore');
      // Across all backups, the app searches what is indexed now and shows how far indexing has
      // come, instead of blocking until every snapshot is indexed (scripts still wait for all).
      if (!input.snapshotId && input.indexedOnly) await catalog.indexInBackground(session);
      else if (!input.snapshotId) await catalog.ensureAllIndexed(session);
      const snapshotIds = input.snapshotId ? [await catalog.ensureIndexed(session, input.snapshotId)] : undefined;
      const scope = catalog.scope(session);
      const page = catalog.index.search(scope, input.pattern, { snapshotIds, limit: input.limit, offset: input.offset });
      return {
        items: page.items.map((hit) => ({ ...toEntry(hit), snapshotId: hit.snapshotId, snapshotTime: hit.snapshotTime, snapshotCount: hit.snapshotCount })),
        total: page.total,
        scopeLimited: scopeLimited(scope),
        ...(input.snapshotId ? {} : { indexing: catalog.indexStatus(session) }),
      };
    },

    async versions(input, session) {
      requireCapability(policy, 'restore');
      await catalog.ensureAllIndexed(session);
      const versions = catalog.index.versions(catalog.scope(session), parseSnapshotPath(toSnapshotForm(input.path)));
      return versions.map((v) => ({ size: v.size, mtime: v.mtime, snapshots: v.snapshots }));
    },

    async missingFiles(input, session) {
      requireCapability(policy, 'restore');
      const snapshotId = await catalog.ensureIndexed(session, input.snapshotId);
      const found = catalog.index.missingFiles(catalog.scope(session), snapshotId, parseSnapshotPath(toSnapshotForm(input.path)), { limit: input.offset + input.limit });
      return { entries: found.items.slice(input.offset).map(toEntry), total: found.items.length + (found.truncated ? 1 : 0) };
    },

    async indexStatus(_input, session) {
      return catalog.indexStatus(session);
    },

    async cancelIndexing() {
      deps.indexer.cancel();
      return { ok: true as const };
    },

    async checkRestore(input, session) {
      return checkRestore(deps, session, input);
    },

    async restore(input, session) {
      requireCapability(policy, 'restore');
      if (input.conflict === 'replace' && !policy.capabilities().overwriteOnRestore) throw new CofreError('error.notAllowedByPolicy');
      return { jobId: await deps.runRestore(session, input) };
    },
  };
}

/** Decides, before a restore starts, whether this session may do it; the problem in plain words. */
function checkRestore(deps: RestoreHandlerDeps, session: SessionRef, input: ApiParsedInput<'checkRestore'>): ApiOutput<'checkRestore'> {
  const locale = deps.locale();
  const caps = deps.policy.capabilities();
  if (!caps.restore) return { problem: { field: 'paths', message: t('error.notAllowedByPolicy', undefined, locale) } };
  const scope = deps.catalog.scope(session);
  for (const path of input.paths) {
    let target: string;
    try {
      target = parseSnapshotPath(toSnapshotForm(path));
    } catch (error) {
      return { problem: { field: 'paths', message: messageOf(error, locale) } };
    }
    if (!pathInScope(scope, target)) return { problem: { field: 'paths', message: outOfScope(scope, target).toPayload(locale).message } };
  }
  if (input.destination.kind === 'folder' && !(caps.restoreOutsideHome || scope.technician)) {
    const folder = fromLocalPath(input.destination.path);
    if (!pathInScope(scope, folder)) {
      const contact = scope.supportContact?.trim();
      const message = contact
        ? t('restore.error.destinationOutOfScope.contact', { path: input.destination.path, contact }, locale)
        : t('restore.error.destinationOutOfScope', { path: input.destination.path }, locale);
      return { problem: { field: 'destination', message } };
    }
  }
  return { problem: null };
}
