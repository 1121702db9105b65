// A backup of 200,000 files through the agent in its own process (`node bin/cofre.mjs backup`), with
// the peak memory of the agent measured apart from restic's: a user's machine must not pay for a
// big home folder with an agent that grows with the file count. Slow (a few minutes): runs when
// COFRE_LONG_TESTS=1, which CI sets.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, rawRestic, removeDir, resticBinary } from '../fixtures/index.js';
import { recordFigure } from '../support/figures.js';

const long = process.env.COFRE_LONG_TESTS === '1';
const fileCount = 200_000;
const restic = resticBinary('0.18');
const password = 'Large-Backup-Pw-6Wm3';
const agentLimitMb = 300;

/** Fast tiny-file tree: 400 folders of 500 files, 16-80 bytes each, names with accents. */
function writeTree(root: string): void {
  const perDir = 500;
  for (let d = 0; d < fileCount / perDir; d += 1) {
    const folder = join(root, `pasta-${String(d).padStart(3, '0')}`, d % 2 === 0 ? 'relatórios' : 'notas');
    mkdirSync(folder, { recursive: true });
    for (let f = 0; f < perDir; f += 1) writeFileSync(join(folder, `arquivo ${f} ação.txt`), `conteúdo ${d}/${f} `.repeat(1 + ((d + f) % 5)));
  }
}

/** kB of a /proc/<pid>/status field, or null once the process is gone. */
function procKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Direct children of a process that are restic (the agent spawns it through execa). */
function resticChildren(parent: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppid === parent && comm === 'restic') found.push(Number(entry));
    } catch {
      // raced with an exiting process
    }
  }
  return found;
}

describe.runIf(long)('a backup of 200,000 files through the agent process', () => {
  let dir: string;
  let dataDir: string;
  let source: string;

  beforeAll(async () => {
    dir = await makeTempDir('large-backup');
    source = join(dir, 'home', 'ana');
    writeTree(source);
    const repo = join(dir, 'repo');
    await rawRestic(restic.bin, ['init'], { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: password });
    dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({
      modno: 1, version: 6, instance: 'large-pc',
      repos: [{ id: 'local', uri: repo, password, env: [], flags: [] }],
      plans: [{ id: 'casa', repo: 'local', paths: [source], schedule: { disabled: true }, retention: { policyKeepAll: true } }],
    }));
  }, 180_000);

  afterAll(async () => {
    if (dir) await removeDir(dir);
  });

  it(`keeps the agent under ${agentLimitMb} MB while restic works, and finishes`, async () => {
    const began = Date.now();
    const child = spawn(process.execPath, ['bin/cofre.mjs', 'backup', 'casa', '--json', '--data-dir', dataDir, '--policy', join(dir, 'no-policy.json'), '--restic', restic.bin], {
      cwd: process.cwd(), env: { ...process.env, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    let agentPeakKb = 0;
    let resticPeakKb = 0;
    const seenRestic = new Set<number>();
    const sample = () => {
      const pid = child.pid!;
      agentPeakKb = Math.max(agentPeakKb, procKb(pid, 'VmHWM') ?? procKb(pid, 'VmRSS') ?? 0);
      for (const r of resticChildren(pid)) {
        seenRestic.add(r);
        resticPeakKb = Math.max(resticPeakKb, procKb(r, 'VmHWM') ?? procKb(r, 'VmRSS') ?? 0);
      }
    };
    const timer = setInterval(sample, 150);
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    clearInterval(timer);
    const seconds = Math.round((Date.now() - began) / 1000);
    const result = JSON.parse(out || '{}') as { status?: string; snapshotId?: string };
    const figures = {
      name: `backup of ${fileCount.toLocaleString('en')} files`,
      files: fileCount, agentPeakRssMb: Math.round(agentPeakKb / 1024), resticPeakRssMb: Math.round(resticPeakKb / 1024),
      resticProcesses: seenRestic.size, seconds, status: result.status ?? `exit ${code}`,
    };
    recordFigure('load', figures);
    console.log(`large backup: ${JSON.stringify(figures)}`);
    expect(code, err.slice(-2000)).toBe(0);
    expect(result.status).toBe('success');
    expect(seenRestic.size).toBeGreaterThan(0);
    expect(resticPeakKb).toBeGreaterThan(0);
    expect(agentPeakKb / 1024).toBeLessThan(agentLimitMb);
    const raw = await rawRestic(restic.bin, ['snapshots', '--json'], { RESTIC_REPOSITORY: join(dir, 'repo'), RESTIC_PASSWORD: password });
    const [snapshot] = JSON.parse(raw.stdout) as Array<{ summary?: { total_files_processed?: number } }>;
    expect(snapshot?.summary?.total_files_processed).toBe(fileCount);
  }, 420_000);
});
