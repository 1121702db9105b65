// Figures the reliability suite publishes (`npm run report` turns them into a table). Each test
// appends one JSON line per measurement to test-results/figures.jsonl: `{ table, at, name, ... }`.
// The report keeps the latest line per (table, name), so re-running one file refreshes its own rows.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const figuresFile = join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), 'test-results', 'figures.jsonl');

export function recordFigure(table: string, figures: Record<string, unknown>): void {
  mkdirSync(dirname(figuresFile), { recursive: true });
  appendFileSync(figuresFile, JSON.stringify({ table, at: new Date().toISOString(), ...figures }) + '\n');
}
