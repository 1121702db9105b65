// Restore: pick a backup on the timeline, browse or search its files, look at a file's versions,
// select several items and restore them safely (the current files are never destroyed silently).
// Moving through time keeps the folder you are in (or its nearest parent that exists in that
// backup), as Time Machine does; searching all backups never waits for the whole index.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { ApiOutput, Entry, IndexStatus, SnapshotInfo } from '../../../electron/core/api.js';
import { formatBytes, formatDateTime, getLocale, t } from '../../../electron/core/i18n/index.js';
import { ApiError } from '../api/client.js';
import { Empty, ErrorNotice, ProgressBar, Spinner, plural, useAction } from '../components/common.js';
import { baseName, commonFolder, folderAndAncestors, groupByMonth, middleEllipsis, monthKey, parentPath, pathRoom, splitBreadcrumbs } from '../logic/paths.js';
import { planLabel } from '../logic/status-model.js';
import { useClient, useStore } from '../state/store.js';
import { RestoreDialog, type RestoreRequest } from './RestoreDialog.js';

type SearchItem = ApiOutput<'search'>['items'][number];
type Versions = ApiOutput<'versions'>;

interface Selection {
  snapshotId: string;
  paths: string[];
}

/** While indexing runs, a search across all backups is repeated this often so results grow. */
const indexPollMs = 1500;

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
  const [searched, setSearched] = useState<{ pattern: string; all: boolean } | null>(null);
  const [indexing, setIndexing] = useState<IndexStatus | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [versionsOf, setVersionsOf] = useState<{ path: string; versions: Versions | null } | null>(null);
  const [request, setRequest] = useState<RestoreRequest | null>(null);
  const [restoredNote, setRestoredNote] = useState<string | null>(null);
  const noteRef = useRef<HTMLParagraphElement>(null);
  const folderRef = useRef<string | null>(null);
  folderRef.current = folder;

  const loadSnapshots = useAction(async () => {
    const list = await client.call('listSnapshots', {});
    setSnapshots(list);
    setSnapshotId((current) => (current && list.some((s) => s.id === current) ? current : [...list].sort((a, b) => b.time.localeCompare(a.time))[0]?.id ?? null));
    // Listing started the background index of new snapshots: show how far it has come.
    setIndexing(await client.call('indexStatus', {}).catch(() => null));
  });
  /** Opens `wanted` in this backup, or the nearest parent that exists there, or the backup's own top folder. */
  const browse = useAction(async (id: string, wanted: string | null, fallback: string) => {
    const candidates = wanted ? folderAndAncestors(wanted).filter((p) => p !== '/' || wanted === '/') : [];
    for (const path of [...candidates, fallback]) {
      try {
        const out = await client.call('browse', { snapshotId: id, ...(path !== '/' ? { path } : {}), limit: 1000 });
        // A folder this backup does not have lists as empty: look in its parent before landing there.
        if (path !== fallback && out.entries.length === 0 && path !== '/') {
          const parent = await client.call('browse', { snapshotId: id, path: parentPath(path), limit: 1000 });
          if (!parent.entries.some((e) => e.path === out.path && e.type === 'dir')) continue;
        }
        setListing(out);
        setFolder(out.path);
        return;
      } catch (error) {
        if (!(error instanceof ApiError) || path === fallback || !(error.payload.code === 'error.notFound' || error.payload.code.startsWith('restore.'))) throw error;
      }
    }
  });
  const search = useAction(async (pattern: string, all: boolean) => {
    const out = await client.call('search', { pattern, ...(all || !snapshotId ? { indexedOnly: true } : { snapshotId }), limit: 200 });
    setResults(out);
    if (out.indexing) setIndexing(out.indexing);
  });
  const cancelIndexing = useAction(async () => {
    await client.call('cancelIndexing', {});
    setIndexing(await client.call('indexStatus', {}));
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
    setVersionsOf(null);
    void browse.run(snapshot.id, folderRef.current, commonFolder(snapshot.paths));
  }, [snapshot?.id]);

  // While the index is being built, a search across all backups is refreshed so it grows with it.
  const indexingRuns = !!indexing && indexing.running && indexing.indexed < indexing.total;
  useEffect(() => {
    if (!indexingRuns) return;
    const timer = setTimeout(() => {
      if (searched?.all && results) void search.run(searched.pattern, true);
      else void client.call('indexStatus', {}).then(setIndexing, () => undefined);
    }, indexPollMs);
    return () => clearTimeout(timer);
  }, [indexingRuns, indexing?.indexed, searched, results]);

  useEffect(() => {
    if (restoredNote) noteRef.current?.focus();
  }, [restoredNote]);

  const months = useMemo(() => groupByMonth(snapshots ?? []), [snapshots]);

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
  const toggleAll = (snap: string, paths: string[], on: boolean) => {
    setSelection((current) => {
      const kept = current && current.snapshotId === snap ? current.paths.filter((p) => !paths.includes(p)) : [];
      const next = on ? [...kept, ...paths] : kept;
      return next.length ? { snapshotId: snap, paths: next } : null;
    });
  };
  const isSelected = (snap: string, path: string) => selection?.snapshotId === snap && selection.paths.includes(path);

  const openFolder = (path: string) => {
    if (!snapshotId || !snapshot) return;
    setResults(null);
    setSearched(null);
    setVersionsOf(null);
    void browse.run(snapshotId, path, commonFolder(snapshot.paths));
  };

  const chooseSnapshot = (id: string) => {
    setSnapshotId(id);
    setResults(null);
    setSearched(null);
  };

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    setVersionsOf(null);
    if (query.trim()) {
      setSearched({ pattern: query.trim(), all: allSnapshots });
      void search.run(query.trim(), allSnapshots);
    } else {
      setResults(null);
      setSearched(null);
    }
  };

  return (
    <div className="restore-view">
      <aside className="timeline" aria-labelledby="timeline-title">
        <h1 id="timeline-title" className="section-title">{t('ui.restore.timeline')}</h1>
        {loadSnapshots.error ? <ErrorNotice error={loadSnapshots.error} onRetry={() => void loadSnapshots.run()} /> : null}
        {!snapshots && !loadSnapshots.error ? <Spinner label={t('ui.common.loading')} /> : null}
        {snapshots && snapshots.length === 0 ? <Empty title={t('ui.restore.noSnapshots')} /> : null}
        <Timeline months={months} selectedId={snapshotId} onChoose={chooseSnapshot} />
      </aside>

      <section className="browser" aria-label={t('ui.restore.files')}>
        <form className="search-row" role="search" onSubmit={submitSearch}>
          <label className="visually-hidden" htmlFor="restore-search">{t('ui.restore.search')}</label>
          <input id="restore-search" type="search" placeholder={t('ui.restore.searchPlaceholder')} value={query} onChange={(e) => setQuery(e.target.value)} />
          <label className="check">
            <input type="checkbox" checked={allSnapshots} onChange={(e) => setAllSnapshots(e.target.checked)} />
            {t('ui.restore.searchAll')}
          </label>
          <button type="submit" className="btn btn-secondary" disabled={search.busy && !searched?.all}>{t('ui.restore.searchButton')}</button>
        </form>

        {indexingRuns && (allSnapshots || searched?.all) ? (
          <div className="index-progress" role="status">
            <ProgressBar value={indexing.total ? indexing.indexed / indexing.total : 0} label={t('ui.restore.indexingLabel')} />
            <p className="small">
              {plural('ui.restore.indexing', indexing.total, { done: indexing.indexed })}
              {searched?.all ? <span className="muted"> · {t('ui.restore.indexingPartial')}</span> : null}
            </p>
            <button type="button" className="btn btn-ghost btn-small" disabled={cancelIndexing.busy} onClick={() => void cancelIndexing.run()}>{t('ui.restore.indexingCancel')}</button>
          </div>
        ) : null}
        {!indexingRuns && indexing && indexing.indexed < indexing.total && searched?.all ? (
          <p className="muted small" role="status">{plural('ui.restore.indexingStopped', indexing.total, { done: indexing.indexed })}</p>
        ) : null}

        {results ? (
          <SearchResults
            results={results}
            busy={search.busy && !results}
            across={!!searched?.all}
            isSelected={isSelected}
            toggle={(snap, path) => {
              toggle(snap, path);
              // The timeline shows the backup the ticked file will come from.
              if (snap !== snapshotId) setSnapshotId(snap);
            }}
            toggleAll={toggleAll}
            onVersions={(p) => void versions.run(p)}
            onClear={() => {
              setResults(null);
              setSearched(null);
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
            {browse.error ? <ErrorNotice error={browse.error} onRetry={() => snapshot && void browse.run(snapshot.id, folder, commonFolder(snapshot.paths))} /> : null}
            {browse.busy && !listing ? <Spinner label={t('ui.common.loading')} /> : null}
            {listing && snapshotId ? (
              <EntryTable entries={listing.entries} snapshotId={snapshotId} isSelected={isSelected} toggle={toggle} toggleAll={toggleAll} onOpen={openFolder} onVersions={(p) => void versions.run(p)} />
            ) : null}
            {listing && listing.total > listing.entries.length ? <p className="muted small">{t('ui.restore.truncated', { shown: listing.entries.length, total: listing.total })}</p> : null}
          </>
        )}

        {search.error ? <ErrorNotice error={search.error} onDismiss={() => search.setError(null)} /> : null}

        <div className="selection-bar" aria-live="polite">
          {restoredNote && !selection ? (
            <p ref={noteRef} tabIndex={-1} className="restored-note">{restoredNote}</p>
          ) : (
            <span>{selection ? plural('ui.restore.selected', selection.paths.length) : t('ui.restore.selectHint')}</span>
          )}
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
            if (done) {
              setSelection(null);
              setRestoredNote(done === true ? null : done);
            }
          }}
        />
      ) : null}
    </div>
  );
}

/**
 * The backups grouped by month, one month open at a time by default. Each open month is one Tab
 * stop: the arrow keys, Home and End move between its backups (a roving tabindex), so 88 backups
 * are a few stops, not 88.
 */
function Timeline({ months, selectedId, onChoose }: { months: ReturnType<typeof groupByMonth<SnapshotInfo>>; selectedId: string | null; onChoose: (id: string) => void }) {
  const selectedMonth = useMemo(() => {
    const s = months.flatMap((m) => m.items).find((i) => i.id === selectedId);
    return s ? monthKey(s.time) : months[0]?.month ?? null;
  }, [months, selectedId]);
  const [open, setOpen] = useState<Set<string>>(new Set());
  // Plans by the name people gave them (never a plan id or a snapshot id for a clerk).
  const plans = useStore((state) => state.status?.plans);
  const planLabels = useMemo(() => new Map((plans ?? []).map((p) => [p.planId, p.label ?? null] as const)), [plans]);
  useEffect(() => {
    if (selectedMonth) setOpen((current) => (current.has(selectedMonth) ? current : new Set([...current, selectedMonth])));
  }, [selectedMonth]);

  const onKeys = (e: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button.timeline-item')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const to = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const target = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
    buttons.forEach((b) => (b.tabIndex = b === target ? 0 : -1));
    target?.focus();
  };

  return (
    <ol className="timeline-months">
      {months.map((m) => {
        const isOpen = open.has(m.month);
        const label = monthLabel(m.date);
        const stop = m.items.some((i) => i.id === selectedId) ? selectedId : m.items[0]?.id;
        let lastDay = '';
        return (
          <li key={m.month}>
            <button
              type="button"
              className="timeline-month"
              aria-expanded={isOpen}
              onClick={() => setOpen((current) => {
                const next = new Set(current);
                if (next.has(m.month)) next.delete(m.month);
                else next.add(m.month);
                return next;
              })}
            >
              <span>{label}</span>
              <span className="muted small">{plural('ui.restore.monthCount', m.items.length)}</span>
            </button>
            {isOpen ? (
              <ul className="timeline-items" aria-label={label} onKeyDown={onKeys}>
                {m.items.map((s) => {
                  const day = dayLabel(new Date(s.time));
                  const showDay = day !== lastDay;
                  lastDay = day;
                  return (
                    <li key={s.id}>
                      <button
                        type="button"
                        className="timeline-item"
                        tabIndex={s.id === stop ? 0 : -1}
                        aria-pressed={s.id === selectedId}
                        aria-label={t('ui.restore.snapshotLabel', { time: formatDateTime(s.time), id: s.shortId })}
                        onClick={() => onChoose(s.id)}
                      >
                        <span className="timeline-when">
                          <span className={showDay ? 'timeline-daylabel' : 'timeline-daylabel visually-hidden'}>{day}</span>
                          <span className="timeline-time">{new Intl.DateTimeFormat(getLocale(), { timeStyle: 'short' }).format(new Date(s.time))}</span>
                        </span>
                        <span className="timeline-meta">{s.planId ? planLabel({ planId: s.planId, label: planLabels.get(s.planId) ?? null }) : ''}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

function SelectAll({ label, paths, snapshotId, isSelected, toggleAll }: {
  label: string;
  paths: string[];
  snapshotId: string;
  isSelected: (snap: string, path: string) => boolean;
  toggleAll: (snap: string, paths: string[], on: boolean) => void;
}) {
  const chosen = paths.filter((p) => isSelected(snapshotId, p)).length;
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = chosen > 0 && chosen < paths.length;
  }, [chosen, paths.length]);
  return <input ref={ref} type="checkbox" aria-label={label} checked={paths.length > 0 && chosen === paths.length} onChange={(e) => toggleAll(snapshotId, paths, e.target.checked)} />;
}

function EntryTable({ entries, snapshotId, isSelected, toggle, toggleAll, onOpen, onVersions }: {
  entries: Entry[];
  snapshotId: string;
  isSelected: (snap: string, path: string) => boolean;
  toggle: (snap: string, path: string) => void;
  toggleAll: (snap: string, paths: string[], on: boolean) => void;
  onOpen: (path: string) => void;
  onVersions: (path: string) => void;
}) {
  if (entries.length === 0) return <Empty title={t('ui.restore.emptyFolder')} />;
  return (
    <div className="table-scroll">
      <table className="table files">
        <caption className="visually-hidden">{t('ui.restore.files')}</caption>
        <thead>
          <tr>
            <th scope="col" className="col-check">
              <SelectAll label={t('ui.restore.selectAll')} paths={entries.map((e) => e.path)} snapshotId={snapshotId} isSelected={isSelected} toggleAll={toggleAll} />
            </th>
            <th scope="col">{t('ui.restore.name')}</th>
            <th scope="col" className="num col-size">{t('ui.restore.size')}</th>
            <th scope="col" className="col-modified">{t('ui.restore.modified')}</th>
            <th scope="col"><span className="visually-hidden">{t('ui.restore.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <FileRow
              key={e.path}
              snapshotId={snapshotId}
              item={e}
              isSelected={isSelected}
              toggle={toggle}
              onVersions={onVersions}
              name={e.type === 'dir' ? (
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
            >
              <td className="num col-size">{e.type === 'dir' ? '' : formatBytes(e.size)}</td>
              <td className="col-modified">{formatDateTime(e.mtime)}</td>
            </FileRow>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One row of a file table, in the folder listing and in search results alike: the check box, the
 * name cell, the table's own columns (children), then the "Versões" action.
 */
function FileRow({ snapshotId, item, isSelected, toggle, onVersions, name, children }: {
  snapshotId: string;
  item: { type: string; name: string; path: string };
  isSelected: (snap: string, path: string) => boolean;
  toggle: (snap: string, path: string) => void;
  onVersions: (path: string) => void;
  name: ReactNode;
  children: ReactNode;
}) {
  const selected = isSelected(snapshotId, item.path);
  return (
    <tr className={selected ? 'selected' : undefined}>
      <td className="col-check">
        <input type="checkbox" aria-label={t('ui.restore.selectItem', { name: item.name })} checked={selected} onChange={() => toggle(snapshotId, item.path)} />
      </td>
      <td className="name">{name}</td>
      {children}
      <VersionsCell entry={item} onVersions={onVersions} />
    </tr>
  );
}

/** The "Versões" action of a row, in the folder listing and in search results alike. */
function VersionsCell({ entry, onVersions }: { entry: { type: string; name: string; path: string }; onVersions: (path: string) => void }) {
  return (
    <td className="actions">
      {entry.type === 'file' ? (
        <button type="button" className="btn btn-ghost btn-small" aria-label={t('ui.restore.versionsFor', { name: entry.name })} onClick={() => onVersions(entry.path)}>
          {t('ui.restore.versions')}
        </button>
      ) : null}
    </td>
  );
}

function SearchResults({ results, busy, across, isSelected, toggle, toggleAll, onVersions, onClear }: {
  results: ApiOutput<'search'>;
  busy: boolean;
  across: boolean;
  isSelected: (snap: string, path: string) => boolean;
  toggle: (snap: string, path: string) => void;
  toggleAll: (snap: string, paths: string[], on: boolean) => void;
  onVersions: (path: string) => void;
  onClear: () => void;
}) {
  const folders = results.items.map((i) => parentPath(i.path));
  // Select-all works within one backup (a restore comes from one backup): the newest one shown.
  const firstSnap = results.items[0]?.snapshotId;
  const sameSnap = firstSnap ? results.items.filter((i) => i.snapshotId === firstSnap).map((i) => i.path) : [];
  return (
    <div className="search-results">
      <div className="row between">
        <p className="muted" aria-live="polite">{busy ? t('ui.common.loading') : plural('ui.restore.results', results.total)}</p>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>{t('ui.restore.backToFolder')}</button>
      </div>
      {results.items.length ? (
        <div className="table-scroll">
          <table className="table files">
            <caption className="visually-hidden">{t('ui.restore.searchResults')}</caption>
            <thead>
              <tr>
                <th scope="col" className="col-check">
                  {firstSnap ? <SelectAll label={t('ui.restore.selectAllResults')} paths={sameSnap} snapshotId={firstSnap} isSelected={isSelected} toggleAll={toggleAll} /> : null}
                </th>
                <th scope="col">{t('ui.restore.name')}</th>
                <th scope="col" className="col-backup">{t('ui.restore.backup')}</th>
                <th scope="col" className="num col-size">{t('ui.restore.size')}</th>
                <th scope="col"><span className="visually-hidden">{t('ui.restore.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {results.items.map((item: SearchItem, i) => (
                <FileRow
                  key={`${item.snapshotId}:${item.path}`}
                  snapshotId={item.snapshotId}
                  item={item}
                  isSelected={isSelected}
                  toggle={toggle}
                  onVersions={onVersions}
                  name={(
                    <span className="entry-file">
                      <span className={item.type === 'dir' ? 'icon-folder' : 'icon-file'} aria-hidden="true" />
                      <span>
                        {item.name}
                        <span className="path-hint" title={item.path}>{middleEllipsis(folders[i]!, pathRoom(window.innerWidth, 44), folders)}</span>
                      </span>
                    </span>
                  )}
                >
                  <td className="col-backup">
                    {across && (item.snapshotCount ?? 1) > 1 ? (
                      <span>
                        {t('ui.restore.newestIn', { time: formatDateTime(item.snapshotTime) })}
                        <span className="muted small block">{plural('ui.restore.alsoIn', (item.snapshotCount ?? 1) - 1)}</span>
                      </span>
                    ) : formatDateTime(item.snapshotTime)}
                  </td>
                  <td className="num col-size">{item.type === 'dir' ? '' : formatBytes(item.size)}</td>
                </FileRow>
              ))}
            </tbody>
          </table>
        </div>
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

/** "Novembro de 2026" (only the first letter capitalised: "de" stays small). */
function monthLabel(date: Date): string {
  const text = new Intl.DateTimeFormat(getLocale(), { month: 'long', year: 'numeric' }).format(date);
  return text.charAt(0).toLocaleUpperCase(getLocale()) + text.slice(1);
}
