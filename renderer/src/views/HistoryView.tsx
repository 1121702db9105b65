// History: every operation the agent recorded, filterable, with the classified cause and the
// suggested action for failures.
import { Fragment, useEffect, useState } from 'react';
import type { ApiInput, ApiOutput, Operation } from '../../../electron/core/api.js';
import { formatBytes, formatDateTime, formatDuration, t, type MessageKey } from '../../../electron/core/i18n/index.js';
import { Empty, ErrorNotice, Spinner, plural, useAction } from '../components/common.js';
import { useClient, useStore } from '../state/store.js';
import { causeAction, causeText, planLabel, type Audience } from '../logic/status-model.js';

const pageSize = 50;
const kinds = ['backup', 'restore', 'forget', 'prune', 'check', 'index', 'unlock', 'init'] as const;
const statuses = ['success', 'warning', 'failure', 'cancelled', 'interrupted', 'running'] as const;

type Filters = { planId: string; type: string; status: string };

export function HistoryView() {
  const client = useClient();
  const plans = useStore((s) => s.status?.plans ?? []);
  const finishedCount = useStore((s) => Object.keys(s.finished).length);
  const [filters, setFilters] = useState<Filters>({ planId: '', type: '', status: '' });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ApiOutput<'listHistory'> | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const audience = useStore((s) => (s.appInfo?.technician ? 'technician' : 'clerk'));
  const labels = new Map(plans.map((p) => [p.planId, (p as { label?: string | null }).label ?? null]));

  const load = useAction(async (f: Filters, from: number) => {
    const input: ApiInput<'listHistory'> = { limit: pageSize, offset: from };
    if (f.planId) input.planId = f.planId;
    if (f.type) input.type = f.type as (typeof kinds)[number];
    if (f.status) input.status = f.status as (typeof statuses)[number];
    setPage(await client.call('listHistory', input));
  });

  useEffect(() => {
    void load.run(filters, offset);
    // Finished jobs add rows: reload the visible page.
  }, [filters, offset, finishedCount]);

  const setFilter = (key: keyof Filters, value: string) => {
    setOffset(0);
    setFilters((f) => ({ ...f, [key]: value }));
  };

  return (
    <div className="history-view">
      <div className="row between wrap">
        <h1 className="section-title">{t('ui.history.title')}</h1>
        <div className="filters" role="group" aria-label={t('ui.history.filters')}>
          <label>
            <span>{t('ui.history.plan')}</span>
            <select value={filters.planId} onChange={(e) => setFilter('planId', e.target.value)}>
              <option value="">{t('ui.history.all')}</option>
              {plans.map((p) => <option key={p.planId} value={p.planId}>{planLabel(p)}</option>)}
            </select>
          </label>
          <label>
            <span>{t('ui.history.type')}</span>
            <select value={filters.type} onChange={(e) => setFilter('type', e.target.value)}>
              <option value="">{t('ui.history.all')}</option>
              {kinds.map((k) => <option key={k} value={k}>{t(`ui.kind.${k}` as MessageKey)}</option>)}
            </select>
          </label>
          <label>
            <span>{t('ui.history.status')}</span>
            <select value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">{t('ui.history.all')}</option>
              {statuses.map((s) => <option key={s} value={s}>{t(`ui.outcome.${s}` as MessageKey)}</option>)}
            </select>
          </label>
        </div>
      </div>

      {load.error ? <ErrorNotice error={load.error} onRetry={() => void load.run(filters, offset)} /> : null}
      {!page && load.busy ? <Spinner label={t('ui.common.loading')} /> : null}
      {page && page.items.length === 0 ? <Empty title={t('ui.history.empty')} /> : null}

      {page && page.items.length > 0 ? (
        <table className="table history">
          <caption className="visually-hidden">{t('ui.history.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ui.history.started')}</th>
              <th scope="col">{t('ui.history.type')}</th>
              <th scope="col">{t('ui.history.plan')}</th>
              <th scope="col">{t('ui.history.status')}</th>
              <th scope="col" className="num">{t('ui.history.duration')}</th>
              <th scope="col" className="num">{t('ui.history.size')}</th>
              <th scope="col"><span className="visually-hidden">{t('ui.history.details')}</span></th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((op) => (
              <Fragment key={op.id}>
                <tr className={`status-${op.status}`}>
                  <td data-label={t('ui.history.started')}>{formatDateTime(op.startedAt)}</td>
                  <td data-label={t('ui.history.type')}>{kindLabel(op.type)}</td>
                  <td data-label={t('ui.history.plan')}>{op.planId ? planLabel({ planId: op.planId, label: labels.get(op.planId) }) : '—'}</td>
                  <td data-label={t('ui.history.status')}><span className={`pill tone-${toneOf(op.status)}`}>{t(`ui.outcome.${op.status === 'pending' ? 'running' : op.status}` as MessageKey)}</span></td>
                  <td className="num" data-label={t('ui.history.duration')}>{op.durationMs !== null ? formatDuration(op.durationMs) : '—'}</td>
                  <td className="num" data-label={t('ui.history.size')}>{sizeOf(op)}</td>
                  <td className="actions">
                    {op.cause || op.message || op.detail || op.snapshotId ? (
                      <button type="button" className="btn btn-ghost btn-small" aria-expanded={open === op.id} aria-controls={`op-${op.id}`} onClick={() => setOpen(open === op.id ? null : op.id)}>
                        {t('ui.history.details')}
                      </button>
                    ) : null}
                  </td>
                </tr>
                {open === op.id ? (
                  <tr className="detail-row" id={`op-${op.id}`}>
                    <td colSpan={7}>
                      <OperationDetail op={op} audience={audience} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      ) : null}

      {page && page.total > pageSize ? (
        <div className="pager">
          <button type="button" className="btn btn-secondary btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>{t('ui.history.newer')}</button>
          <span className="muted small">{t('ui.history.range', { from: offset + 1, to: Math.min(offset + pageSize, page.total), total: page.total })}</span>
          <button type="button" className="btn btn-secondary btn-small" disabled={offset + pageSize >= page.total} onClick={() => setOffset(offset + pageSize)}>{t('ui.history.older')}</button>
        </div>
      ) : page ? (
        <p className="muted small">{plural('ui.history.count', page.total)}</p>
      ) : null}
    </div>
  );
}

function kindLabel(type: string): string {
  // 'notice' rows are Cofre telling the user about itself: shown, but not a kind to filter by.
  return (kinds as readonly string[]).includes(type) || type === 'notice' ? t(`ui.kind.${type}` as MessageKey) : type;
}

const triggers = ['manual', 'schedule', 'catch-up', 'cli', 'api', 'recovery'] as const;

function triggerLabel(trigger: string): string {
  return (triggers as readonly string[]).includes(trigger) ? t(`ui.trigger.${trigger}` as MessageKey) : trigger;
}

function toneOf(status: Operation['status']): string {
  switch (status) {
    case 'success':
      return 'ok';
    case 'warning':
      return 'warning';
    case 'failure':
      return 'failed';
    case 'running':
    case 'pending':
      return 'running';
    default:
      return 'unknown';
  }
}

function sizeOf(op: Operation): string {
  if (op.bytesAdded !== null && op.totalBytes !== null) return t('ui.history.sizeAdded', { added: formatBytes(op.bytesAdded), total: formatBytes(op.totalBytes) });
  if (op.totalBytes !== null) return formatBytes(op.totalBytes);
  if (op.bytesAdded !== null) return formatBytes(op.bytesAdded);
  return '—';
}

function OperationDetail({ op, audience }: { op: Operation; audience: Audience }) {
  const technician = audience === 'technician';
  return (
    <div className="op-detail">
      {op.cause ? (
        <>
          <p className="notice-title">{causeText(op.cause, audience)}</p>
          <p className="notice-action">{causeAction(op.cause, audience)}</p>
        </>
      ) : op.message ? (
        <p>{op.message}</p>
      ) : null}
      <dl className="facts inline">
        {op.endedAt ? (
          <div>
            <dt>{t('ui.history.ended')}</dt>
            <dd>{formatDateTime(op.endedAt)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('ui.history.trigger')}</dt>
          <dd>{triggerLabel(op.trigger)}</dd>
        </div>
      </dl>
      {/* Codes and ids are for the technician; a clerk reads the sentence above. */}
      {technician && (op.cause || op.snapshotId || op.planId) ? (
        <p className="tech-line muted small">
          {t('ui.status.technicianCode', { code: [op.cause, op.planId, op.snapshotId ? `${t('ui.history.snapshot')} ${op.snapshotId.slice(0, 8)}` : null].filter(Boolean).join(' · ') })}
        </p>
      ) : null}
      {technician && (op.detail || (op.cause && op.message)) ? (
        <details className="notice-details">
          <summary>{t('ui.common.details')}</summary>
          {op.cause && op.message ? <p>{op.message}</p> : null}
          {op.detail ? <pre>{op.detail}</pre> : null}
        </details>
      ) : null}
    </div>
  );
}
