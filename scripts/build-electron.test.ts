// The Electron bundles must build on every change, even where no Electron binary exists to run
// them: a broken import in the shell would otherwise only show on a packaging machine.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElectron } from './build-electron.js';

describe('Electron bundles', () => {
  let out: string | undefined;
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('bundles the main process and a self-contained sandboxed preload', async () => {
    out = await mkdtemp(join(tmpdir(), 'cofre-electron-build-'));
    await buildElectron(out);
    expect((await stat(join(out, 'main', 'index.js'))).size).toBeGreaterThan(10_000);
    const preload = await readFile(join(out, 'preload', 'index.cjs'), 'utf8');
    // A sandboxed preload may require only 'electron': everything else must be inlined.
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
