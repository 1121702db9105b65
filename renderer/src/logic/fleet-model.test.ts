import { describe, expect, it } from 'vitest';
import { ageText, departmentLine, filterMachines, filterUnreadable, sparkline, type FleetDepartment, type FleetMachine, type FleetRepositoryResult } from './fleet-model.js';

const machine = (over: Partial<FleetMachine>): FleetMachine => ({
  department: 'Educação', repoId: 'educacao', host: 'pc-01', plan: 'documentos', createdBy: 'pc-01', state: 'ok', color: 'green',
  lastSnapshotId: 'abc', lastSnapshotAt: '2026-12-01T10:00:00Z', ageHours: 2, lastFiles: 10, lastBytes: 100, snapshotCount: 3,
  trend: [], alerts: [], frequency: 'workdays', lateAt: null, overdueAt: null, ...over,
});
const department = (over: Partial<FleetDepartment>): FleetDepartment => ({
  name: 'Educação', color: 'red', repositories: 1, unreadable: 0, machines: 3, ok: 2, late: 0, overdue: 1, never: 0, alerts: 0, ...over,
});
const repo = (over: Partial<FleetRepositoryResult>): FleetRepositoryResult => ({
  id: 'saude', department: 'Saúde', uri: 'rest:http://x/saude/', readable: false, cause: 'wrong-password', message: 'm', action: 'a',
  snapshotCount: 0, source: 'none', durationMs: 5, ...over,
});

describe('fleet screen model', () => {
  it('says per department how many machines are overdue or late, worst first, in Portuguese and English', () => {
    expect(departmentLine(department({}), 'pt-BR')).toBe('Educação: 1 vencido, 2 em dia');
    expect(departmentLine(department({ overdue: 2, ok: 0, unreadable: 1 }), 'pt-BR')).toBe('Educação: 2 vencidos, 1 repositório ilegível');
    expect(departmentLine(department({ overdue: 0, ok: 1, late: 1 }), 'en')).toBe('Educação: 1 late, 1 up to date');
    expect(departmentLine(department({ overdue: 0, ok: 0, machines: 0 }), 'pt-BR')).toBe('Educação: nenhuma máquina fez backup aqui ainda');
  });

  it('filters machines by department and state, and unreadable repositories only when they are asked for', () => {
    const all = [machine({ host: 'a' }), machine({ host: 'b', state: 'overdue' }), machine({ host: 'c', department: 'Saúde' })];
    expect(filterMachines(all, { department: 'Educação', state: 'all' }).map((m) => m.host)).toEqual(['a', 'b']);
    expect(filterMachines(all, { department: null, state: 'overdue' }).map((m) => m.host)).toEqual(['b']);
    expect(filterMachines(all, { department: null, state: 'unreadable' })).toEqual([]);
    const repos = [repo({}), repo({ id: 'edu', department: 'Educação' }), repo({ id: 'ok', readable: true, cause: null })];
    expect(filterUnreadable(repos, { department: null, state: 'all' }).map((r) => r.id)).toEqual(['saude', 'edu']);
    expect(filterUnreadable(repos, { department: 'Saúde', state: 'unreadable' }).map((r) => r.id)).toEqual(['saude']);
    expect(filterUnreadable(repos, { department: null, state: 'overdue' })).toEqual([]);
  });

  it('draws the recent history as a line that falls when files were deleted, and falls back to bytes', () => {
    const trend = [100, 100, 40].map((files, i) => ({ time: `2026-11-2${i}T10:00:00Z`, files, bytes: files * 10 }));
    const line = sparkline(trend, 84, 22)!;
    expect(line.measure).toBe('files');
    expect(line.path).toBe('M2 2 L42 2 L82 20');
    expect(line.last).toEqual({ x: 82, y: 20 });
    const old = trend.map((p) => ({ ...p, files: null }));
    expect(sparkline(old, 84, 22)!.measure).toBe('bytes');
    expect(sparkline(trend.slice(0, 1), 84, 22)).toBeNull();
    expect(sparkline([trend[0]!, trend[0]!], 84, 22)!.path).toBe('M2 11 L82 11');
  });

  it('writes the age in hours, then in days', () => {
    expect(ageText(null)).toBe('—');
    expect(ageText(5, 'pt-BR')).toMatch(/^5\s?h$/);
    expect(ageText(24 * 6 + 3, 'pt-BR')).toMatch(/^6\s?d/);
  });
});
