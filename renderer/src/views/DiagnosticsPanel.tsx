// Configurações → Diagnóstico, for the technician: what this machine runs (restic version and what
// it can do), which files and folders Cofre uses, the machine policy and what is wrong with it,
// the configuration's problems, and the recent log. "Copiar para o suporte" puts all of it in one
// text; the agent has already redacted every line, and the bundle holds no config secrets at all.
import { useEffect, useState } from 'react';
import type { AgentRunMode, SupportDiagnostics } from '../../../electron/core/api.js';
import { t, type MessageKey } from '../../../electron/core/i18n/index.js';
import { ErrorNotice, Spinner, plural, useAction } from '../components/common.js';
import { useClient, useStore } from '../state/store.js';

export function supportBundle(d: SupportDiagnostics, agentMode?: AgentRunMode): string {
  const lines = [
    `Cofre ${d.appVersion} · ${d.platform} · ${d.hostname}`,
    ...(agentMode ? [`agent: ${agentMode}`] : []),
    `restic: ${d.restic.version ?? '-'} (${d.restic.binary ?? '-'})${d.restic.problem ? ` · ${d.restic.problem}` : ''}`,
    `restic capabilities: ${d.restic.capabilities.join(', ') || '-'}`,
    ...d.paths.map((p) => `${p.name}: ${p.path}`),
    `policy: ${d.policy.status}${d.policy.path ? ` (${d.policy.path})` : ''}${d.policy.problem ? ` · ${d.policy.problem}` : ''}`,
    `locked: ${d.policy.locked.join(', ') || '-'}`,
    `index: ${d.index.indexed}/${d.index.total}${d.index.running ? ' (running)' : ''}`,
    'config problems:',
    ...(d.configProblems.length ? d.configProblems.map((p) => `  [${p.severity}] ${p.code}${p.repoId ? ` repo=${p.repoId}` : ''}${p.planId ? ` plan=${p.planId}` : ''}: ${p.message}`) : ['  -']),
    'log:',
    ...d.log.map((l) => `  ${l}`),
  ];
  return lines.join('\n');
}

export function DiagnosticsPanel() {
  const client = useClient();
  const agentMode = useStore((s) => s.appInfo?.agentMode);
  const [data, setData] = useState<SupportDiagnostics | null>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const load = useAction(async () => {
    setData(await client.call('getDiagnostics', { logLines: 200 }));
  });
  useEffect(() => {
    void load.run();
  }, []);

  if (load.error && !data) return <ErrorNotice error={load.error} onRetry={() => void load.run()} />;
  if (!data) return <Spinner label={t('ui.common.loading')} />;
  const bundle = supportBundle(data, agentMode);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(bundle);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };

  return (
    <div className="diagnostics">
      <div className="row gap-s wrap">
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>{t('ui.diag.copy')}</button>
        <button type="button" className="btn btn-ghost" disabled={load.busy} onClick={() => void load.run()}>{t('ui.diag.refresh')}</button>
        {copied ? <span role="status" className="small">{t(copied === 'yes' ? 'ui.diag.copied' : 'ui.diag.copyFailed')}</span> : null}
      </div>

      {agentMode ? (
        <dl className="diag-agent">
          <dt>{t('ui.agentMode.diag.label')}</dt><dd>{t(`ui.agentMode.diag.${agentMode}`)}</dd>
        </dl>
      ) : null}

      <section aria-labelledby="diag-restic">
        <h2 id="diag-restic" className="card-title">{t('ui.diag.restic')}</h2>
        <dl>
          <dt>{t('ui.diag.version')}</dt><dd>{data.restic.version ?? t('ui.diag.none')}</dd>
          <dt>{t('ui.diag.binary')}</dt><dd>{data.restic.binary ?? t('ui.diag.none')}</dd>
          <dt>{t('ui.diag.capabilities')}</dt><dd>{data.restic.capabilities.join(', ') || t('ui.diag.none')}</dd>
        </dl>
        {data.restic.problem ? <p className="problem">{data.restic.problem}</p> : null}
      </section>

      <section aria-labelledby="diag-paths">
        <h2 id="diag-paths" className="card-title">{t('ui.diag.paths')}</h2>
        <dl>
          {data.paths.map((p) => (
            <div key={p.name} style={{ display: 'contents' }}>
              <dt>{t(`ui.diag.path.${p.name}` as MessageKey)}</dt><dd>{p.path}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="diag-policy">
        <h2 id="diag-policy" className="card-title">{t('ui.diag.policy')}</h2>
        <p>{t(`ui.diag.policy.${data.policy.status}` as MessageKey, { path: data.policy.path ?? '' })}</p>
        {data.policy.problem ? <p className="notice notice-error">{data.policy.problem}</p> : null}
        {data.policy.locked.length ? <p className="muted small">{t('ui.diag.locked', { fields: data.policy.locked.join(', ') })}</p> : null}
      </section>

      <section aria-labelledby="diag-config">
        <h2 id="diag-config" className="card-title">{t('ui.diag.config')}</h2>
        {data.configProblems.length ? (
          <ul className="import-items">
            {data.configProblems.map((p, i) => <li key={i}><strong>{p.message}</strong> {p.action}</li>)}
          </ul>
        ) : <p className="muted">{t('ui.diag.configOk')}</p>}
        <p className="muted small">{plural('ui.diag.index', data.index.total, { done: data.index.indexed })}</p>
      </section>

      <section aria-labelledby="diag-log">
        <h2 id="diag-log" className="card-title">{t('ui.diag.log')}</h2>
        <pre className="diagnostics-log" tabIndex={0} aria-labelledby="diag-log">{data.log.length ? data.log.join('\n') : t('ui.diag.logEmpty')}</pre>
      </section>

      <details>
        <summary>{t('ui.diag.bundle')}</summary>
        <textarea aria-label={t('ui.diag.bundle')} readOnly rows={10} className="mono" value={bundle} />
      </details>
    </div>
  );
}
