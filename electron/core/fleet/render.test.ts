import { describe, expect, it } from 'vitest';
import { renderCsv } from './csv.js';
import { escapeHtml, renderHtml } from './html.js';
import type { FleetReport } from './schema.js';

const hostile = '=HYPERLINK("x"),<img src=x onerror=alert(1)>\n"quoted"';
const report: FleetReport = {
  generatedAt: '2026-12-01T15:00:00.000Z', file: '/etc/cofre/fleet.json', timezone: 'America/Sao_Paulo', trendLength: 5, department: null,
  totals: { repositories: 2, unreadable: 1, machines: 1, ok: 0, late: 0, overdue: 1, never: 0, alerts: 0 },
  departments: [{ name: 'Saúde <b>', repositories: 2, unreadable: 1, machines: 1, ok: 0, late: 0, overdue: 1, never: 0, alerts: 0, color: 'red' }],
  repositories: [
    { id: 'saude', department: 'Saúde <b>', uri: 'rest:https://h/saude/', readable: true, cause: null, message: null, action: null, snapshotCount: 2, source: 'listed', durationMs: 10 },
    { id: 'obras', department: 'Saúde <b>', uri: 'rest:https://h/obras/', readable: false, cause: 'wrong-password', message: 'A senha, "errada"', action: 'Confira.', snapshotCount: 0, source: 'none', durationMs: 10 },
  ],
  machines: [{
    department: 'Saúde <b>', repoId: 'saude', host: hostile, plan: 'docs', createdBy: null, state: 'overdue', color: 'red',
    lastSnapshotId: 'a'.repeat(64), lastSnapshotAt: '2026-11-24T15:00:00.000Z', ageHours: 168, lastFiles: 10, lastBytes: 2048, snapshotCount: 2,
    trend: [{ time: '2026-11-23T15:00:00.000Z', files: 12, bytes: 3000 }, { time: '2026-11-24T15:00:00.000Z', files: 10, bytes: 2048 }],
    alerts: [], frequency: 'workdays', lateAt: '2026-11-25T15:00:00.000Z', overdueAt: '2026-11-26T15:00:00.000Z',
  }],
  summary: '1 de 1 máquinas vencidas',
};

describe('fleet CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    const csv = renderCsv(report, 'pt-BR');
    expect(csv.startsWith('\uFEFFdepartment,repository,host,')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x""),<img src=x onerror=alert(1)>\n""quoted"""`);
    expect(csv).toContain(',unreadable,ilegível,');
    expect(csv).toContain('"A senha, ""errada"" Confira."');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('fleet HTML', () => {
  it('escapes every value and references nothing outside the file', () => {
    const html = renderHtml(report, 'pt-BR');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain(escapeHtml(hostile));
    expect(html).not.toMatch(/https?:\/\/|<script|<link|<[a-z]+[^>]*\s(src|href)=/i);
    expect(html).toContain('<polyline');
    expect(html).toContain('precisa de atenção');
  });
});
