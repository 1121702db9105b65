// Pure pieces of the technician's fleet screen: the filters, the one-line summary per department
// and the sparkline of a machine's recent history. Tested without a browser.
import type { ApiOutput } from '../../../electron/core/api.js';
import { getLocale, t, tPlural, type Locale, type MessageKey } from '../../../electron/core/i18n/index.js';

export type FleetReport = ApiOutput<'fleetReport'>;
export type FleetMachine = FleetReport['machines'][number];
export type FleetDepartment = FleetReport['departments'][number];
export type FleetRepositoryResult = FleetReport['repositories'][number];
export type MachineState = FleetMachine['state'];
type TrendPoint = FleetMachine['trend'][number];

export const machineStates: readonly MachineState[] = ['overdue', 'never', 'late', 'ok'];
/** The state filter: a machine state, or the repositories that could not be read. */
export type StateFilter = 'all' | MachineState | 'unreadable';
export const stateFilters: readonly StateFilter[] = ['all', ...machineStates, 'unreadable'];

export interface FleetFilter {
  department: string | null;
  state: StateFilter;
}

export function filterMachines(machines: readonly FleetMachine[], filter: FleetFilter): FleetMachine[] {
  if (filter.state === 'unreadable') return [];
  return machines.filter((m) => (filter.department === null || m.department === filter.department) && (filter.state === 'all' || m.state === filter.state));
}

export function filterUnreadable(repositories: readonly FleetRepositoryResult[], filter: FleetFilter): FleetRepositoryResult[] {
  if (filter.state !== 'all' && filter.state !== 'unreadable') return [];
  return repositories.filter((r) => !r.readable && (filter.department === null || r.department === filter.department));
}

/** The word for a state, never colour alone: "Atrasado", "Em dia". */
export function stateWord(state: MachineState, locale?: Locale): string {
  return t(`ui.fleet.word.${state}` as MessageKey, undefined, locale);
}

/** "Educação: 1 atrasado, 2 em dia" — worst first, only what is there. */
export function departmentLine(department: FleetDepartment, locale?: Locale): string {
  const parts: string[] = [];
  for (const state of machineStates) {
    const count = department[state];
    if (count > 0) parts.push(tPlural(`ui.fleet.count.${state}`, count, {}, locale));
  }
  if (department.unreadable > 0) parts.push(tPlural('ui.fleet.count.unreadable', department.unreadable, {}, locale));
  const counts = parts.length > 0 ? parts.join(', ') : t('ui.fleet.noMachines', undefined, locale);
  return t('ui.fleet.departmentLine', { name: department.name, counts }, locale);
}

export function departmentNames(report: FleetReport): string[] {
  return report.departments.map((d) => d.name);
}

export interface Sparkline {
  /** SVG path of the line, in a width x height box. */
  path: string;
  /** The newest point, drawn as a dot. */
  last: { x: number; y: number };
  /** What the line shows: files when the snapshots carry them, else bytes. */
  measure: 'files' | 'bytes';
  min: number;
  max: number;
  points: number;
}

/**
 * The recent history of one machine as a line: files per snapshot (restic >= 0.17 records them),
 * or bytes when only those are known. Null when fewer than two snapshots carry a number.
 */
export function sparkline(trend: readonly TrendPoint[], width: number, height: number): Sparkline | null {
  const pick = (measure: 'files' | 'bytes') => trend.map((p) => p[measure]).filter((v): v is number => v !== null);
  let measure: 'files' | 'bytes' = 'files';
  let values = pick('files');
  if (values.length < 2) {
    measure = 'bytes';
    values = pick('bytes');
  }
  if (values.length < 2) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = 2;
  const span = max - min;
  const x = (i: number) => pad + (i * (width - 2 * pad)) / (values.length - 1);
  // A flat history sits in the middle rather than on the floor.
  const y = (v: number) => (span === 0 ? height / 2 : pad + ((max - v) * (height - 2 * pad)) / span);
  const round = (n: number) => Math.round(n * 10) / 10;
  const path = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${round(x(i))} ${round(y(v))}`).join(' ');
  return { path, last: { x: round(x(values.length - 1)), y: round(y(values[values.length - 1]!)) }, measure, min, max, points: values.length };
}

/** Age in the largest sensible unit: "3 h", "5 d". */
export function ageText(hours: number | null, locale?: Locale): string {
  if (hours === null) return '—';
  const unit = (value: number, u: 'hour' | 'day' | 'minute') => new Intl.NumberFormat(locale ?? getLocale(), { style: 'unit', unit: u, unitDisplay: 'narrow', maximumFractionDigits: 0 }).format(value);
  if (hours < 1) return unit(Math.max(0, Math.round(hours * 60)), 'minute');
  if (hours < 48) return unit(Math.round(hours), 'hour');
  return unit(Math.floor(hours / 24), 'day');
}

export function toneOf(state: MachineState): 'ok' | 'warning' | 'failed' {
  return state === 'ok' ? 'ok' : state === 'late' ? 'warning' : 'failed';
}
