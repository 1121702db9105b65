// The figures table (`npm run report`): latest line per figure wins, missing inputs say "not run",
// and a red figure is shown as red, never hidden.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRows, readFigures, renderMarkdown } from '../../bench/report.js';

describe('figures report', () => {
  it('shows "not run" for every figure when nothing was measured', () => {
    const markdown = renderMarkdown(buildRows([], {}), new Date('2026-11-27T12:00:00Z'));
    expect(markdown).toContain('| Area | Figure | Value | Status |');
    for (const area of ['Faults', 'Bad input', 'Load', 'Benchmark']) expect(markdown).toMatch(new RegExp(`\\| ${area} \\|.*not run`));
    expect(markdown).not.toContain('green');
  });

  it('keeps the latest line per figure, accepts the older "group" key, and marks crashes red', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cofre-test-report-'));
    try {
      const file = join(dir, 'figures.jsonl');
      writeFileSync(file, [
        JSON.stringify({ table: 'bad-input', name: 'contract fuzz', tried: 10, crashes: 3, fiveXX: 0 }),
        JSON.stringify({ table: 'bad-input', name: 'contract fuzz', tried: 12000, crashes: 0, fiveXX: 0, seed: 7 }),
        JSON.stringify({ group: 'bad-input', name: 'CLI argv fuzz', tried: 300, crashes: 1, fiveXX: 0 }),
        '{"table": "faults", "name": "half-writ',
        JSON.stringify({ table: 'faults', name: 'restic killed', injected: 1, survived: 1 }),
        JSON.stringify({ table: 'load', name: 'backup of 200,000 files', files: 200000, agentPeakRssMb: 80, resticPeakRssMb: 200, seconds: 60, status: 'success' }),
      ].join('\n'));
      const figures = readFigures(file);
      expect(figures).toHaveLength(4);
      const rows = buildRows(figures, { backup: { files: 20000, ratio: { median: 1.2 } } });
      const row = (pattern: RegExp) => rows.find((r) => pattern.test(r.figure))!;
      expect(row(/contract fuzz/)).toMatchObject({ value: '12,000 / 0 / 0', status: 'green' });
      expect(row(/CLI argv/)).toMatchObject({ value: '300 / 1 / 0', status: '**RED**' });
      expect(row(/injected/)).toMatchObject({ value: '1 / 1', status: 'green' });
      expect(row(/peak RSS/)).toMatchObject({ value: '80 MB / 200 MB (60 s)', status: 'green' });
      expect(row(/engine backup/)).toMatchObject({ value: '1.200x', status: '**RED**' });
      expect(row(/scheduled runs/)).toMatchObject({ value: 'not run' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
