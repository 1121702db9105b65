// The restore dialog: where to put the files, what to do when a file already exists, then live
// progress and the final report. Keep-both is preselected: nothing is overwritten by surprise.
// Whether this person may restore here is asked before starting (checkRestore), so a refusal is
// said inline, next to the choice it concerns, and nothing chosen in the dialog is lost.
import { useEffect, useId, useState } from 'react';
import type { RestoreReport } from '../../../electron/core/api.js';
import { formatDateTime, t } from '../../../electron/core/i18n/index.js';
import { Dialog, ErrorNotice, Field, ProgressBar, plural, useAction } from '../components/common.js';
import { baseName, middleEllipsis, pathRoom } from '../logic/paths.js';
import { isAbsolutePath } from '../logic/validate.js';
import { useClient, useStore } from '../state/store.js';

export interface RestoreRequest {
  snapshotId: string;
  paths: string[];
  snapshotTime: string | null;
}

type Conflict = 'keep-both' | 'replace' | 'skip';

/** `done`: false = closed without restoring; true = finished; a string = finished, and what to tell the user where focus lands. */
export function RestoreDialog({ request, onClose }: { request: RestoreRequest; onClose: (done: boolean | string) => void }) {
  const client = useClient();
  const appInfo = useStore((s) => s.appInfo)!;
  const desktop = client.desktop;
  const [where, setWhere] = useState<'original' | 'folder'>('original');
  const [folder, setFolder] = useState('');
  const [conflict, setConflict] = useState<Conflict>('keep-both');
  const [jobId, setJobId] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [missingOnly, setMissingOnly] = useState(false);
  const [restoredPaths, setRestoredPaths] = useState<string[]>(request.paths);
  const [problem, setProblem] = useState<{ field: 'destination' | 'paths' | 'missing'; message: string } | null>(null);
  const job = useStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const finished = useStore((s) => (jobId ? s.finished[jobId] : undefined));
  const groupName = useId();
  const conflictName = useId();

  const destination = () => (where === 'original' ? { kind: 'original' as const } : { kind: 'folder' as const, path: folder.trim() });
  const check = useAction(async () => {
    const out = await client.call('checkRestore', { snapshotId: request.snapshotId, paths: request.paths, destination: destination() });
    setProblem(out.problem);
    return out.problem === null;
  });
  // Only the files missing on this computer: asked of the index now, so the count is shown first.
  const missing = useAction(async () => {
    const found: string[] = [];
    for (const path of request.paths) {
      for (let offset = 0; offset < 10_000; ) {
        const out = await client.call('missingFiles', { snapshotId: request.snapshotId, path, limit: 1000, offset });
        found.push(...out.entries.map((e) => e.path));
        offset += out.entries.length;
        if (out.entries.length < 1000) break;
      }
    }
    return found;
  });
  const [missingCount, setMissingCount] = useState<number | null>(null);
  useEffect(() => {
    if (!missingOnly || where !== 'original') return;
    void missing.run().then((found) => setMissingCount(found?.length ?? null));
  }, [missingOnly, where]);
  const start = useAction(async () => {
    if (!(await check.run())) return;
    let paths = request.paths;
    const onlyMissing = missingOnly && where === 'original';
    if (onlyMissing) {
      paths = (await missing.run()) ?? [];
      setMissingCount(paths.length);
      if (paths.length === 0) {
        setProblem({ field: 'missing', message: t('ui.restoreDialog.nothingMissing') });
        return;
      }
    }
    const out = await client.call('restore', { snapshotId: request.snapshotId, paths, destination: destination(), conflict: onlyMissing ? 'skip' : conflict });
    setRestoredPaths(paths);
    setJobId(out.jobId);
  });
  const cancel = useAction(async () => {
    if (jobId) await client.call('cancelJob', { jobId });
  });
  const pick = useAction(async () => {
    const chosen = await desktop?.pickFolder?.();
    if (chosen) setFolder(chosen);
  });

  const folderProblem = where === 'folder' && touched ? (!folder.trim() ? t('ui.validate.required') : !isAbsolutePath(folder.trim()) ? t('ui.validate.absolutePath') : null) : null;
  const canStart = where === 'original' || (folder.trim() !== '' && isAbsolutePath(folder.trim()));
  const when = request.snapshotTime ? formatDateTime(request.snapshotTime) : request.snapshotId.slice(0, 8);

  if (finished) {
    const succeeded = finished.status === 'success' || finished.status === 'warning';
    const names = restoredPaths.map((p) => baseName(p));
    const note = succeeded ? plural('ui.restoreDialog.restoredNote', names.length, { name: names[0] ?? '', time: when }) : true;
    return (
      <Dialog title={t(succeeded ? 'ui.restoreDialog.doneTitle' : finished.status === 'cancelled' ? 'ui.restoreDialog.cancelledTitle' : 'ui.restoreDialog.failedTitle')} onClose={() => onClose(note)}>
        {finished.error ? <ErrorNotice error={finished.error} /> : null}
        {succeeded ? (
          <>
            <p>{plural('ui.restoreDialog.doneWhat', names.length, { time: when })}</p>
            <ul className="chosen-list">
              {restoredPaths.slice(0, 5).map((p) => <li key={p} title={p}>{baseName(p)}</li>)}
              {restoredPaths.length > 5 ? <li className="muted">{t('ui.restoreDialog.andMore', { count: restoredPaths.length - 5 })}</li> : null}
            </ul>
          </>
        ) : null}
        {finished.status === 'cancelled' ? <p>{t('ui.restoreDialog.cancelledText')}</p> : null}
        {finished.restoreReport ? <ReportView report={finished.restoreReport} /> : null}
        <div className="dialog-actions">
          {finished.restoreReport && desktop?.openPath ? (
            <button type="button" className="btn btn-secondary" onClick={() => void desktop.openPath!(finished.restoreReport!.destination)}>
              {t('ui.restoreDialog.openFolder')}
            </button>
          ) : null}
          {finished.restoreReport?.replacedFolder && desktop?.openPath ? (
            <button type="button" className="btn btn-secondary" onClick={() => void desktop.openPath!(finished.restoreReport!.replacedFolder!)}>
              {t('ui.restoreDialog.openReplaced')}
            </button>
          ) : null}
          <button type="button" className="btn btn-primary" onClick={() => onClose(note)}>{t('ui.restoreDialog.finish')}</button>
        </div>
      </Dialog>
    );
  }

  if (jobId) {
    const progress = job?.progress ?? null;
    return (
      <Dialog title={t('ui.restoreDialog.runningTitle')} onClose={() => undefined}>
        <p>{plural('ui.restoreDialog.runningText', restoredPaths.length, { time: when })}</p>
        <ProgressBar value={progress?.percentDone ?? 0} label={t('ui.restoreDialog.progressLabel')} />
        <p className="progress-line">
          <strong>{t('ui.common.percent', { percent: Math.round((progress?.percentDone ?? 0) * 100) })}</strong>
          {progress?.filesDone !== null && progress?.filesDone !== undefined && progress.totalFiles ? <span>{t('ui.status.files', { done: progress.filesDone, total: progress.totalFiles })}</span> : null}
        </p>
        {cancel.error ? <ErrorNotice error={cancel.error} /> : null}
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" disabled={cancel.busy} onClick={() => void cancel.run()}>{t('ui.restoreDialog.cancelRestore')}</button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('ui.restoreDialog.title')} onClose={() => onClose(false)} wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (canStart) void start.run();
        }}
      >
        <p className="lead">{plural('ui.restoreDialog.summary', request.paths.length, { time: when })}</p>
        <ul className="chosen-list">
          {request.paths.slice(0, 5).map((p) => <li key={p} title={p}>{middleEllipsis(p, pathRoom(window.innerWidth + 60, 60), request.paths)}</li>)}
          {request.paths.length > 5 ? <li className="muted">{t('ui.restoreDialog.andMore', { count: request.paths.length - 5 })}</li> : null}
        </ul>
        {problem?.field === 'paths' ? <p className="notice notice-error inline-problem" role="alert">{problem.message}</p> : null}

        <fieldset className="choice-group">
          <legend>{t('ui.restoreDialog.where')}</legend>
          <label className="choice">
            <input type="radio" name={groupName} checked={where === 'original'} onChange={() => { setWhere('original'); setProblem(null); }} />
            <span>
              <strong>{t('ui.restoreDialog.original')}</strong>
              <span className="choice-hint">{t('ui.restoreDialog.originalHint')}</span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name={groupName} checked={where === 'folder'} onChange={() => { setWhere('folder'); setProblem(null); }} />
            <span>
              <strong>{t('ui.restoreDialog.otherFolder')}</strong>
              <span className="choice-hint">{t('ui.restoreDialog.otherFolderHint')}</span>
            </span>
          </label>
          {where === 'folder' ? (
            <div className="row gap-s align-end indent">
              <Field label={t('ui.restoreDialog.folder')} problem={folderProblem ?? (problem?.field === 'destination' ? problem.message : null)}>
                {(props) => (
                  <input
                    {...props}
                    type="text"
                    value={folder}
                    placeholder={appInfo.homeDir}
                    onChange={(e) => {
                      setFolder(e.target.value);
                      if (problem?.field === 'destination') setProblem(null);
                    }}
                    onBlur={() => {
                      setTouched(true);
                      // Decided as soon as the folder is typed, not after pressing Restore.
                      if (folder.trim() && isAbsolutePath(folder.trim())) void check.run();
                    }}
                  />
                )}
              </Field>
              {desktop?.pickFolder ? (
                <button type="button" className="btn btn-secondary" onClick={() => void pick.run()}>{t('ui.restoreDialog.choose')}</button>
              ) : null}
            </div>
          ) : null}
        </fieldset>

        {where === 'original' ? (
          <label className="choice choice-check">
            <input type="checkbox" checked={missingOnly} onChange={(e) => { setMissingOnly(e.target.checked); setProblem(null); }} />
            <span>
              <strong>{t('ui.restoreDialog.missingOnly')}</strong>
              <span className="choice-hint">
                {missingOnly && missing.busy ? t('ui.common.loading') : missingOnly && missingCount !== null ? plural('ui.restoreDialog.missingCount', missingCount) : t('ui.restoreDialog.missingOnlyHint')}
              </span>
            </span>
          </label>
        ) : null}
        {problem?.field === 'missing' ? <p className="notice inline-problem" role="status">{problem.message}</p> : null}
        {missing.error ? <ErrorNotice error={missing.error} /> : null}

        {missingOnly && where === 'original' ? null : (<>
        <fieldset className="choice-group">
          <legend>{t('ui.restoreDialog.conflict')}</legend>
          <label className="choice">
            <input type="radio" name={conflictName} checked={conflict === 'keep-both'} onChange={() => setConflict('keep-both')} />
            <span>
              <strong>{t('ui.restoreDialog.keepBoth')}</strong>
              <span className="choice-hint">{t('ui.restoreDialog.keepBothHint')}</span>
            </span>
          </label>
          <label className={`choice${appInfo.capabilities.overwriteOnRestore ? '' : ' choice-disabled'}`}>
            <input type="radio" name={conflictName} checked={conflict === 'replace'} disabled={!appInfo.capabilities.overwriteOnRestore} onChange={() => setConflict('replace')} />
            <span>
              <strong>{t('ui.restoreDialog.replace')}</strong>
              <span className="choice-hint">
                {appInfo.capabilities.overwriteOnRestore ? t('ui.restoreDialog.replaceHint') : t('ui.restoreDialog.replaceNotAllowed')}
              </span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name={conflictName} checked={conflict === 'skip'} onChange={() => setConflict('skip')} />
            <span>
              <strong>{t('ui.restoreDialog.skip')}</strong>
              <span className="choice-hint">{t('ui.restoreDialog.skipHint')}</span>
            </span>
          </label>
        </fieldset>

        <p className="explain">{t(where === 'original' ? `ui.restoreDialog.explain.original.${conflict}` : `ui.restoreDialog.explain.folder.${conflict}`)}</p>
        </>)}

        {start.error ? <ErrorNotice error={start.error} /> : null}
        {check.error ? <ErrorNotice error={check.error} /> : null}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={() => onClose(false)}>{t('ui.common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={start.busy || (touched && !canStart) || (problem !== null && problem.field !== 'missing')}>{t('ui.restoreDialog.start')}</button>
        </div>
      </form>
    </Dialog>
  );
}

function ReportView({ report }: { report: RestoreReport }) {
  const rows: Array<[string, number]> = [
    [t('ui.report.restored'), report.restored],
    [t('ui.report.keptBoth'), report.keptBoth],
    [t('ui.report.replaced'), report.replaced],
    [t('ui.report.unchanged'), report.unchanged],
    [t('ui.report.skipped'), report.skipped],
    [t('ui.report.failed'), report.failed.length],
  ];
  return (
    <div className="report">
      <p>{t('ui.report.destination', { path: report.destination })}</p>
      <dl className="report-counts">
        {/* "Restaurados: 0" beside "Mantidos os dois: 1" read as if nothing came back: zeros stay hidden. */}
        {rows.filter(([, n], i) => n > 0 || (i === 0 && rows.every(([, m]) => m === 0))).map(([label, n]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {report.keptBoth > 0 ? <p className="muted small">{t('ui.report.keptBothHint')}</p> : null}
      {report.replacedFolder ? <p className="muted small">{t('ui.report.replacedFolder', { path: report.replacedFolder })}</p> : null}
      {report.failed.length ? (
        <details className="notice-details">
          <summary>{t('ui.report.failedList')}</summary>
          <ul>{report.failed.map((f) => <li key={f.path}><code>{f.path}</code>: {f.reason}</li>)}</ul>
        </details>
      ) : null}
    </div>
  );
}
