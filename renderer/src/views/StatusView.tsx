// The tray popover: one unmistakable overall state, then one card per plan with live progress.
import { useState } from 'react';
import type { PlanStatus } from '../../../electron/core/api.js';
import { formatBytes, formatDateTime, formatDayTime, formatDuration, formatPast, t, type MessageKey } from '../../../electron/core/i18n/index.js';
import { ErrorNotice, ProgressBar, useAction } from '../components/common.js';
import { useNow } from '../components/route.js';
import { hrefOf } from '../logic/route.js';
import { baseName } from '../logic/paths.js';
import { bannerFor, causeAction, causeText, gaveUpLine, pauseUntil, planLabel, planTone, protectionSentence, retryLine, strugglingLine, type PauseChoice } from '../logic/status-model.js';
import { useClient, useStore } from '../state/store.js';

export function StatusView() {
  const client = useClient();
  const status = useStore((s) => s.status);
  const appInfo = useStore((s) => s.appInfo)!;
  const now = useNow();
  const banner = bannerFor(status, appInfo);
  const audience = appInfo.technician ? 'technician' : 'clerk';
  const [menuOpen, setMenuOpen] = useState(false);
  const pause = useAction(async (choice: PauseChoice) => {
    setMenuOpen(false);
    const next = await client.call('pause', { until: pauseUntil(choice, new Date()) });
    useStore.setState({ status: next });
  });
  const resume = useAction(async () => {
    const next = await client.call('resume', {});
    useStore.setState({ status: next });
  });
  const paused = Boolean(status?.pausedUntil) || status?.health === 'paused';
  const canPause = appInfo.capabilities.pause && appInfo.configured;

  return (
    <div className="status-view">
      <section className={`banner tone-${banner.tone}`} aria-labelledby="banner-title">
        <span className="banner-icon" aria-hidden="true" />
        <div className="banner-text">
          <h1 id="banner-title" className="banner-title">{t(banner.title)}</h1>
          {paused && status?.pausedUntil ? <p>{t('ui.status.pausedUntil', { time: formatDateTime(status.pausedUntil) })}</p> : null}
          {banner.causeCode ? <p className="banner-cause">{causeText(banner.causeCode, audience)}</p> : banner.cause ? <p className="banner-cause">{t(banner.cause)}</p> : null}
          {banner.causeCode && banner.action && banner.action !== 'ui.status.gaveUpAction' ? <p className="banner-action">{causeAction(banner.causeCode, audience)}</p> : banner.action ? <p className="banner-action">{t(banner.action)}</p> : null}
          {banner.tone === 'not-configured' ? (
            <a className="btn btn-primary" href={hrefOf('first-run')}>{t('ui.status.setUp')}</a>
          ) : null}
        </div>
      </section>

      {pause.error ? <ErrorNotice error={pause.error} onDismiss={() => pause.setError(null)} /> : null}
      {resume.error ? <ErrorNotice error={resume.error} onDismiss={() => resume.setError(null)} /> : null}

      {canPause ? (
        <div className="pause-row">
          {paused ? (
            <button type="button" className="btn btn-secondary" disabled={resume.busy} onClick={() => void resume.run()}>
              {t('ui.status.resume')}
            </button>
          ) : (
            <div className="menu-wrap">
              <button type="button" className="btn btn-ghost" aria-haspopup="true" aria-expanded={menuOpen} onClick={() => setMenuOpen((o) => !o)}>
                {t('ui.status.pause')}
              </button>
              {menuOpen ? (
                <ul className="menu" role="menu" aria-label={t('ui.status.pause')} onKeyDown={(e) => e.key === 'Escape' && setMenuOpen(false)}>
                  <li role="none">
                    <button type="button" role="menuitem" autoFocus onClick={() => void pause.run('hour')}>{t('ui.status.pauseHour')}</button>
                  </li>
                  <li role="none">
                    <button type="button" role="menuitem" onClick={() => void pause.run('tomorrow')}>{t('ui.status.pauseTomorrow')}</button>
                  </li>
                </ul>
              ) : null}
            </div>
          )}
        </div>
      ) : null}

      <div className="plan-list">
        {status?.plans.map((plan) => <PlanCard key={plan.planId} plan={plan} now={now} />)}
      </div>

      {appInfo.branding.supportContact || appInfo.agentMode ? (
        <footer className="support">
          {appInfo.branding.supportContact ? <p>{t('ui.status.support', { contact: appInfo.branding.supportContact })}</p> : null}
          {/* Issue 13: whether the machine's service or this session's own agent keeps the backups. */}
          {appInfo.agentMode ? <p className="agent-mode">{t(`ui.agentMode.status.${appInfo.agentMode}`)}</p> : null}
        </footer>
      ) : null}
    </div>
  );
}

function PlanCard({ plan, now }: { plan: PlanStatus; now: Date }) {
  const client = useClient();
  const appInfo = useStore((s) => s.appInfo)!;
  const backup = useAction(async () => {
    // For a backup waiting out its backoff this is "Tentar agora": the agent starts the next attempt now.
    await client.call('runBackup', { planId: plan.planId });
  });
  const cancel = useAction(async (jobId: string) => {
    await client.call('cancelJob', { jobId });
  });
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState('');
  const rename = useAction(async (label: string) => {
    await client.call('setPlanLabel', { planId: plan.planId, label: label.trim() || null });
    useStore.setState({ status: await client.call('getStatus', {}) });
    setRenaming(false);
  });
  const audience = appInfo.technician ? 'technician' : 'clerk';
  const tone = planTone(plan);
  const progress = plan.running?.progress ?? null;
  const retry = retryLine(plan);
  const struggling = strugglingLine(plan);
  const headingId = `plan-${plan.planId}`;
  const name = planLabel(plan);
  const gaveUp = gaveUpLine(plan, now);
  const code = plan.running?.retryCause ?? (plan.state === 'failed' || plan.state === 'warning' ? plan.lastCause : null);

  return (
    <article className={`plan-card tone-${tone}`} aria-labelledby={headingId}>
      <header className="plan-head">
        <h2 id={headingId} className="plan-title">{name}</h2>
        <span className={`pill tone-${tone}`}>{t(retry || struggling ? 'ui.planState.retrying' : (`ui.planState.${plan.running ? 'running' : plan.state}` as MessageKey))}</span>
      </header>
      <p className="plan-paths" title={plan.paths.join('\n')}>{plan.paths.join(', ')}</p>
      <p className="plan-protection">{protectionSentence(plan, now, audience)}</p>

      {plan.running && (retry || struggling) ? (
        <div className="plan-retry" role="status">
          <p className="retry-line"><strong>{retry ?? struggling}</strong></p>
          {plan.running.retryCause ? <p className="muted">{t('ui.status.retryWhy', { cause: causeText(plan.running.retryCause, audience) })}</p> : null}
        </div>
      ) : plan.running ? (
        <div className="plan-progress">
          <ProgressBar value={progress?.percentDone ?? 0} label={t('ui.status.progressLabel', { plan: name })} />
          <p className="progress-line">
            <strong>{t('ui.common.percent', { percent: Math.round((progress?.percentDone ?? 0) * 100) })}</strong>
            {progress && progress.totalFiles > 0 ? <span>{t('ui.status.files', { done: progress.filesDone, total: progress.totalFiles })}</span> : null}
            {progress?.secondsRemaining !== undefined ? <span>{t('ui.status.eta', { duration: formatDuration(progress.secondsRemaining * 1000) })}</span> : null}
          </p>
          {progress?.currentFiles[0] ? <p className="current-file" title={progress.currentFiles[0]}>{baseName(progress.currentFiles[0])}</p> : null}
          {!progress ? <p className="muted">{t('ui.status.starting')}</p> : null}
        </div>
      ) : (
        <dl className="facts">
          <div>
            <dt>{t('ui.status.lastBackup')}</dt>
            <dd>
              {plan.lastSuccessAt ? <time dateTime={plan.lastSuccessAt} title={formatDateTime(plan.lastSuccessAt)}>{formatPast(plan.lastSuccessAt, now)}</time> : t('ui.status.never')}
            </dd>
          </div>
          <div>
            <dt>{t('ui.status.nextRun')}</dt>
            <dd>{plan.nextRunAt ? <time dateTime={plan.nextRunAt} title={formatDateTime(plan.nextRunAt)}>{formatDayTime(plan.nextRunAt, now)}</time> : t('ui.status.noSchedule')}</dd>
          </div>
          {plan.lastBackupBytes !== null ? (
            <div>
              <dt>{t('ui.status.size')}</dt>
              <dd>{formatBytes(plan.lastBackupBytes)}</dd>
            </div>
          ) : null}
        </dl>
      )}

      {plan.lastCause && !plan.running && (plan.state === 'failed' || plan.state === 'warning') ? (
        <p className="plan-cause">{gaveUp ? t('ui.status.gaveUpAction') : causeAction(plan.lastCause, audience)}</p>
      ) : null}
      {gaveUp ? <p className="plan-gave-up">{gaveUp}</p> : null}
      {appInfo.technician && code ? <p className="tech-line muted small">{t('ui.status.technicianCode', { code: `${code} · ${plan.planId}` })}</p> : null}
      {backup.error ? <ErrorNotice error={backup.error} onDismiss={() => backup.setError(null)} /> : null}
      {cancel.error ? <ErrorNotice error={cancel.error} onDismiss={() => cancel.setError(null)} /> : null}

      <div className="plan-actions">
        {plan.running && retry ? (
          <>
            <button type="button" className="btn btn-primary" aria-label={t('ui.status.retryNowOf', { plan: name })} disabled={backup.busy} onClick={() => void backup.run()}>
              {t('ui.status.retryNow')}
            </button>
            <button type="button" className="btn btn-secondary" aria-label={t('ui.status.cancelRetryOf', { plan: name })} disabled={cancel.busy} onClick={() => void cancel.run(plan.running!.jobId)}>
              {t('ui.status.cancelRetry')}
            </button>
          </>
        ) : plan.running ? (
          <button type="button" className="btn btn-secondary" aria-label={t('ui.status.cancelOf', { plan: name })} disabled={cancel.busy} onClick={() => void cancel.run(plan.running!.jobId)}>
            {t('ui.status.cancel')}
          </button>
        ) : appInfo.capabilities.backupNow ? (
          <button type="button" className="btn btn-primary" aria-label={t('ui.status.backupNowOf', { plan: name })} disabled={backup.busy} onClick={() => void backup.run()}>
            {t('ui.status.backupNow')}
          </button>
        ) : null}
        {plan.managed ? <span className="muted small">{t('ui.status.managed')}</span> : null}
        {appInfo.technician && !renaming ? (
          <button type="button" className="btn btn-ghost btn-small" aria-label={t('ui.status.renameOf', { plan: name })} onClick={() => { setDraft(name); setRenaming(true); }}>
            {t('ui.status.rename')}
          </button>
        ) : null}
      </div>
      {renaming ? (
        <form className="plan-label-edit" onSubmit={(e) => { e.preventDefault(); void rename.run(draft); }}>
          <label className="visually-hidden" htmlFor={`label-${plan.planId}`}>{t('ui.status.renameLabel', { id: plan.planId })}</label>
          <input id={`label-${plan.planId}`} type="text" value={draft} maxLength={80} autoFocus onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="btn btn-primary btn-small" disabled={rename.busy}>{t('ui.status.renameSave')}</button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setRenaming(false)}>{t('ui.common.cancel')}</button>
        </form>
      ) : null}
      {rename.error ? <ErrorNotice error={rename.error} onDismiss={() => rename.setError(null)} /> : null}
    </article>
  );
}
