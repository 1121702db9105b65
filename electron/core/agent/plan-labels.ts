// Display names of plans. Backrest plans have only an id ("p", "docs-2024"), and config.json must
// stay readable by Backrest, so the names people see live in Cofre's own sidecar file
// (<dataDir>/plan-labels.json), keyed by plan id. A plan without a label is shown by its id made
// readable; renaming a label never touches config.json.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { atomicWriteFile } from '../config/atomic-write.js';

export const maxPlanLabelLength = 80;

interface LabelFile {
  version: 1;
  labels: Record<string, string>;
}

export class PlanLabels {
  private labels = new Map<string, string>();

  constructor(private readonly file: string) {
    this.labels = readLabels(file);
  }

  get(planId: string): string | null {
    return this.labels.get(planId) ?? null;
  }

  /** Sets (or, with null/blank, removes) the label of a plan and saves the sidecar. */
  async set(planId: string, label: string | null): Promise<void> {
    const clean = label?.replace(/\s+/g, ' ').trim() ?? '';
    if (clean) this.labels.set(planId, clean.slice(0, maxPlanLabelLength));
    else this.labels.delete(planId);
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const content: LabelFile = { version: 1, labels: Object.fromEntries([...this.labels].sort(([a], [b]) => a.localeCompare(b))) };
    await atomicWriteFile(this.file, JSON.stringify(content, null, 2) + '\n');
  }
}

function readLabels(file: string): Map<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LabelFile>;
    const entries = Object.entries(parsed.labels ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '');
    return new Map(entries);
  } catch {
    // Missing or damaged: plans fall back to their ids; the next save rewrites the file.
    return new Map();
  }
}
