// Regression tests (issue 15, "clear causes instead of the generic error"): each of these used to
// end in "Algo inesperado aconteceu" (or started anyway); now each has its own translated message
// and a non-zero exit (2 for usage).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { recordFigure } from '../support/figures.js';

const generic = /unexpected|inesperado/i;
let dir: string;
let busy: Server;
let busyPort: number;
const tried: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cofre-cli-causes-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
  recordFigure('hardening', { name: 'CLI: own cause instead of the generic error', kind: 'fault', tried: tried.length, held: tried.length });
});

async function cofre(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const dataDir = join(dir, `data-${tried.length}`);
  const code = await main(['--lang', 'en', '--data-dir', dataDir, '--policy', join(dir, 'no-policy.json'), ...args], { out: (t) => out.push(t), err: (t) => err.push(t) }, {
    PATH: process.env.PATH, HOME: dir, COFRE_CONFIG: join(dir, 'config.json'), ...env,
  });
  tried.push(args.join(' '));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cofre with wrong arguments or an impossible place', () => {
  it('extra arguments are a usage error naming them', async () => {
    const r = await cofre(['status', 'a', 'b', 'c']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('a b c');
    expect(r.err).not.toMatch(generic);
  });

  it('serve --port 99999 is a usage error about the port', async () => {
    const r = await cofre(['serve', '--port', '99999']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/port "99999" is not valid/);
  });

  it('an empty COFRE_SERVE_TOKEN is refused before anything starts', async () => {
    const r = await cofre(['serve', '--port', '0'], { COFRE_SERVE_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/COFRE_SERVE_TOKEN is set but empty/);
  });

  it('a port already in use says so', async () => {
    const r = await cofre(['serve', '--port', String(busyPort)], { COFRE_SERVE_TOKEN: 'a-long-enough-serve-token-123' });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Port ${busyPort} is already in use`);
  });

  it('--config naming a folder is a usage error', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const r = await cofre(['--config', folder, 'status']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is a folder');
  });

  it('--data-dir naming a file is a usage error', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['--lang', 'en', '--data-dir', file, 'status'], { out: (t) => out.push(t), err: (t) => err.push(t) }, { HOME: dir, COFRE_CONFIG: join(dir, 'config.json'), COFRE_POLICY: join(dir, 'none.json') });
    tried.push('--data-dir file');
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('is a file');
  });

  it('export-backrest into a folder that does not exist names the folder', async () => {
    const target = join(dir, 'nonexistent', 'dir', 'x.json');
    const r = await cofre(['config', 'export-backrest', target]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(target);
    expect(r.err).toMatch(/does not exist/);
    expect(r.err).not.toMatch(generic);
  });
});

describe('cofre with an input holding thousands of problems', () => {
  it('import-backrest of a plan with 3,000 unknown problems prints the first ones and a count', async () => {
    const file = join(dir, 'many-problems.json');
    const plans = Array.from({ length: 3_000 }, (_, i) => ({ id: `bad id ${i}`, repo: 'missing', paths: [] }));
    writeFileSync(file, JSON.stringify({ version: 6, instance: 'x', repos: [], plans }));
    const r = await cofre(['config', 'import-backrest', file], { COFRE_TECHNICIAN_PASSWORD: '' });
    expect(r.code).not.toBe(0);
    expect(r.err.split('\n').length).toBeLessThan(60);
    expect(r.err).not.toMatch(generic);
  });
});
