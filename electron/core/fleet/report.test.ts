import { describe, expect, it } from 'vitest';
import { addSnapshot, type Groups } from './groups.js';
import { alertsFor, machinesOf, summarize } from './report.js';
import { fleetDefaultsSchema, fleetRepositorySchema } from './schema.js';

const defaults = fleetDefaultsSchema.parse({ frequency: 'daily' });
const now = new Date('2026-12-01T12:00:00-03:00');
const repo = fleetRepositorySchema.parse({
  id: 'fin', department: 'Financeiro', uri: 'rest:https://h/fin/', password: { env: 'P' },
  plans: { docs: {}, email: { frequency: 'weekly' } }, expectedHosts: ['pc-1', 'PC-2'],
});

function groupsOf(entries: Array<{ host: string; plan: string | null; hoursAgo: number; files?: number }>, keep = 10): Groups {
  const groups: Groups = new Map();
  entries.forEach((e, i) => addSnapshot(groups, {
    host: e.host, plan: e.plan,
    snapshot: { id: `${i}`.padStart(64, '0'), time: new Date(now.getTime() - e.hoursAgo * 3_600_000).toISOString(), files: e.files ?? null, bytes: null, createdBy: null },
  }, keep));
  return groups;
}

describe('fleet report rows', () => {
  it('expected hosts and plans without a snapshot are "never reported"; per-plan expectations apply', () => {
    const groups = groupsOf([
      { host: 'pc-1', plan: 'docs', hoursAgo: 2 },
      { host: 'pc-1', plan: 'email', hoursAgo: 24 * 5 },
      { host: 'pc-2', plan: 'docs', hoursAgo: 24 * 4 },
    ]);
    const rows = machinesOf(repo, groups, defaults, now, 'pt-BR').map((m) => [m.host, m.plan, m.state]);
    expect(rows).toEqual([
      ['pc-1', 'docs', 'ok'],
      ['pc-1', 'email', 'ok'], // weekly: five days is fine
      ['pc-2', 'docs', 'overdue'],
      ['PC-2', 'email', 'never'], // hostnames compare without case
    ]);
  });

  it('keeps only the newest N per group while folding, whatever the order', () => {
    const groups = groupsOf(Array.from({ length: 50 }, (_, i) => ({ host: 'pc', plan: null, hoursAgo: (i * 37) % 50 })), 5);
    const group = [...groups.values()][0]!;
    expect(group.ids).toHaveLength(50);
    expect(group.recent.map((s) => Math.round((now.getTime() - Date.parse(s.time)) / 3_600_000))).toEqual([4, 3, 2, 1, 0]);
  });

  it('a drop in files at or above the threshold alerts; a small one does not', () => {
    const drop = [...groupsOf([{ host: 'pc', plan: null, hoursAgo: 30, files: 1000 }, { host: 'pc', plan: null, hoursAgo: 2, files: 690 }]).values()][0]!;
    expect(alertsFor(drop, now, defaults, 'pt-BR')).toEqual([expect.objectContaining({ code: 'files-drop', percent: 31 })]);
    const small = [...groupsOf([{ host: 'pc', plan: null, hoursAgo: 30, files: 1000 }, { host: 'pc', plan: null, hoursAgo: 2, files: 710 }]).values()][0]!;
    expect(alertsFor(small, now, defaults, 'pt-BR')).toEqual([]);
    const future = [...groupsOf([{ host: 'pc', plan: null, hoursAgo: -5 }]).values()][0]!;
    expect(alertsFor(future, now, defaults, 'pt-BR').map((a) => a.code)).toEqual(['future-time']);
  });

  it('the summary line says what needs attention, in the user\'s language', () => {
    const counts = { repositories: 3, unreadable: 1, machines: 40, ok: 37, late: 1, overdue: 1, never: 1, alerts: 0 };
    expect(summarize(counts, 'pt-BR')).toBe('2 de 40 máquinas vencidas ou sem nenhum backup, 1 atrasadas; 1 repositório não pôde ser lido');
    expect(summarize({ ...counts, unreadable: 0, late: 0, overdue: 0, never: 0, ok: 40 }, 'en')).toBe('40 machines, all up to date');
  });
});
