// The figures table gains one row per hardening class of issue 15 (faults survived, scope cases
// tried, secret classes scanned) and the big-request row; a class that did not hold shows red.
import { describe, expect, it } from 'vitest';
import { buildRows } from '../../bench/report.js';

describe('hardening rows of the figures table', () => {
  it('sums tried / held per class, marks a class that did not hold red, and says "not run" when absent', () => {
    const at = '2026-12-01T12:00:00Z';
    const rows = buildRows([
      { table: 'hardening', at, name: 'data dir faults', kind: 'fault', tried: 4, held: 4 },
      { table: 'hardening', at, name: 'CLI causes', kind: 'fault', tried: 7, held: 7 },
      { table: 'hardening', at, name: 'sessions', kind: 'scope', tried: 4, held: 3 },
      { table: 'hardening', at, name: 'HTTP: 5.6 MB / 480k keys request: reply bytes, CPU ms', kind: 'fault', tried: 1, held: 1, replyBytes: 180, cpuMs: 240 },
    ], {});
    const row = (pattern: RegExp) => rows.find((r) => r.area === 'Hardening' && pattern.test(r.figure));
    expect(row(/faults survived/)).toMatchObject({ figure: 'faults survived (3 classes): tried / held', value: '12 / 12', status: 'green' });
    expect(row(/scope cases/)).toMatchObject({ value: '4 / 3', status: '**RED**' });
    expect(row(/secret classes/)).toMatchObject({ value: 'not run' });
    expect(row(/480k/)).toMatchObject({ value: '180 B / 240 ms', status: 'green' });
  });
});
