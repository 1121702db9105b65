import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlanLabels } from './plan-labels.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cofre-labels-'));
  dirs.push(dir);
  return join(dir, 'sub', 'plan-labels.json');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('plan labels (Cofre sidecar, outside config.json)', () => {
  it('stores a label per plan id and reads it back in a new instance', async () => {
    const file = tempFile();
    const labels = new PlanLabels(file);
    expect(labels.get('p')).toBeNull();
    await labels.set('p', '  Documentos   da  Secretaria ');
    expect(new PlanLabels(file).get('p')).toBe('Documentos da Secretaria');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, labels: { p: 'Documentos da Secretaria' } });
  });

  it('removes a label set to blank, and survives a damaged file', async () => {
    const file = tempFile();
    const labels = new PlanLabels(file);
    await labels.set('p', 'Nome');
    await labels.set('p', '   ');
    expect(new PlanLabels(file).get('p')).toBeNull();
    writeFileSync(file, '{ not json');
    expect(new PlanLabels(file).get('p')).toBeNull();
  });
});
