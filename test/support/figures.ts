// Figures for `npm run report`: each fault, bad-input or load test appends one JSON line to
// test-results/figures.jsonl, so the report counts what was injected and what the product survived
// without parsing test output.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where figures go; COFRE_FIGURES_FILE overrides it (tests of the report itself). */
export function figuresFile(): string {
  return process.env.COFRE_FIGURES_FILE ?? join(repoRoot, 'test-results', 'figures.jsonl');
}

export type FigureRow = Record<string, string | number | boolean | null>;

/** Appends `{ table, at, ...row }` as one line; appendFileSync keeps lines whole across workers. */
export function recordFigure(table: string, row: FigureRow): void {
  const file = figuresFile();
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ table, at: new Date().toISOString(), ...row })}\n`);
}
