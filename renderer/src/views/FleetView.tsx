// Configurações → Frota, for the technician: the fleet audit live (the repositories of the fleet
// file, read by the agent): per department how many machines are up to date, late or overdue,
// one row per machine and plan with its last backup and recent history, and the repositories that
// could not be read with the cause in words. State is always a word beside its colour.
import { useEffect, useId, useMemo, useState } from 'react';
import { formatBytes, formatDateTime, formatDayTime, formatNumber, formatPast, t, type MessageKey } from '../../../electron/core/i18n/index.js';
import { ErrorNotice, plural, useAction } from '../components/common.js';
import { ageText, departmentLine, departmentNames, filterMachines, filterUnreadable, sparkline, stateFilters, stateWord, toneOf, type FleetFilter, type FleetMachine, type FleetReport, type FleetRepositoryResult, type StateFilter } from '../logic/fleet-model.js';
import { causeAction, causeText } from '../logic/status-model.js';
import { useClient } from '../state/store.js';
import './fleet.css';

export function FleetView() {
  const client = useClient();
  const [report, setReport] = useState<FleetReport | null>(null);
  const [filter, setFilter] = useState<FleetFilter>({ department: null, state: 'all' });
  const load = useAction(async () => {
    setReport(await client.call('fleetReport', {}));
  });
  useEffect(() => {
    void load.run();
  }, []);

  const machines = useMemo(() => (report ? filterMachines(report.machines, filter) : []), [report, filter]);
  const unreadable = useMemo(() => (report ? filterUnreadable(report.repositories, filter) : []), [report, filter]);

  if (load.error && !report) return <ErrorNotice error={load.error} onRetry={() => void load.run()} />;
  if (!report) {
    return (
      <p className="fleet-loading muted">
        <span className="spinner" aria-hidden="true" />
        <span role="status">{t('ui.fleet.loading')}</span>
      </p>
    );
  }
  const departments = filter.department === null ? report.departments : report.departments.filter((d) => d.name === filter.department);

  return (
    <div className="fleet-view" aria-busy={load.busy}>
      <div className="row between wrap fleet-head">
        <div>
          <h2 className="card-title">{t('ui.fleet.title')}</h2>
          <p className="muted small">{t('ui.fleet.intro')} {t('ui.fleet.readAt', { when: formatDayTime(report.generatedAt) })}</p>
        </div>
        <button type="button" className="btn btn-primary" disabled={load.busy} onClick={() => void load.run()}>
          {load.busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
          {load.busy ? t('ui.fleet.refreshing') : t('ui.fleet.refresh')}
        </button>
      </div>
      {load.error ? <ErrorNotice error={load.error} onDismiss={() => load.setError(null)} /> : null}

      <FleetFilters report={report} filter={filter} setFilter={setFilter} />

      <section aria-labelledby="fleet-departments">
        <h3 id="fleet-departments" className="fleet-subtitle">{t('ui.fleet.byDepartment')}</h3>
        <ul className="fleet-departments">
          {departments.map((d) => (
            <li key={d.name} className={`fleet-department tone-${d.color === 'green' ? 'ok' : d.color === 'amber' ? 'warning' : 'failed'}`}>
              <span className="fleet-dot" aria-hidden="true" />
              {departmentLine(d)}
            </li>
          ))}
        </ul>
      </section>

      {unreadable.length > 0 ? <UnreadableList repositories={unreadable} /> : null}

      {filter.state !== 'unreadable' ? (
        <section aria-labelledby="fleet-machines">
          <h3 id="fleet-machines" className="fleet-subtitle">
            {t('ui.fleet.machines')} <span className="muted small">{t('ui.fleet.shown', { shown: machines.length, total: report.machines.length })}</span>
          </h3>
          {machines.length === 0 ? <p className="muted">{t('ui.fleet.empty')}</p> : <MachineTable machines={machines} />}
        </section>
      ) : null}
    </div>
  );
}

function FleetFilters({ report, filter, setFilter }: { report: FleetReport; filter: FleetFilter; setFilter: (f: FleetFilter) => void }) {
  const id = useId();
  return (
    <fieldset className="fleet-filters">
      <legend className="visually-hidden">{t('ui.fleet.filters')}</legend>
      <div className="fleet-filter">
        <label htmlFor={`${id}-dept`}>{t('ui.fleet.department')}</label>
        <select id={`${id}-dept`} value={filter.department ?? ''} onChange={(e) => setFilter({ ...filter, department: e.target.value === '' ? null : e.target.value })}>
          <option value="">{t('ui.fleet.allDepartments')}</option>
          {departmentNames(report).map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </div>
      <div className="fleet-filter">
        <label htmlFor={`${id}-state`}>{t('ui.fleet.state')}</label>
        <select id={`${id}-state`} value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value as StateFilter })}>
          {stateFilters.map((s) => <option key={s} value={s}>{s === 'all' ? t('ui.fleet.allStates') : t(`ui.fleet.word.${s}` as MessageKey)}</option>)}
        </select>
      </div>
    </fieldset>
  );
}

function UnreadableList({ repositories }: { repositories: FleetRepositoryResult[] }) {
  return (
    <section aria-labelledby="fleet-unreadable" className="fleet-unreadable">
      <h3 id="fleet-unreadable" className="fleet-subtitle">{t('ui.fleet.unreadable.title')}</h3>
      <ul>
        {repositories.map((r) => (
          <li key={r.id} className="notice notice-error">
            <p className="notice-title">
              <span className="pill tone-failed">{t('ui.fleet.word.unreadable')}</span> {t('ui.fleet.unreadable.what', { department: r.department, repo: r.id })}
            </p>
            {/* The agent's sentences: its action speaks of the fleet file, not of this machine's settings. */}
            <p>{r.message ?? (r.cause ? causeText(r.cause, 'technician') : null)}</p>
            {r.action ?? r.cause ? <p className="notice-action">{r.action ?? (r.cause ? causeAction(r.cause, 'technician') : null)}</p> : null}
            <p className="muted small mono fleet-uri">{r.uri}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MachineTable({ machines }: { machines: FleetMachine[] }) {
  return (
    <table className="table fleet-table">
      <thead>
        <tr>
          <th scope="col">{t('ui.fleet.col.department')}</th>
          <th scope="col">{t('ui.fleet.col.host')}</th>
          <th scope="col">{t('ui.fleet.col.plan')}</th>
          <th scope="col">{t('ui.fleet.col.last')}</th>
          <th scope="col" className="num">{t('ui.fleet.col.age')}</th>
          <th scope="col" className="num">{t('ui.fleet.col.content')}</th>
          <th scope="col">{t('ui.fleet.col.trend')}</th>
          <th scope="col">{t('ui.fleet.col.state')}</th>
        </tr>
      </thead>
      <tbody>
        {machines.map((m) => (
          <tr key={`${m.repoId}\u0000${m.host}\u0000${m.plan ?? ''}`} className={`fleet-row tone-${toneOf(m.state)}`}>
            <td data-label={t('ui.fleet.col.department')}>{m.department}</td>
            <td data-label={t('ui.fleet.col.host')} className="fleet-host">
              <strong>{m.host}</strong>
              {m.alerts.map((a) => <span key={a.code} className="fleet-alert small">{a.message}</span>)}
            </td>
            <td data-label={t('ui.fleet.col.plan')}>{m.plan ?? t('ui.fleet.noPlan')}</td>
            <td data-label={t('ui.fleet.col.last')}>
              {m.lastSnapshotAt ? (
                <span className="fleet-when">
                  <span>{formatPast(m.lastSnapshotAt)}</span>
                  <time className="muted small" dateTime={m.lastSnapshotAt}>{formatDateTime(m.lastSnapshotAt)}</time>
                </span>
              ) : t('ui.fleet.neverBackedUp')}
            </td>
            <td data-label={t('ui.fleet.col.age')} className="num">{ageText(m.ageHours)}</td>
            <td data-label={t('ui.fleet.col.content')} className="num">
              <span className="fleet-content">
                <span>{m.lastFiles !== null ? plural('ui.fleet.files', m.lastFiles) : '—'}</span>
                {m.lastBytes !== null ? <span className="muted small">{formatBytes(m.lastBytes)}</span> : null}
              </span>
            </td>
            <td data-label={t('ui.fleet.col.trend')}><TrendLine machine={m} /></td>
            <td data-label={t('ui.fleet.col.state')} className="fleet-state">
              <span className={`pill tone-${toneOf(m.state)}`}>{stateWord(m.state)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SPARK_WIDTH = 84;
const SPARK_HEIGHT = 22;

function TrendLine({ machine }: { machine: FleetMachine }) {
  const line = sparkline(machine.trend, SPARK_WIDTH, SPARK_HEIGHT);
  if (!line) return <span className="muted small">{t('ui.fleet.trend.none')}</span>;
  const show = (n: number) => (line.measure === 'files' ? formatNumber(n) : formatBytes(n));
  const label = t(`ui.fleet.trend.${line.measure}`, { count: line.points, min: show(line.min), max: show(line.max) });
  return (
    <svg className={`fleet-spark tone-${toneOf(machine.state)}`} width={SPARK_WIDTH} height={SPARK_HEIGHT} viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`} role="img" aria-label={label}>
      <title>{label}</title>
      <path d={line.path} fill="none" strokeWidth="1.6" strokeLinejoin="round" strokeLinecap="round" />
      <circle cx={line.last.x} cy={line.last.y} r="2.4" />
    </svg>
  );
}
