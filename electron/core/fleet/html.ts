// The fleet report as one self-contained HTML file for a daily e-mail or an intranet page: inline
// CSS, an inline SVG sparkline per machine, no script and no external reference of any kind (a
// Content-Security-Policy of 'none' says so to the browser too). Every value from a repository
// (hostnames, plan ids, tags) is escaped: a hostname is whatever a client machine chose to send.
import { formatNumber, t, type Locale } from '../i18n/index.js';
import { dash, formatAge, formatCount, formatSize, formatWhen, frequencyLabel, planLabel, stateLabel } from './format.js';
import type { Color, FleetMachine, FleetReport, TrendPoint } from './schema.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const colors: Record<Color, string> = { green: '#1b7f3b', amber: '#b26a00', red: '#b3261e' };

/** A small line chart of the last snapshots' file counts (sizes when no count is known). */
export function sparkline(trend: readonly TrendPoint[], color: Color): string {
  const values = trend.map((p) => p.files ?? p.bytes).filter((v): v is number => v !== null);
  if (values.length === 0) return dash;
  const width = 120;
  const height = 28;
  const pad = 3;
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const points = values.map((v, i) => {
    const x = pad + i * step;
    const y = height - pad - ((v - min) / span) * (height - 2 * pad);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const [lastX, lastY] = points[points.length - 1]!.split(',');
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`
    + `<polyline fill="none" stroke="${colors[color]}" stroke-width="1.5" points="${points.join(' ')}"/>`
    + `<circle cx="${lastX}" cy="${lastY}" r="2.5" fill="${colors[color]}"/></svg>`;
}

function badge(color: Color, label: string): string {
  return `<span class="badge ${color}">${escapeHtml(label)}</span>`;
}

const style = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f1f1f;background:#fff}
h1{font-size:1.5em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px}h3{font-size:1.05em;margin:18px 0 6px}
.meta{color:#555;font-size:.9em;margin:0 0 12px}.summary{font-size:1.1em;font-weight:600;margin:8px 0}
.legend{color:#555;font-size:.85em}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:.92em}
th,td{border-bottom:1px solid #e3e3e3;padding:5px 8px;text-align:left;vertical-align:middle}
th{background:#f4f4f4;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:.85em;white-space:nowrap}
.badge.green{background:${colors.green}}.badge.amber{background:${colors.amber}}.badge.red{background:${colors.red}}
.alert{color:${colors.red};font-size:.88em}.spark{display:block}
`;

function machineRow(m: FleetMachine, report: FleetReport, locale: Locale): string {
  const cells = [
    badge(m.color, stateLabel(m, locale)),
    escapeHtml(m.host),
    escapeHtml(planLabel(m.plan, locale)),
    escapeHtml(formatWhen(m.lastSnapshotAt, report.timezone, locale)),
    `<td class="num">${escapeHtml(formatAge(m.ageHours, locale))}</td>`,
    `<td class="num">${escapeHtml(formatCount(m.lastFiles, locale))}</td>`,
    `<td class="num">${escapeHtml(formatSize(m.lastBytes, locale))}</td>`,
    escapeHtml(frequencyLabel(m.frequency, locale)),
    sparkline(m.trend, m.color),
    m.alerts.map((a) => `<div class="alert">${escapeHtml(a.message)}</div>`).join(''),
  ];
  return `<tr>${cells.map((c) => (c.startsWith('<td') ? c : `<td>${c}</td>`)).join('')}</tr>`;
}

export function renderHtml(report: FleetReport, locale: Locale): string {
  const tr = (key: Parameters<typeof t>[0]) => escapeHtml(t(key, undefined, locale));
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8">`
    + `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`
    + `<meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${tr('fleet.html.title')}</title><style>${style}</style></head><body>`);
  parts.push(`<h1>${tr('fleet.html.title')}</h1>`);
  parts.push(`<p class="meta">${escapeHtml(t('fleet.html.generated', { date: formatWhen(report.generatedAt, report.timezone, locale), timezone: report.timezone, file: report.file }, locale))}</p>`);
  const worst: Color = report.departments.some((d) => d.color === 'red') ? 'red' : report.departments.some((d) => d.color === 'amber') ? 'amber' : 'green';
  parts.push(`<p class="summary">${badge(worst, t(`fleet.color.${worst}`, undefined, locale))} ${escapeHtml(report.summary)}</p>`);
  parts.push(`<p class="legend">${tr('fleet.html.legend')}</p>`);

  parts.push(`<h2>${tr('fleet.html.departments')}</h2><table><thead><tr><th>${tr('fleet.col.department')}</th><th></th>`
    + `<th>${tr('fleet.col.machines')}</th><th>${tr('fleet.state.ok')}</th><th>${tr('fleet.state.late')}</th><th>${tr('fleet.state.overdue')}</th>`
    + `<th>${tr('fleet.state.never')}</th><th>${tr('fleet.state.unreadable')}</th><th>${tr('fleet.col.alerts')}</th></tr></thead><tbody>`);
  for (const d of report.departments) {
    const nums = [d.machines, d.ok, d.late, d.overdue, d.never, d.unreadable, d.alerts].map((n) => `<td class="num">${formatNumber(n, locale)}</td>`).join('');
    parts.push(`<tr><td>${escapeHtml(d.name)}</td><td>${badge(d.color, t(`fleet.color.${d.color}`, undefined, locale))}</td>${nums}</tr>`);
  }
  parts.push('</tbody></table>');

  const unreadable = report.repositories.filter((r) => !r.readable);
  if (unreadable.length > 0) {
    parts.push(`<h2>${tr('fleet.unreadableTitle')}</h2><table><thead><tr><th>${tr('fleet.col.department')}</th><th>${tr('fleet.col.repository')}</th>`
      + `<th>${tr('fleet.col.cause')}</th><th>${tr('fleet.col.action')}</th></tr></thead><tbody>`);
    for (const r of unreadable) {
      parts.push(`<tr><td>${escapeHtml(r.department)}</td><td>${escapeHtml(r.id)}</td><td>${badge('red', r.message ?? r.cause ?? '')}</td><td>${escapeHtml(r.action ?? '')}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }

  parts.push(`<h2>${tr('fleet.html.machines')}</h2>`);
  if (report.machines.length === 0) parts.push(`<p>${tr('fleet.noMachines')}</p>`);
  for (const d of report.departments) {
    const machines = report.machines.filter((m) => m.department === d.name);
    if (machines.length === 0) continue;
    parts.push(`<h3>${escapeHtml(d.name)}</h3><table><thead><tr><th>${tr('fleet.col.state')}</th><th>${tr('fleet.col.host')}</th><th>${tr('fleet.col.plan')}</th>`
      + `<th>${tr('fleet.col.last')}</th><th>${tr('fleet.col.age')}</th><th>${tr('fleet.col.files')}</th><th>${tr('fleet.col.size')}</th>`
      + `<th>${tr('fleet.col.expected')}</th><th>${tr('fleet.html.trend')}</th><th>${tr('fleet.col.alerts')}</th></tr></thead><tbody>`);
    for (const m of machines) parts.push(machineRow(m, report, locale));
    parts.push('</tbody></table>');
  }
  parts.push('</body></html>\n');
  return parts.join('\n');
}
