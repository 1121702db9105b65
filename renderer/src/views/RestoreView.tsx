// Restore: pick a backup on the timeline, browse or search its files, look at a file's versions,
// select several items and restore them safely (the current files are never destroyed silently).
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ApiOutput, Entry, SnapshotInfo } from '../../../electron/core/api.js';
import { formatBytes, formatDateTime, getLocale, t } from '../../../electron/core/i18n/index.js';
import { Empty, ErrorNotice, Spinner, plural, useAction } from '../components/common.js';
import { baseName, commonFolder, groupByDay, splitBreadcrumbs } from '../logic/paths.js';
import { useClient, useStore } from '../state/store.js';
import { RestoreDialog, type RestoreRequest } from './RestoreDialog.js';

type SearchItem = ApiOutput<'search'>['items'][number];
type Versions = ApiOutput<'versions'>;

interface Selection {
  snapshotId: string;
  paths: string[];
}

export function RestoreView() {
  const client = useClient();
  const appInfo = useStore((s) => s.appInfo)!;
  const finishedCount = useStore((s) => Object.keys(s.finished).length);
  const [snapshots, setSnapshots] = useState<SnapshotInfo[] | null>(null);
  const [snapshotId, setSnapshotId] = useState<string | null>(null);
  const [folder, setFolder] = useState<string | null>(null);
  const [listing, setListing] = useState<ApiOutput<'browse'> | null>(null);
  const [query, setQuery] = useState('');
  const [allSnapshots, setAllSnapshots] = useState(false);
  const [results, setResults] = useState<ApiOutput<'search'> | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [versionsOf, setVersionsOf] = useState<{ path: string; versions: Versions | null } | null>(null);
  const [request, setRequest] = useState<RestoreRequest | null>(null);

  const loadSnapshots = useAction(async () => {
    const list = await client.call('listSnapshots', {});
    setSnapshots(list);
    setSnapshotId((current) => current ?? [...list].sort((a, b) => b.time.localeCompare(a.time))[0]?.id ?? null);
  });
  const browse = useAction(async (id: string, path: string | undefined) => {
    const out = await client.call('browse', { snapshotId: id, ...(path ? { path } : {}), limit: 1000 });
    setListing(out);
    setFolder(out.path);
  });
  const search = useAction(async (pattern: string) => {
    const out = await client.call('search', { pattern, ...(allSnapshots || !snapshotId ? {} : { snapshotId }), limit: 200 });
    setResults(out);
  });
  const versions = useAction(async (path: string) => {
    setVersionsOf({ path, versions: null });
    const out = await client.call('versions', { path });
    setVersionsOf({ path, versions: out });
  });

  // New snapshots appear after backups finish.
  useEffect(() => {
    void loadSnapshots.run();
  }, [finishedCount]);

  const snapshot = snapshots?.find((s) => s.id === snapshotId) ?? null;
  useEffect(() => {
    if (!snapshot) return;
    setListing(null);
    void browse.run(snapshot.id, commonFolder(snapshot.paths));
  }, [snapshot?.id]);

  const groups = useMemo(() => groupByDay(snapshots ?? []), [snapshots]);

  if (!appInfo.capabilities.restore) {
    return <Empty title={t('ui.restore.notAllowed')}>{appInfo.branding.supportContact ? <p>{t('ui.status.support', { contact: appInfo.branding.supportContact })}</p> : null}</Empty>;
  }

  const toggle = (snap: string, path: string) => {
    setSelection((current) => {
      if (!current || current.snapshotId !== snap) return { snapshotId: snap, paths: [path] };
      const paths = current.paths.includes(path) ? current.paths.filter((p) => p !== path) : [...current.paths, path];
      return paths.length ? { snapshotId: snap, paths } : null;
    });
  };
  const isSelected = (snap: string, path: string) => selection?.snapshotId === snap && selection.paths.includes(path);

  const openFolder = (path: string) => {
    if (!snapshotId) return;
    setResults(null);
    void browse.run(snapshotId, path);
  };

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim()) void search.run(query.trim());
    else setResults(null);
  };

  return (
    <div className="restore-view">
      <aside className="timeline" aria-labelledby="timeline-title">
        <h1 id="timeline-title" className="section-title">{t('ui.restore.timeline')}</h1>
        {loadSnapshots.error ? <ErrorNotice error={loadSnapshots.error} onRetry={() => void loadSnapshots.run()} /> : null}
        {!snapshots && !loadSnapshots.error ? <Spinner label={t('ui.common.loading')} /> : null}
        {snapshots && snapshots.length === 0 ? <Empty title={t('ui.restore.noSnapshots')} /> : null}
        <ol className="timeline-days">
          {groups.map((g) => (
            <li key={g.day}>
              <h2 className="timeline-day">{dayLabel(g.date)}</h2>
              <ul className="timeline-items">
                {g.items.map((s) => (
                  <li key={s.id}>
                    <button
                      type="button"
                      className="timeline-item"
                      aria-pressed={s.id === snapshotId}
                      aria-label={t('ui.restore.snapshotLabel', { time: formatDateTime(s.time), id: s.shortId })}
                      onClick={() => {
                        setSnapshotId(s.id);
                        setResults(null);
                      }}
                    >
                      <span className="timeline-time">{new Intl.DateTimeFormat(getLocale(), { timeStyle: 'short' }).format(new Date(s.time))}</span>
                      <span className="timeline-meta">{s.planId ?? s.shortId}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </aside>

      <section className="browser" aria-label={t('ui.restore.files')}>
        <form className="search-row" role="search" onSubmit={submitSearch}>
          <label className="visually-hidden" htmlFor="restore-search">{t('ui.restore.search')}</label>
          <input id="restore-search" type="search" placeholder={t('ui.restore.searchPlaceholder')} value={query} onChange={(e) => setQuery(e.target.value)} />
          <label className="check">
            <input type="checkbox" checked={allSnapshots} onChange={(e) => setAllSnapshots(e.target.checked)} />
            {t('ui.restore.searchAll')}
          </label>
          <button type="submit" className="btn btn-secondary" disabled={search.busy}>{t('ui.restore.searchButton')}</button>
        </form>

        {results ? (
          <SearchResults
            results={results}
            busy={search.busy}
            isSelected={isSelected}
            toggle={toggle}
            onVersions={(p) => void versions.run(p)}
            onClear={() => {
              setResults(null);
              setQuery('');
            }}
          />
        ) : (
          <>
            {folder ? (
              <nav className="breadcrumbs" aria-label={t('ui.restore.breadcrumbs')}>
                <ol>
                  {splitBreadcrumbs(folder).map((c, i, all) => (
                    <li key={c.path}>
                      {i === all.length - 1 ? (
                        <span aria-current="location">{c.label}</span>
                      ) : (
                        <button type="button" className="link" onClick={() => openFolder(c.path)}>{c.label}</button>
                      )}
                    </li>
                  ))}
                </ol>
              </nav>
            ) : null}
            {browse.error ? <ErrorNotice error={browse.error} onRetry={() => snapshotId && void browse.run(snapshotId, folder ?? undefined)} /> : null}
            {browse.busy && !listing ? <Spinner label={t('ui.common.loading')} /> : null}
            {listing && snapshotId ? (
              <EntryTable entries={listing.entries} snapshotId={snapshotId} isSelected={isSelected} toggle={toggle} onOpen={openFolder} onVersions={(p) => void versions.run(p)} />
            ) : null}
            {listing && listing.total > listing.entries.length ? <p className="muted small">{t('ui.restore.truncated', { shown: listing.entries.length, total: listing.total })}</p> : null}
          </>
        )}

        {search.error ? <ErrorNotice error={search.error} onDismiss={() => search.setError(null)} /> : null}

        <div className="selection-bar" aria-live="polite">
          <span>{selection ? plural('ui.restore.selected', selection.paths.length) : t('ui.restore.selectHint')}</span>
          <div className="row gap-s">
            {selection ? <button type="button" className="btn btn-ghost" onClick={() => setSelection(null)}>{t('ui.restore.clearSelection')}</button> : null}
            <button
              type="button"
              className="btn btn-primary"
              disabled={!selection}
              onClick={() => selection && setRequest({ snapshotId: selection.snapshotId, paths: selection.paths, snapshotTime: snapshots?.find((s) => s.id === selection.snapshotId)?.time ?? null })}
            >
              {t('ui.restore.restoreSelected')}
            </button>
          </div>
        </div>
      </section>

      {versionsOf ? (
        <aside className="versions" aria-labelledby="versions-title">
          <div className="row between">
            <h2 id="versions-title" className="section-title">{t('ui.restore.versionsOf', { name: baseName(versionsOf.path) })}</h2>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setVersionsOf(null)}>{t('ui.common.close')}</button>
          </div>
          {versions.error ? <ErrorNotice error={versions.error} /> : null}
          {!versionsOf.versions && !versions.error ? <Spinner label={t('ui.common.loading')} /> : null}
          <ol className="version-list">
            {versionsOf.versions?.map((v, i) => {
              const newest = [...v.snapshots].sort((a, b) => b.time.localeCompare(a.time))[0]!;
              const oldest = [...v.snapshots].sort((a, b) => a.time.localeCompare(b.time))[0]!;
              return (
                <li key={`${v.mtime}-${v.size}-${i}`} className="version">
                  <p className="version-title">{t('ui.restore.versionModified', { time: formatDateTime(v.mtime) })}</p>
                  <p className="muted small">
                    {formatBytes(v.size)} · {plural('ui.restore.inBackups', v.snapshots.length, { first: formatDateTime(oldest.time), last: formatDateTime(newest.time) })}
                  </p>
                  <button type="button" className="btn btn-secondary btn-small" onClick={() => setRequest({ snapshotId: newest.id, paths: [versionsOf.path], snapshotTime: newest.time })}>
                    {t('ui.restore.restoreVersion')}
                  </button>
                </li>
              );
            })}
          </ol>
        </aside>
      ) : null}

      {request ? (
        <RestoreDialog
          request={request}
          onClose={(done) => {
            setRequest(null);
            if (done) setSelection(null);
          }}
        />
      ) : null}
    </div>
  );
}

function EntryTable({ entries, snapshotId, isSelected, toggle, onOpen, onVersions }: {
  entries: Entry[];
  snapshotId: string;
  isSelected: (snap: string, path: string) => boolean;
  toggle: (snap: string, path: string) => void;
  onOpen: (path: string) => void;
  onVersions: (path: string) => void;
}) {
  if (entries.length === 0) return <Empty title={t('ui.restore.emptyFolder')} />;
  return (
    <table className="table files">
      <caption className="visually-hidden">{t('ui.restore.files')}</caption>
      <thead>
        <tr>
          <th scope="col" className="col-check"><span className="visually-hidden">{t('ui.restore.select')}</span></th>
          <th scope="col">{t('ui.restore.name')}</th>
          <th scope="col" className="num">{t('ui.restore.size')}</th>
          <th scope="col">{t('ui.restore.modified')}</th>
          <th scope="col"><span className="visually-hidden">{t('ui.restore.actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.path} className={isSelected(snapshotId, e.path) ? 'selected' : undefined}>
            <td className="col-check">
              <input type="checkbox" aria-label={t('ui.restore.selectItem', { name: e.name })} checked={isSelected(snapshotId, e.path)} onChange={() => toggle(snapshotId, e.path)} />
            </td>
            <td className="name">
              {e.type === 'dir' ? (
                <button type="button" className="link entry-dir" onClick={() => onOpen(e.path)}>
                  <span className="icon-folder" aria-hidden="true" />
                  {e.name}
                </button>
              ) : (
                <span className="entry-file">
                  <span className="icon-file" aria-hidden="true" />
                  {e.name}
                </span>
              )}
            </td>
            <td className="num">{e.type === 'dir' ? '' : formatBytes(e.size)}</td>
            <td>{formatDateTime(e.mtime)}</td>
            <td className="actions">
              {e.type === 'file' ? (
                <button type="button" className="btn btn-ghost btn-small" aria-label={t('ui.restore.versionsFor', { name: e.name })} onClick={() => onVersions(e.path)}>
                  {t('ui.restore.versions')}
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SearchResults({ results, busy, isSelected, toggle, onVersions, onClear }: {
  results: ApiOutput<'search'>;
  busy: boolean;
  isSelected: (snap: string, path: string) => boolean;
  toggle: (snap: string, path: string) => void;
  onVersions: (path: string) => void;
  onClear: () => void;
}) {
  return (
    <div className="search-results">
      <div className="row between">
        <p className="muted" aria-live="polite">{busy ? t('ui.common.loading') : plural('ui.restore.results', results.total)}</p>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>{t('ui.restore.backToFolder')}</button>
      </div>
      {results.items.length ? (
        <table className="table files">
          <caption className="visually-hidden">{t('ui.restore.searchResults')}</caption>
          <thead>
            <tr>
              <th scope="col" className="col-check"><span className="visually-hidden">{t('ui.restore.select')}</span></th>
              <th scope="col">{t('ui.restore.name')}</th>
              <th scope="col">{t('ui.restore.backup')}</th>
              <th scope="col" className="num">{t('ui.restore.size')}</th>
              <th scope="col"><span className="visually-hidden">{t('ui.restore.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {results.items.map((item: SearchItem) => (
              <tr key={`${item.snapshotId}:${item.path}`} className={isSelected(item.snapshotId, item.path) ? 'selected' : undefined}>
                <td className="col-check">
                  <input type="checkbox" aria-label={t('ui.restore.selectItem', { name: item.name })} checked={isSelected(item.snapshotId, item.path)} onChange={() => toggle(item.snapshotId, item.path)} />
                </td>
                <td className="name">
                  <span className="entry-file">
                    <span className={item.type === 'dir' ? 'icon-folder' : 'icon-file'} aria-hidden="true" />
                    <span>
                      {item.name}
                      <span className="path-hint" title={item.path}>{item.path}</span>
                    </span>
                  </span>
                </td>
                <td>{formatDateTime(item.snapshotTime)}</td>
                <td className="num">{item.type === 'dir' ? '' : formatBytes(item.size)}</td>
                <td className="actions">
                  {item.type === 'file' ? (
                    <button type="button" className="btn btn-ghost btn-small" aria-label={t('ui.restore.versionsFor', { name: item.name })} onClick={() => onVersions(item.path)}>
                      {t('ui.restore.versions')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : busy ? null : (
        <Empty title={t(results.scopeLimited ? 'restore.search.noneInScope' : 'ui.restore.noResults')} />
      )}
    </div>
  );
}

/** "sex., 27 de nov." (the year only when it is not the current one). */
function dayLabel(date: Date): string {
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return new Intl.DateTimeFormat(getLocale(), { weekday: 'short', day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) }).format(date);
}
