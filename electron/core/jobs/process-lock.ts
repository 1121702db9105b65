// Cross-process exclusion for one job key (tray app + `cofre backup` CLI must never run the same
// plan twice at once). An exclusive-create lock file holds the owner's pid, process start time and
// a random token; a lock whose owner is dead is taken over. Breaking a stale lock goes through a
// second exclusive file and a re-read, so two processes that both saw the same stale lock cannot
// both delete a lock that a third process has just created.
import { isProcessAlive } from '../process-alive.js';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export type Release = () => Promise<void>;

interface LockOwner {
  pid: number;
  processStart: number;
  hostname: string;
  token: string;
  key: string;
  acquiredAt: string;
}

export interface ProcessLockOptions {
  /** Injected for tests; default asks the OS with signal 0. */
  isPidAlive?: (pid: number) => boolean;
  /** An unreadable lock file younger than this is assumed to be mid-write by its owner. */
  unreadableGraceMs?: number;
}

// Epoch ms at which this process started; distinguishes a reused pid from the real owner.
const thisProcessStart = Math.round(performance.timeOrigin);
const thisHost = hostname();

export function lockFileName(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 10);
  return `${safe}-${digest}.lock`;
}

/** Kept for callers of the lock API; see electron/core/process-alive.ts. */
export const defaultIsPidAlive = isProcessAlive;

export async function acquireProcessLock(dir: string, key: string, options: ProcessLockOptions = {}): Promise<Release | null> {
  const isPidAlive = options.isPidAlive ?? defaultIsPidAlive;
  const graceMs = options.unreadableGraceMs ?? 5_000;
  await mkdir(dir, { recursive: true });
  const path = join(dir, lockFileName(key));
  const owner: LockOwner = {
    pid: process.pid,
    processStart: thisProcessStart,
    hostname: thisHost,
    token: randomUUID(),
    key,
    acquiredAt: new Date().toISOString(),
  };

  for (let round = 0; round < 8; round += 1) {
    if (await tryCreate(path, JSON.stringify(owner))) return releaser(path, owner.token);

    const seen = await readRaw(path);
    if (seen === undefined) continue; // released between our attempt and the read
    const holder = parseOwner(seen);
    if (holder ? ownerIsAlive(holder, isPidAlive) : !(await olderThan(path, graceMs))) return null;
    if (!(await breakStaleLock(path, seen, isPidAlive))) await delay(20 + Math.random() * 30);
  }
  return null;
}

function ownerIsAlive(holder: LockOwner, isPidAlive: (pid: number) => boolean): boolean {
  // A lock written on another machine (shared folder) cannot be checked: respect it.
  if (holder.hostname !== thisHost) return true;
  if (holder.pid === process.pid) return holder.processStart === thisProcessStart;
  return isPidAlive(holder.pid);
}

async function breakStaleLock(path: string, staleContent: string, isPidAlive: (pid: number) => boolean): Promise<boolean> {
  const breakPath = `${path}.break`;
  if (!(await tryCreate(breakPath, JSON.stringify({ pid: process.pid, processStart: thisProcessStart, hostname: thisHost })))) {
    // Someone else is breaking it; clear their marker only if they died doing so.
    const marker = parseOwner((await readRaw(breakPath)) ?? '');
    const dead = marker ? !ownerIsAlive(marker, isPidAlive) : await olderThan(breakPath, 10_000);
    if (dead) await unlink(breakPath).catch(() => undefined);
    return false;
  }
  try {
    if ((await readRaw(path)) === staleContent) await unlink(path).catch(() => undefined);
    return true;
  } finally {
    await unlink(breakPath).catch(() => undefined);
  }
}

function releaser(path: string, token: string): Release {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    // Only remove the file if it is still ours (never someone else's lock after a takeover).
    const current = parseOwner((await readRaw(path)) ?? '');
    if (current?.token === token) await unlink(path).catch(() => undefined);
  };
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
  return true;
}

async function readRaw(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(raw: string): (LockOwner & { token?: string }) | null {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.hostname !== 'string') return null;
    return { processStart: 0, token: '', key: '', acquiredAt: '', ...value } as LockOwner;
  } catch {
    return null;
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return true;
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
