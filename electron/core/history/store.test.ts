import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from './store.js';

const t0 = Date.parse('2026-03-10T12:00:00Z');
const minutes = (n: number) => new Date(t0 + n * 60_000);
const stores: HistoryStore[] = [];
function open(options: ConstructorParameters<typeof HistoryStore>[1] = {}) {
  const store = new HistoryStore(':memory:', { now: () => minutes(0), ...options });
  stores.push(store);
  return store;
}
afterEach(() => {
  while (stores.length) stores.pop()!.close();
});

describe('HistoryStore', () => {
  it('records a backup, finishes it with its summary and reads it back', () => {
    const store = open();
    const id = store.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'schedule', startedAt: minutes(0) });
    expect(store.get(id)).toMatchObject({ status: 'running', pid: process.pid, endedAt: null });
    store.update(id, { snapshotId: 'abc123' });
    const done = store.finish(id, {
      status: 'success', endedAt: minutes(2),
      summary: { filesNew: 10, filesChanged: 2, dataAdded: 2048, totalBytesProcessed: 1_000_000 },
    });
    expect(done).toMatchObject({
      id, type: 'backup', planId: 'docs', repoId: 'nas', snapshotId: 'abc123', status: 'success', trigger: 'schedule',
      startedAt: '2026-03-10T12:00:00.000Z', endedAt: '2026-03-10T12:02:00.000Z', durationMs: 120_000,
      bytesAdded: 2048, totalBytes: 1_000_000, pid: null,
    });
    expect(done.summary).toEqual({ filesNew: 10, filesChanged: 2, dataAdded: 2048, totalBytesProcessed: 1_000_000 });
  });

  it('keeps the failure cause, message and redacted detail exactly as given', () => {
    const store = open();
    const id = store.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'manual' });
    store.finish(id, { status: 'failure', cause: 'wrong-password', message: 'The repository password is wrong.', detail: 'Fatal: wrong password or no key found (password: ***)' });
    expect(store.get(id)).toMatchObject({ cause: 'wrong-password', message: 'The repository password is wrong.', detail: 'Fatal: wrong password or no key found (password: ***)' });
    expect(() => store.update(999, { message: 'x' })).toThrow(/no operation 999/);
  });

  it('lists newest first with filters, totals and stable cursor paging', () => {
    const store = open();
    for (let i = 0; i < 30; i += 1) {
      const id = store.record({ type: i % 10 === 9 ? 'prune' : 'backup', planId: i % 2 ? 'docs' : 'mail', repoId: i < 20 ? 'nas' : 'usb', trigger: 'schedule', startedAt: minutes(i * 10) });
      store.finish(id, { status: i % 3 === 0 ? 'failure' : 'success', endedAt: minutes(i * 10 + 1) });
    }
    const latest = store.list({ limit: 5 });
    expect(latest.total).toBe(30);
    expect(latest.items.map((o) => o.startedAt)).toEqual([29, 28, 27, 26, 25].map((i) => minutes(i * 10).toISOString()));

    expect(store.list({ planId: 'docs', limit: 100 }).items.every((o) => o.planId === 'docs')).toBe(true);
    expect(store.list({ planId: 'docs' }).total).toBe(15);
    expect(store.list({ status: 'failure' }).total).toBe(10);
    expect(store.list({ repoId: 'usb', type: 'prune' }).items.map((o) => o.startedAt)).toEqual([minutes(290).toISOString()]);
    expect(store.list({ since: minutes(100), until: minutes(200) }).total).toBe(10);

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = store.list({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor ?? undefined;
      if (!seen.includes(-1)) store.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'manual', startedAt: minutes(1000 + seen.length) });
    } while (cursor);
    // Rows added while paging (newer ones) do not shift the pages: the 30 originals, each once.
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(store.list({ offset: 28, limit: 5, planId: 'mail' }).items).toHaveLength(0);
    expect(() => store.list({ cursor: 'garbage' })).toThrow();
  });

  it('gives each plan its last finished attempt and last success (a warning counts as a snapshot)', () => {
    const store = open();
    const add = (planId: string, at: number, status: 'success' | 'warning' | 'failure' | 'running', totalBytes?: number) => {
      const id = store.record({ type: 'backup', planId, repoId: 'nas', trigger: 'schedule', startedAt: minutes(at) });
      if (status !== 'running') store.finish(id, { status, endedAt: minutes(at + 1), ...(totalBytes ? { totalBytes } : {}) });
      return id;
    };
    add('docs', 0, 'success', 100);
    const docsFail = add('docs', 60, 'failure');
    add('docs', 120, 'running');
    const mailWarn = add('mail', 30, 'warning', 50);
    store.finish(store.record({ type: 'forget', planId: 'mail', repoId: 'nas', trigger: 'schedule', startedAt: minutes(200) }), { status: 'success' });
    const last = store.lastByPlan();
    expect([...last.keys()].sort()).toEqual(['docs', 'mail']);
    expect(last.get('docs')!.lastAttempt!.id).toBe(docsFail);
    expect(last.get('docs')!.lastSuccess!.totalBytes).toBe(100);
    expect(last.get('docs')!.lastSuccessAt).toBe(minutes(0).toISOString());
    expect(last.get('mail')!.lastAttempt!.id).toBe(mailWarn);
    expect(last.get('mail')!.lastSuccess!.id).toBe(mailWarn);
    expect(store.lastByPlan(['ghost']).get('ghost')).toMatchObject({ lastAttempt: null, lastSuccess: null });
    expect(store.lastRunStarts().get('docs')).toEqual(minutes(120)); // running included: the scheduler must not re-fire it
  });

  it('reports when each repository was last checked and pruned', () => {
    const store = open();
    store.record({ type: 'check', repoId: 'nas', trigger: 'schedule', startedAt: minutes(5) });
    store.record({ type: 'prune', repoId: 'nas', trigger: 'schedule', startedAt: minutes(9) });
    store.record({ type: 'check', repoId: 'nas', trigger: 'schedule', startedAt: minutes(7) });
    expect(store.lastMaintenance().get('nas')).toEqual({ check: minutes(7).toISOString(), prune: minutes(9).toISOString() });
  });

  it('marks operations of a process that died as interrupted, but not those of live processes', () => {
    const bootTime = minutes(-60).getTime();
    const alive = new Set([process.pid, 4242]);
    // Three processes share one file in real life; here one store writes rows owned by different pids.
    const dir = mkdtempSync(join(tmpdir(), 'cofre-history-'));
    try {
      const file = join(dir, 'history.sqlite');
      const dead = new HistoryStore(file, { pid: 999_999, now: () => minutes(0) });
      const other = new HistoryStore(file, { pid: 4242, now: () => minutes(0) });
      const crashed = dead.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'schedule' });
      const live = other.record({ type: 'backup', planId: 'mail', repoId: 'nas', trigger: 'cli' });
      const beforeBoot = other.record({ type: 'check', repoId: 'nas', trigger: 'schedule', startedAt: minutes(-120) });
      const finished = dead.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'schedule', status: 'success' });
      dead.close();
      other.close();
      const me = new HistoryStore(file, { isAlive: (pid) => alive.has(pid), bootTime, processStart: minutes(-1).getTime(), now: () => minutes(0) });
      expect(me.markInterrupted()).toBe(2);
      expect(me.get(crashed)!.status).toBe('interrupted');
      expect(me.get(beforeBoot)!.status).toBe('interrupted'); // pid 4242 is alive but did not exist before the reboot
      expect(me.get(live)!.status).toBe('running');
      expect(me.get(finished)!.status).toBe('success');
      expect(me.markInterrupted(4242)).toBe(1);
      expect(me.get(live)!.status).toBe('interrupted');
      me.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prunes by age and by count, keeping running rows and each plan\'s last attempt and success', () => {
    const store = open();
    const day = 24 * 60;
    const old = store.record({ type: 'backup', planId: 'archive', repoId: 'nas', trigger: 'schedule', startedAt: minutes(-400 * day) });
    store.finish(old, { status: 'success', endedAt: minutes(-400 * day + 1) });
    const oldForget = store.record({ type: 'forget', planId: 'archive', repoId: 'nas', trigger: 'schedule', startedAt: minutes(-399 * day) });
    store.finish(oldForget, { status: 'success' });
    const stuck = store.record({ type: 'check', repoId: 'nas', trigger: 'schedule', startedAt: minutes(-500 * day) });
    // Recorded in the order they happened: the last recorded row is the plan's last attempt.
    for (let i = 19; i >= 0; i -= 1) {
      store.finish(store.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'schedule', startedAt: minutes(-i * 60) }), { status: 'success' });
    }
    expect(store.prune({ keepDays: 365, keepMax: 10 })).toBe(11); // the old forget + the 10 oldest docs rows
    expect(store.get(old)).toBeDefined(); // archive's only success survives so its status stays honest
    expect(store.get(oldForget)).toBeUndefined();
    expect(store.get(stuck)).toBeDefined();
    expect(store.list({ planId: 'docs' }).total).toBe(10);
    expect(store.list({ planId: 'docs', limit: 1 }).items[0]!.startedAt).toBe(minutes(0).toISOString());
  });

  it('persists across reopen in WAL mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cofre-history-'));
    try {
      const file = join(dir, 'history.sqlite');
      const a = new HistoryStore(file);
      const id = a.record({ type: 'init', repoId: 'nas', trigger: 'manual', status: 'success' });
      a.close();
      const b = new HistoryStore(file);
      expect(b.get(id)).toMatchObject({ type: 'init', status: 'success' });
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HistoryStore whose file is deleted or replaced while open (issue 15)', () => {
  it('switches to the file now at the path, carries its running rows over and keeps every id unique', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cofre-history-replaced-'));
    const file = join(dir, 'history.sqlite');
    const told: string[] = [];
    const serve = new HistoryStore(file, { fileCheckMs: 0, onFileReplaced: (what) => told.push(what) });
    try {
      const done = serve.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'schedule', startedAt: minutes(0) });
      serve.finish(done, { status: 'success', endedAt: minutes(1) });
      const running = serve.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'schedule', startedAt: minutes(2) });
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      // Another process (a CLI run) starts the new file and writes to it.
      const cli = new HistoryStore(file);
      const cliRow = cli.record({ type: 'forget', planId: 'docs', repoId: 'nas', trigger: 'cli', status: 'success', startedAt: minutes(3) });
      cli.close();

      const finished = serve.finish(running, { status: 'success', endedAt: minutes(4) });
      expect(told).toEqual(['replaced']);
      expect(finished).toMatchObject({ status: 'success', planId: 'docs', type: 'backup' });
      const later = serve.record({ type: 'check', repoId: 'nas', trigger: 'schedule', startedAt: minutes(5) });
      expect(later).toBeGreaterThan(Math.max(done, running));
      expect(serve.get(running)?.type).toBe('backup'); // the old id still names the carried-over row
      const reader = new HistoryStore(file);
      try {
        expect(reader.list({}).items.map((op) => op.type).sort()).toEqual(['backup', 'check', 'forget']);
        expect(reader.get(cliRow)?.type).toBe('forget');
      } finally {
        reader.close();
      }
      expect(told).toEqual(['replaced']); // told once, not on every call
    } finally {
      serve.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recreates a deleted file itself when nothing else did', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cofre-history-deleted-'));
    const file = join(dir, 'history.sqlite');
    const told: string[] = [];
    const store = new HistoryStore(file, { fileCheckMs: 0, onFileReplaced: (what) => told.push(what) });
    try {
      store.record({ type: 'backup', repoId: 'nas', trigger: 'schedule', status: 'success', startedAt: minutes(0) });
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      expect(store.list({}).total).toBe(0);
      expect(told).toEqual(['deleted']);
      store.record({ type: 'backup', repoId: 'nas', trigger: 'schedule', status: 'success', startedAt: minutes(1) });
      const reader = new HistoryStore(file);
      expect(reader.list({}).total).toBe(1);
      reader.close();
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
