import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireProcessLock, lockFileName } from './process-lock.js';
import { JobQueue } from './queue.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = resolve(here, '../../..');
const lockModule = pathToFileURL(join(here, 'process-lock.ts')).href;

// A second process (like `cofre backup` next to the tray app) using the same lock code. It prints
// "acquired" or "busy" and keeps the lock until its stdin closes.
const childScript = `
const { acquireProcessLock } = await import(process.argv[1]);
const release = await acquireProcessLock(process.argv[2], process.argv[3]);
process.stdout.write(release ? 'acquired\\n' : 'busy\\n');
process.stdin.resume();
process.stdin.on('end', async () => { await release?.(); process.exit(0); });
`;

interface Child {
  proc: ChildProcess;
  result: Promise<'acquired' | 'busy'>;
  exited: Promise<void>;
}

function startChild(dir: string, key: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childScript, lockModule, dir, key], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const result = new Promise<'acquired' | 'busy'>((resolvePromise, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolvePromise(out.trim() as 'acquired' | 'busy');
    });
    proc.on('exit', (code) => reject(new Error(`child exited early (${code}): ${err}`)));
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return { proc, result, exited };
}

async function deadPid(): Promise<number> {
  const proc = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => proc.on('exit', r));
  return proc.pid!;
}

describe('acquireProcessLock', () => {
  let dir: string;
  const children: Child[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cofre-lock-'));
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.proc.exitCode === null && child.proc.signalCode === null) {
        child.proc.kill('SIGKILL');
        await child.exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('excludes a second holder in the same process until released', async () => {
    const release = await acquireProcessLock(dir, 'backup:docs');
    expect(release).not.toBeNull();
    expect(await acquireProcessLock(dir, 'backup:docs')).toBeNull();
    // Different keys are independent.
    const other = await acquireProcessLock(dir, 'backup:photos');
    expect(other).not.toBeNull();
    await release!();
    const again = await acquireProcessLock(dir, 'backup:docs');
    expect(again).not.toBeNull();
    await again!();
    await other!();
    expect(await readdir(dir)).toEqual([]);
  });

  it('is refused while another live process holds it, and taken over once that process died', async () => {
    const child = startChild(dir, 'backup:docs');
    children.push(child);
    expect(await child.result).toBe('acquired');

    expect(await acquireProcessLock(dir, 'backup:docs')).toBeNull();

    // The queue reports "busy" instead of waiting behind the other process.
    const queue = new JobQueue({ lockDir: dir });
    let ran = false;
    const outcome = await queue.enqueue({
      key: 'backup:docs', repoId: 'r1', kind: 'backup', planId: 'docs', trigger: 'manual',
      run: async () => {
        ran = true;
      },
    }).done;
    expect(ran).toBe(false);
    expect(outcome.status).toBe('failure');
    expect(outcome.error?.code).toBe('error.busy');

    // The holder crashes without releasing: its lock is stale and can be taken over.
    child.proc.kill('SIGKILL');
    await child.exited;
    const release = await acquireProcessLock(dir, 'backup:docs');
    expect(release).not.toBeNull();

    // And while we hold it, a fresh process is refused.
    const second = startChild(dir, 'backup:docs');
    children.push(second);
    expect(await second.result).toBe('busy');
    await release!();
  });

  it('holds the lock for the whole job so another process is refused meanwhile', async () => {
    const queue = new JobQueue({ lockDir: dir });
    const outcome = await queue.enqueue({
      key: 'backup:docs', repoId: 'r1', kind: 'backup', trigger: 'manual',
      run: async () => {
        const child = startChild(dir, 'backup:docs');
        children.push(child);
        const seen = await child.result;
        child.proc.stdin!.end();
        await child.exited;
        return seen;
      },
    }).done;
    expect(outcome.value).toBe('busy');
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a stale lock left by a dead pid, and exactly one of several racing processes wins', async () => {
    const stale = JSON.stringify({ pid: await deadPid(), processStart: 1, hostname: hostname(), token: 'old', key: 'backup:docs' });
    await writeFile(join(dir, lockFileName('backup:docs')), stale);

    const racers = Array.from({ length: 4 }, () => startChild(dir, 'backup:docs'));
    children.push(...racers);
    const results = await Promise.all(racers.map((r) => r.result));
    expect(results.filter((r) => r === 'acquired')).toHaveLength(1);
    expect(results.filter((r) => r === 'busy')).toHaveLength(3);
    for (const racer of racers) racer.proc.stdin!.end();
    await Promise.all(racers.map((r) => r.exited));
    expect(await readdir(dir)).toEqual([]);
  });

  it('treats a reused pid of this very process from an earlier run as stale', async () => {
    const stale = JSON.stringify({ pid: process.pid, processStart: 42, hostname: hostname(), token: 'old', key: 'k' });
    await writeFile(join(dir, lockFileName('k')), stale);
    const release = await acquireProcessLock(dir, 'k');
    expect(release).not.toBeNull();
    await release!();
  });

  it('respects an unreadable lock that is still being written, but not an old one', async () => {
    const path = join(dir, lockFileName('k'));
    await writeFile(path, '');
    expect(await acquireProcessLock(dir, 'k', { unreadableGraceMs: 60_000 })).toBeNull();
    const release = await acquireProcessLock(dir, 'k', { unreadableGraceMs: -1 });
    expect(release).not.toBeNull();
    await release!();
  });

  it('does not delete a lock that someone else took over after ours was considered stale', async () => {
    const release = await acquireProcessLock(dir, 'k');
    const path = join(dir, lockFileName('k'));
    const foreign = JSON.stringify({ pid: process.pid, processStart: Math.round(performance.timeOrigin), hostname: hostname(), token: 'theirs', key: 'k' });
    await writeFile(path, foreign);
    await release!();
    expect(await readdir(dir)).toEqual([lockFileName('k')]);
  });
});
