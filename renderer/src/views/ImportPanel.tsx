// Settings → Importar: choose (or paste) a Backrest config.json, see what importing will do, then
// import (merge), or replace everything after a confirmation that lists what goes away. The
// content is never displayed: it may hold passwords. The last import can be undone in one step.
import { useEffect, useState, type ClipboardEvent } from 'react';
import type { ApiOutput } from '../../../electron/core/api.js';
import type { ErrorPayload } from '../../../electron/core/errors.js';
import { formatBytes, formatDateTime, getLocale, t } from '../../../electron/core/i18n/index.js';
import { importSummary, instanceLine, nothingChanges, pluralText, secretNames, type ImportPreviewData } from '../../../electron/core/i18n/import-text.js';
import { Dialog, ErrorNotice, Field, plural, useAction } from '../components/common.js';
import { FileButton } from '../components/LocaleControls.js';
import { useClient } from '../state/store.js';

type ImportResult = ApiOutput<'importBackrest'>;
type UndoInfo = ApiOutput<'getImportUndo'>;

function Section({ base, items }: { base: string; items: Array<{ key: string; label: string; detail?: string }> }) {
  if (items.length === 0) return null;
  return (
    <div className="import-section">
      <p className="import-section-title">{plural(base, items.length)}</p>
      <ul className="import-items">
        {items.map((item) => (
          <li key={item.key}>
            <span className="mono">{item.label}</span>
            {item.detail ? <span className="muted small"> — {item.detail}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function repoDetail(r: { fields: string[]; secrets: string[] }): string | undefined {
  const parts: string[] = [];
  if (r.fields.length > 0) parts.push(t('import.changedFields', { fields: r.fields.join(', ') }));
  if (r.secrets.length > 0) parts.push(t('import.newSecrets', { names: secretNames(r.secrets, getLocale()) }));
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function removedRepoDetail(r: { secrets: string[] }): string | undefined {
  return r.secrets.length > 0 ? pluralText('import.savedSecrets', r.secrets.length, getLocale(), { names: secretNames(r.secrets, getLocale()) }) : undefined;
}

/** What the file gets wrong although it loads (e.g. REST_RESTIC_* names restic never reads): warnings, not refusals. */
export function ImportDiagnostics({ items }: { items: NonNullable<ImportPreviewData['diagnostics']> }) {
  if (items.length === 0) return null;
  return (
    <div className="hint hint-warn import-diagnostics" role="note" aria-label={t('ui.import.diagnosticsTitle')} data-testid="import-diagnostics">
      <p className="import-section-title">{plural('import.diagnostics', items.length)}</p>
      <ul className="import-items">
        {items.map((d, i) => (
          <li key={`${d.code}-${i}`} data-severity={d.severity}>
            <span>{d.message}</span>
            <span className="muted small"> — {d.action}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ImportPreviewView({ preview }: { preview: ImportPreviewData }) {
  const ids = (list: string[]) => list.map((id) => ({ key: id, label: id }));
  return (
    <div className="preview import-preview" aria-labelledby="import-preview-title">
      <p id="import-preview-title" className="preview-title">{t(preview.mode === 'replace' ? 'import.title.replace' : 'import.title.merge')}</p>
      {nothingChanges(preview) ? <p>{t('import.nothing')}</p> : null}
      <Section base="import.repos.added" items={preview.repos.added.map((r) => ({ key: r.id, label: r.id, ...(r.secrets.length ? { detail: t('import.newSecrets', { names: secretNames(r.secrets, getLocale()) }) } : {}) }))} />
      <Section base="import.repos.updated" items={preview.repos.updated.map((r) => ({ key: r.id, label: r.id, ...(repoDetail(r) ? { detail: repoDetail(r)! } : {}) }))} />
      <Section base="import.repos.removed" items={preview.repos.removed.map((r) => ({ key: r.id, label: r.id, ...(removedRepoDetail(r) ? { detail: removedRepoDetail(r)! } : {}) }))} />
      <Section base="import.plans.added" items={ids(preview.plans.added)} />
      <Section base="import.plans.updated" items={preview.plans.updated.map((p) => ({ key: p.id, label: p.id, detail: t('import.changedFields', { fields: p.fields.join(', ') }) }))} />
      <Section base="import.plans.removed" items={ids(preview.plans.removed)} />
      <Section base="import.repos.untouched" items={ids(preview.repos.untouched)} />
      <Section base="import.plans.untouched" items={ids(preview.plans.untouched)} />
      <Section base="import.repos.unchanged" items={ids(preview.repos.unchanged)} />
      <Section base="import.plans.unchanged" items={ids(preview.plans.unchanged)} />
      <p className={preview.instance.changes && !preview.fresh ? 'hint hint-warn' : 'small'}>{instanceLine(preview, getLocale())}</p>
      {preview.settings.length > 0 ? <p className="small">{t('import.settings', { names: preview.settings.join(', ') })}</p> : null}
      {/* Passwords equal to the saved ones change nothing: no line about them then. */}
      {preview.secretsFromFile > 0 && !nothingChanges(preview) ? <p className="muted small">{plural('import.secretsFromFile', preview.secretsFromFile)}</p> : null}
      <ImportDiagnostics items={preview.diagnostics ?? []} />
    </div>
  );
}

function ReplaceDialog({ preview, busy, error, onConfirm, onCancel }: { preview: ImportPreviewData; busy: boolean; error: ErrorPayload | null; onConfirm: () => void; onCancel: () => void }) {
  const removedRepos = preview.repos.removed;
  const removedPlans = preview.plans.removed;
  const nothing = removedRepos.length === 0 && removedPlans.length === 0;
  return (
    <Dialog title={t('ui.import.replaceTitle')} onClose={onCancel} wide>
      {nothing ? <p>{t('ui.import.replaceNothing')}</p> : (
        <>
          <p>{t('ui.import.replaceText')}</p>
          <Section base="import.repos.removed" items={removedRepos.map((r) => ({ key: r.id, label: r.id, ...(removedRepoDetail(r) ? { detail: removedRepoDetail(r)! } : {}) }))} />
          <Section base="import.plans.removed" items={removedPlans.map((id) => ({ key: id, label: id }))} />
        </>
      )}
      {preview.settings.length > 0 ? <p className="small">{t('import.settings', { names: preview.settings.join(', ') })}</p> : null}
      <p className="small">{instanceLine(preview, getLocale())}</p>
      <p className="muted small">{t('ui.import.replaceUndo')}</p>
      {error ? <ErrorNotice error={error} /> : null}
      <div className="dialog-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel}>{t('ui.import.cancel')}</button>
        <button type="button" className="btn btn-primary btn-destructive" disabled={busy} onClick={onConfirm}>{t('ui.import.replaceConfirm')}</button>
      </div>
    </Dialog>
  );
}

export function ImportPanel({ disabled, onImported }: { disabled: boolean; onImported: () => void }) {
  const client = useClient();
  const [content, setContent] = useState<string | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [takeInstance, setTakeInstance] = useState<boolean | undefined>(undefined);
  const [preview, setPreview] = useState<ImportPreviewData | null>(null);
  const [replacePreview, setReplacePreview] = useState<ImportPreviewData | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [undone, setUndone] = useState<ApiOutput<'undoImport'> | null>(null);
  const [undoInfo, setUndoInfo] = useState<UndoInfo>(null);

  const refreshUndo = async () => setUndoInfo(await client.call('getImportUndo', {}));
  const input = (mode: 'merge' | 'replace') => ({ content: content ?? '', mode, ...(takeInstance !== undefined ? { takeInstance } : {}) });

  const load = useAction(async () => {
    setPreview(content ? await client.call('previewImport', input('merge')) : null);
  });
  useEffect(() => {
    void refreshUndo().catch(() => undefined);
  }, []);
  useEffect(() => {
    setPreview(null);
    load.setError(null);
    if (content) void load.run();
  }, [content, takeInstance]);

  const reset = () => {
    setContent(null);
    setTakeInstance(undefined);
    setFileKey((k) => k + 1);
  };
  const finish = async (out: ImportResult) => {
    setResult(out);
    setUndone(null);
    setReplacePreview(null);
    reset();
    await refreshUndo();
    onImported();
  };
  const doImport = useAction(async () => finish(await client.call('importBackrest', input('merge'))));
  const askReplace = useAction(async () => setReplacePreview(await client.call('previewImport', input('replace'))));
  const doReplace = useAction(async () => finish(await client.call('importBackrest', input('replace'))));
  const doUndo = useAction(async () => {
    setUndone(await client.call('undoImport', {}));
    setResult(null);
    await refreshUndo();
    onImported();
  });

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    // Taken from the clipboard and never put into the box: the content may hold passwords.
    e.preventDefault();
    const text = e.clipboardData.getData('text');
    if (text.trim()) {
      setResult(null);
      setUndone(null);
      setContent(text);
    }
  };
  const error = load.error ?? doImport.error ?? askReplace.error;
  const busy = load.busy || doImport.busy || askReplace.busy || doReplace.busy;
  const instanceChecked = takeInstance ?? (preview ? preview.instance.result === preview.instance.file : false);
  const instanceDiffers = preview ? preview.instance.current !== preview.instance.file : false;

  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title" className="card-title">{t('ui.import.title')}</h2>
      <p className="muted small">{t('ui.import.text')}</p>
      <fieldset disabled={disabled} className="editor-stack plain">
        <Field label={t('ui.import.file')}>
          {(p) => (
            <FileButton key={fileKey} id={p.id} accept=".json,application/json" onFile={(file) => {
              setResult(null);
              setUndone(null);
              void file.text().then(setContent);
            }} />
          )}
        </Field>
        {content === null ? (
          <Field label={t('ui.import.paste')}>
            {(p) => <textarea {...p} rows={2} className="paste-box" value="" placeholder={t('ui.import.pastePlaceholder')} onPaste={onPaste} onChange={() => undefined} />}
          </Field>
        ) : (
          <div className="row gap-s wrap between">
            <p className="small" role="status">{t('ui.import.loaded', { size: formatBytes(new TextEncoder().encode(content).length) })}</p>
            <button type="button" className="btn btn-ghost btn-small" onClick={reset}>{t('ui.import.clear')}</button>
          </div>
        )}
        {load.busy ? <p className="muted small">{t('ui.import.previewing')}</p> : null}
        {preview ? <ImportPreviewView preview={preview} /> : null}
        {preview && instanceDiffers ? (
          <div>
            <label className="check">
              <input type="checkbox" checked={instanceChecked} onChange={(e) => setTakeInstance(e.target.checked)} />
              {t('ui.import.takeInstance')}
            </label>
            <p className="hint">{t('ui.import.takeInstanceHint')}</p>
          </div>
        ) : null}
        <div className="row gap-s wrap">
          <button type="button" className="btn btn-primary" disabled={!preview || busy} onClick={() => void doImport.run()}>{t('ui.import.import')}</button>
          <button type="button" className="btn btn-ghost btn-danger" disabled={!preview || busy} onClick={() => void askReplace.run()}>{t('ui.import.replace')}</button>
        </div>
      </fieldset>
      {error ? <ErrorNotice error={error} /> : null}
      {result ? (
        <div className="notice notice-ok" role="status">
          <p className="notice-title">{t(result.preview.mode === 'replace' ? 'import.done.replace' : 'import.done.merge', { summary: importSummary(result.preview, getLocale()) })}</p>
          {result.preview.mode === 'merge' && (result.preview.repos.untouched.length > 0 || result.preview.plans.untouched.length > 0) ? <p>{t('import.done.kept')}</p> : null}
          {result.instanceChanged ? <p>{t('import.done.instance', { instance: result.instance })}</p> : null}
          {result.movedSecrets > 0 ? <p>{plural('import.done.secrets', result.movedSecrets)}</p> : null}
          <ImportDiagnostics items={result.preview.diagnostics ?? []} />
        </div>
      ) : null}
      {undone ? <p className="notice notice-ok" role="status">{t('import.undone', { when: formatDateTime(undone.takenAt) })}</p> : null}
      {undoInfo && content === null ? (
        <div className="undo-box" role="group" aria-label={t('ui.import.undoTitle')}>
          <p className="small">{t('import.undoAvailable', { when: formatDateTime(undoInfo.takenAt) })}</p>
          {undoInfo.changedSince ? <p className="hint hint-warn">{t('import.undoChangedSince')}</p> : null}
          <button type="button" className="btn btn-secondary" disabled={doUndo.busy || disabled} onClick={() => void doUndo.run()}>{t('ui.import.undo')}</button>
          {doUndo.error ? <ErrorNotice error={doUndo.error} /> : null}
        </div>
      ) : null}
      {replacePreview ? (
        <ReplaceDialog preview={replacePreview} busy={doReplace.busy} error={doReplace.error} onConfirm={() => void doReplace.run()} onCancel={() => setReplacePreview(null)} />
      ) : null}
    </section>
  );
}
