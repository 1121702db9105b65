// `cofre run`, the foreground agent for servers and services: it runs due plans with its scheduler
// and stops cleanly on SIGTERM/SIGINT, waiting for restic and leaving no process behind.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, rawRestic, removeDir, repoRoot, resticBinary } from '../fixtures/index.js';
import { runCli } from './run-cli.js';

const restic = resticBinary('0.18');

function children(pid: number): string {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

describe('cofre run', () => {
  let dir: string;
  let repo: string;
  let common: string[];

  beforeAll(async () => {
    dir = await makeTempDir('cli-run');
    repo = join(dir, 'repo');
    const source = join(dir, 'dados');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'planilha.csv'), 'a;b\n1;2\n');
    await rawRestic(restic.bin, ['init'], { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: 'run-pw' });
    const config = {
      version: 6,
      instance: 'servidor-01',
      repos: [{ id: 'local', uri: repo, password: 'run-pw' }],
      plans: [{ id: 'dados', repo: 'local', paths: [source], schedule: { maxFrequencyHours: 24 } }],
    };
    await writeFile(join(dir, 'backrest.json'), JSON.stringify(config));
    common = ['--data-dir', join(dir, 'cofre'), '--restic', restic.bin, '--policy', join(dir, 'none.json')];
    expect((await runCli([...common, 'config', 'import-backrest', join(dir, 'backrest.json')])).code).toBe(0);
  });

  afterAll(async () => {
    await removeDir(dir);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('runs the due plan, then stops cleanly on %s', async (signal) => {
    const child = spawn('node', [join(repoRoot, 'bin', 'cofre.mjs'), 'run', ...common], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => stderr, { timeout: 30_000 }).toMatch(/Agente do Cofre em execução/);
      // The first run fires the plan (due: never backed up); wait for its snapshot.
      await expect.poll(async () => {
        const out = await rawRestic(restic.bin, ['snapshots', '--json', '--no-lock'], { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: 'run-pw' });
        return (JSON.parse(out.stdout) as unknown[]).length;
      }, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(1);
      const pid = child.pid!;
      child.kill(signal);
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
      expect(code).toBe(0);
      expect(stderr).toMatch(/Parando/);
      expect(children(pid)).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const status = JSON.parse((await runCli([...common, 'status', '--json'])).out) as { plans: Array<{ lastSuccessAt: string | null }> };
    expect(status.plans[0]!.lastSuccessAt).not.toBeNull();
  });
});
