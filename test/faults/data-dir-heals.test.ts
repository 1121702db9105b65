// Regression tests (issue 15, "the data dir heals instead of bricking the agent"): a damaged
// history.sqlite or a read-only data dir made every command answer "Algo inesperado aconteceu"
// with nothing in the log; a data dir that existed before stayed 0755 with history.sqlite 0644.
// A damaged cache/index.sqlite (the rebuildable snapshot index) did the same: it is deleted and
// rebuilt, the log says why; a read-only cache folder is named like a read-only data dir.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { Agent } from '../../electron/core/agent/agent.js';
import { isOwnDataDir } from '../../electron/core/history/data-dir.js';
import { FileSecretStore } from '../../electron/core/secrets/index.js';
import { generateTree, repoRoot, resticBinary, startRestServer, type RestServer } from '../fixtures/index.js';
import { recordFigure } from '../support/figures.js';
import { canMount, mountTmpfs, remount, unmount } from '../support/mounts.js';

const generic = /unexpected|inesperado/i;
let dir: string;
const survived: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cofre-data-heals-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  recordFigure('hardening', { name: 'data dir faults healed or explained', kind: 'fault', tried: survived.length, held: survived.length });
});

async function cofre(dataDir: string, args: string[], lang = 'en') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--lang', lang, '--data-dir', dataDir, '--policy', join(dir, 'none.json'), ...args], { out: (t) => out.push(t), err: (t) => err.push(t) }, { PATH: process.env.PATH, HOME: dir });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function historyRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('a damaged history.sqlite', () => {
  it('is moved aside (kept, named with the time), a fresh one started, the user told and the log says why', async () => {
    const dataDir = join(dir, 'garbage');
    mkdirSync(dataDir, { recursive: true });
    const garbage = Buffer.from('this is not a database at all '.repeat(200));
    writeFileSync(join(dataDir, 'history.sqlite'), garbage);
    const first = await cofre(dataDir, ['status']);
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/was damaged/);
    expect(first.err).not.toMatch(generic);
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('history.sqlite.damaged-'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^history\.sqlite\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    expect(readFileSync(join(dataDir, aside[0]!))).toEqual(garbage);
    expect(historyRows(join(dataDir, 'history.sqlite'))).toBe(0);
    expect(readFileSync(join(dataDir, 'logs', 'cofre.log'), 'utf8')).toMatch(/history: SQLITE_NOTADB.*moved the damaged file/);
    // The next run finds a good history: no second copy, no notice.
    const second = await cofre(dataDir, ['status']);
    expect(second.err).not.toMatch(/was damaged/);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('history.sqlite.damaged-'))).toHaveLength(1);
    survived.push('garbage history');
  });

  it('a history with intact header but trashed pages is caught too, and getAppInfo tells the user', async () => {
    const dataDir = join(dir, 'trashed');
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'history.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE operations (id INTEGER PRIMARY KEY, note TEXT); CREATE INDEX notes ON operations(note);');
    const insert = db.prepare('INSERT INTO operations (note) VALUES (?)');
    for (let i = 0; i < 2000; i += 1) insert.run(`row ${i} ${'x'.repeat(100)}`);
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 4096, bytes.length - 4096); // keep page 1 (header, schema), trash the rest
    writeFileSync(file, bytes);
    const agent = await Agent.create({ configPath: join(dataDir, 'config.json'), policyPath: null, dataDir, cacheDir: join(dataDir, 'cache'), locale: 'pt-BR', secrets: new FileSecretStore(join(dataDir, 'secrets.json')) });
    try {
      const info = await agent.call('getAppInfo', {}, agent.createSession());
      expect(info.ok && info.value.dataProblem).toMatchObject({ code: 'history.error.damagedMovedAside' });
      expect(info.ok && info.value.dataProblem?.message).toMatch(/danificada/);
      const status = await agent.call('getStatus', {}, agent.createSession());
      expect(status.ok).toBe(true);
    } finally {
      await agent.shutdown(5_000);
    }
    survived.push('trashed history');
  });
});

describe('a damaged cache/index.sqlite (rebuildable)', () => {
  const damages: Array<[string, (file: string) => void]> = [
    ['garbage', (file) => writeFileSync(file, Buffer.from('not an index '.repeat(500)))],
    ['an index with its schema page trashed', (file) => {
      const db = new Database(file);
      db.exec('CREATE TABLE snapshots (id INTEGER PRIMARY KEY, complete INTEGER, builder_pid INTEGER, pad TEXT); PRAGMA user_version = 2;');
      const insert = db.prepare('INSERT INTO snapshots (complete, builder_pid, pad) VALUES (0, 1, ?)');
      for (let i = 0; i < 500; i += 1) insert.run('y'.repeat(200));
      db.close();
      const bytes = readFileSync(file);
      bytes.fill(0x5a, 100, bytes.length); // keep the 100-byte header only
      writeFileSync(file, bytes);
    }],
  ];

  it.each(damages)('%s: every command still works, the index is started again and the log says why', async (what, damage) => {
    const dataDir = join(dir, `index-${what.length}`);
    mkdirSync(join(dataDir, 'cache'), { recursive: true });
    const file = join(dataDir, 'cache', 'index.sqlite');
    damage(file);
    const first = await cofre(dataDir, ['status']);
    expect(first.err).not.toMatch(generic);
    expect(first.code).toBe(0);
    expect(readFileSync(join(dataDir, 'logs', 'cofre.log'), 'utf8')).toMatch(/snapshot index: SQLITE_(NOTADB|CORRUPT)[^\n]*deleted the damaged/);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const second = await cofre(dataDir, ['snapshots']);
    expect(second.err).not.toMatch(generic);
    survived.push(`index: ${what}`);
  });
});

describe.runIf(canMount())('a read-only data dir', () => {
  it('gives a clear translated message naming the folder', async () => {
    const mount = join(dir, 'ro-mount');
    mkdirSync(mount, { recursive: true });
    mountTmpfs(mount, '4m');
    try {
      const dataDir = join(mount, 'cofre');
      expect((await cofre(dataDir, ['status'])).code).toBe(0); // creates a normal data dir
      remount(mount, 'ro');
      for (const [lang, words] of [['en', /cannot write to its folder/], ['pt-BR', /não consegue gravar na pasta/]] as const) {
        const r = await cofre(dataDir, ['status'], lang);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(words);
        expect(r.err).toContain(dataDir);
        expect(r.err).not.toMatch(generic);
      }
      survived.push('read-only data dir');
    } finally {
      unmount(mount);
    }
  });

  it('a read-only cache folder is named, not "something unexpected"', async () => {
    const dataDir = join(dir, 'ro-cache');
    const cache = join(dataDir, 'cache');
    mkdirSync(cache, { recursive: true });
    mountTmpfs(cache, '4m');
    try {
      remount(cache, 'ro');
      const r = await cofre(dataDir, ['status']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/cannot write to its folder/);
      expect(r.err).toContain(cache);
      expect(r.err).not.toMatch(generic);
      survived.push('read-only cache folder');
    } finally {
      unmount(cache);
    }
  });
});

describe.runIf(process.platform !== 'win32')('a data dir that existed before', () => {
  it('is made private on first use (0700, files 0600)', async () => {
    const dataDir = join(dir, 'open-before');
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
    expect((await cofre(dataDir, ['status'])).code).toBe(0);
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'history.sqlite'), 0o644);
    expect((await cofre(dataDir, ['status'])).code).toBe(0);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'history.sqlite')).mode & 0o777).toBe(0o600);
    survived.push('open data dir');
  });

  it('never tightens a folder Cofre does not own (other files in it, sticky /tmp, home)', async () => {
    const shared = join(dir, 'users-folder');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, 'notes.txt'), 'mine');
    chmodSync(shared, 0o755);
    expect((await cofre(shared, ['status'])).code).toBe(0);
    expect(statSync(shared).mode & 0o777).toBe(0o755);
    expect(existsSync(join(shared, 'history.sqlite'))).toBe(true);
    expect(isOwnDataDir(tmpdir())).toBe(false);
    expect(isOwnDataDir('/tmp')).toBe(false);
    expect(isOwnDataDir(process.env.HOME ?? '/root')).toBe(false);
    survived.push('foreign folder untouched');
  });
});

describe('history.sqlite deleted while `cofre serve` runs', () => {
  const restUser = 'ana';
  const restPassword = 'heals-rest-password-4K';
  let rest: RestServer;
  let serve: ChildProcess | undefined;

  beforeAll(async () => {
    rest = await startRestServer({ users: { [restUser]: restPassword } });
  });
  afterAll(async () => {
    if (serve && serve.exitCode === null && serve.signalCode === null) {
      const exited = new Promise<void>((done) => serve!.once('exit', () => done()));
      serve.kill('SIGTERM');
      const timer = setTimeout(() => serve?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await rest?.close();
  });

  it('serve notices, reopens the file the CLI uses, and both tell the same history again; the user is told once', async () => {
    const dataDir = join(dir, 'serve-history');
    const documents = join(dir, 'serve-docs');
    mkdirSync(dataDir, { recursive: true });
    await generateTree(documents, { files: 5, seed: 15 });
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({
      modno: 1, version: 6, instance: 'heals',
      repos: [{ id: 'r', uri: rest.repoUri(`${restUser}/heals`), password: 'heals-repo-password-8Z', autoInitialize: true, env: [`RESTIC_REST_USERNAME=${restUser}`, `RESTIC_REST_PASSWORD=${restPassword}`] }],
      plans: [{ id: 'docs', repo: 'r', paths: [documents], schedule: { disabled: true } }],
    }));
    const token = `heals-${process.pid}-${Date.now().toString(36)}-token-long-enough`;
    serve = spawn(process.execPath, [join(repoRoot, 'bin', 'cofre.mjs'), 'serve', '--json', '--port', '0', '--lang', 'en', '--data-dir', dataDir, '--policy', join(dir, 'none.json'), '--restic', resticBinary('0.18').bin], {
      cwd: repoRoot, env: { PATH: process.env.PATH, HOME: dir, COFRE_SERVE_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { port } = await firstJsonLine(serve);
    const session = randomBytes(16).toString('hex');
    const api = async <T>(method: string, input: unknown = {}): Promise<T> => {
      const response = await fetch(`http://127.0.0.1:${port}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-cofre-session': session }, body: JSON.stringify(input) });
      const body = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
      if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
      return body.value as T;
    };
    type Page = { items: Array<{ id: number; type: string; status: string; message: string | null }>; total: number };
    const backupThroughServe = async () => {
      const before = (await api<Page>('listHistory', { type: 'backup', limit: 1 })).items[0]?.id ?? 0;
      await api('runBackup', { planId: 'docs' });
      await waitUntil(async () => (await api<Page>('listHistory', { type: 'backup', limit: 1 })).items.some((op) => op.id !== before && ['success', 'warning', 'failure'].includes(op.status)), 90_000);
    };
    const cliBackups = async () => JSON.parse((await cofre(dataDir, ['--json', 'history'])).out) as Array<{ type: string; status: string }> | { items: Array<{ type: string; status: string }> };
    const backupsIn = (value: Awaited<ReturnType<typeof cliBackups>>) => (Array.isArray(value) ? value : value.items).filter((op) => op.type === 'backup');

    await backupThroughServe();
    expect(backupsIn(await cliBackups())).toHaveLength(1);

    // The user (or a cleaner) deletes the history while serve runs.
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `history.sqlite${suffix}`), { force: true });
    // A CLI run now starts a new history.sqlite; serve must use that one too.
    const cli = await cofre(dataDir, ['status']);
    expect(cli.err).not.toMatch(generic);
    await backupThroughServe();
    const fromCli = backupsIn(await cliBackups());
    const fromServe = (await api<Page>('listHistory', { type: 'backup', limit: 50 })).items;
    expect(fromCli).toHaveLength(1); // the backup made after the deletion, seen by both
    expect(fromServe.map((op) => op.status)).toEqual(fromCli.map((op) => op.status));
    await backupThroughServe();
    expect(backupsIn(await cliBackups())).toHaveLength(2);

    // Told once: one log line and one history row, not one per call.
    const log = readFileSync(join(dataDir, 'logs', 'cofre.log'), 'utf8');
    expect(log.match(/history: .*(deleted|replaced)/g) ?? []).toHaveLength(1);
    const notices = (await api<Page>('listHistory', { limit: 50 })).items.filter((op) => op.message && /history|histórico/i.test(op.message));
    expect(notices).toHaveLength(1);
    survived.push('history deleted under serve');
  });
});

function firstJsonLine(child: ChildProcess, timeoutMs = 60_000): Promise<{ url: string; port: number }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`cofre serve printed nothing in ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; port: number });
      }
    });
    child.once('exit', (code) => reject(new Error(`cofre serve exited (${code}): ${err}`)));
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}
