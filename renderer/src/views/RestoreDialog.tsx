// The restore dialog: where to put the files, what to do when a file already exists, then live
// progress and the final report. Keep-both is preselected: nothing is overwritten by surprise.
import { useId, useState } from 'react';
import type { RestoreReport } from '../../../electron/core/api.js';
import { formatDateTime, t } from '../../../electron/core/i18n/index.js';
import { Dialog, ErrorNotice, Field, ProgressBar, plural, useAction } from '../components/common.js';
import { isAbsolutePath } from '../logic/validate.js';
import { useClient, useStore } from '../state/store.js';

export interface RestoreRequest {
  snapshotId: string;
  paths: string[];
  snapshotTime: string | null;
}

type Conflict = 'keep-both' | 'replace' | 'skip';

export function RestoreDialog({ request, onClose }: { request: RestoreRequest; onClose: (done: boolean) => void }) {
  const client = useClient();
  const appInfo = useStore((s) => s.appInfo)!;
  const desktop = client.desktop;
  const [where, setWhere] = useState<'original' | 'folder'>('original');
  const [folder, setFolder] = useState('');
  const [conflict, setConflict] = useState<Conflict>('keep-both');
  const [jobId, setJobId] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const job = useStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const finished = useStore((s) => (jobId ? s.finished[jobId] : undefined));
  const groupName = useId();
  const conflictName = useId();

  const start = useAction(async () => {
    const out = await client.call('restore', {
      snapshotId: request.snapshotId,
      paths: request.paths,
      destination: where === 'original' ? { kind: 'original' } : { kind: 'folder', path: folder.trim() },
      conflict,
    });
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
    return (
      <Dialog title={t(finished.status === 'success' || finished.status === 'warning' ? 'ui.restoreDialog.doneTitle' : finished.status === 'cancelled' ? 'ui.restoreDialog.cancelledTitle' : 'ui.restoreDialog.failedTitle')} onClose={() => onClose(true)}>
        {finished.error ? <ErrorNotice error={finished.error} /> : null}
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
          <button type="button" className="btn btn-primary" onClick={() => onClose(true)}>{t('ui.restoreDialog.finish')}</button>
        </div>
      </Dialog>
    );
  }

  if (jobId) {
    const progress = job?.progress ?? null;
    return (
      <Dialog title={t('ui.restoreDialog.runningTitle')} onClose={() => undefined}>
        <p>{plural('ui.restoreDialog.runningText', request.paths.length, { time: when })}</p>
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
          {request.paths.slice(0, 5).map((p) => <li key={p} title={p}>{p}</li>)}
          {request.paths.length > 5 ? <li className="muted">{t('ui.restoreDialog.andMore', { count: request.paths.length - 5 })}</li> : null}
        </ul>

        <fieldset className="choice-group">
          <legend>{t('ui.restoreDialog.where')}</legend>
          <label className="choice">
            <input type="radio" name={groupName} checked={where === 'original'} onChange={() => setWhere('original')} />
            <span>
              <strong>{t('ui.restoreDialog.original')}</strong>
              <span className="choice-hint">{t('ui.restoreDialog.originalHint')}</span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name={groupName} checked={where === 'folder'} onChange={() => setWhere('folder')} />
            <span>
              <strong>{t('ui.restoreDialog.otherFolder')}</strong>
              <span className="choice-hint">{t('ui.restoreDialog.otherFolderHint')}</span>
            </span>
          </label>
          {where === 'folder' ? (
            <div className="row gap-s align-end indent">
              <Field label={t('ui.restoreDialog.folder')} problem={folderProblem}>
                {(props) => <input {...props} type="text" value={folder} placeholder={appInfo.homeDir} onChange={(e) => setFolder(e.target.value)} onBlur={() => setTouched(true)} />}
              </Field>
              {desktop?.pickFolder ? (
                <button type="button" className="btn btn-secondary" onClick={() => void pick.run()}>{t('ui.restoreDialog.choose')}</button>
              ) : null}
            </div>
          ) : null}
        </fieldset>

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

        {start.error ? <ErrorNotice error={start.error} /> : null}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={() => onClose(false)}>{t('ui.common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={start.busy || (touched && !canStart)}>{t('ui.restoreDialog.start')}</button>
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
