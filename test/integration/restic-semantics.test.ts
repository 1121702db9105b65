// Same config, same meaning, on restic 0.14, 0.18 and 0.19.1 against the real rest-server:
// Backrest's shell-split flags and ${VAR} expansion, --files-from without paths, a missing
// source folder as a warning with the right words, a cancel as 'cancelled', and every failure
// a person can act on (wrong password, no repository, refused or missing login, another user's
// private path, unreachable server, untrusted certificate, locked repository).
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repo } from '../../electron/core/config/backrest-schema.js';
import { toRepoTarget } from '../../electron/core/config/repo-secrets.js';
import { CofreError, type FailureCause } from '../../electron/core/errors.js';
import { detectRestic, ResticEngine, sourceMissingWarning } from '../../electron/core/restic/index.js';
import type { Capabilities, RepoTarget } from '../../electron/core/restic/types.js';
import { MemorySecretStore } from '../../electron/core/secrets/secret-store.js';
import { answersHttp, freePort, makeTempDir, makeTestCa, removeDir, resticBinaries, restServerBinary, writeHtpasswd } from '../fixtures/index.js';
import { spawnServer, stopServer, waitUntilReady, type ServerProcess } from '../fixtures/process.js';

const REPO_PASSWORD = 'semantics-Repo-Pw';
const USERS = { alice: 'Alice-Pw-42', bob: 'Bob-Pw-42' };
const restServerBin = restServerBinary();

// The field's restic versions, each checked under its own path (test/fixtures/restic-versions.ts).
const versions = resticBinaries.map(({ label, bin }) => ({ label, bin }));

interface RealRestServer {
  port: number;
  dataDir: string;
  uri(path: string, scheme?: 'http' | 'https'): string;
  close(): Promise<void>;
}

async function startRealRestServer(dir: string, flags: string[], tls?: { cert: string; key: string; ca: string }): Promise<RealRestServer> {
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  if (!flags.includes('--no-auth')) await writeHtpasswd(join(dataDir, '.htpasswd'), USERS);
  const port = await freePort();
  const args = ['--path', dataDir, '--listen', `127.0.0.1:${port}`, ...flags, ...(tls ? ['--tls', '--tls-cert', tls.cert, '--tls-key', tls.key] : [])];
  const proc: ServerProcess = spawnServer(restServerBin, args);
  const scheme = tls ? 'https' : 'http';
  await waitUntilReady(proc, () => answersHttp(`${scheme}://127.0.0.1:${port}/`, tls ? { caFile: tls.ca } : {}), `rest-server on ${port}`);
  return {
    port,
    dataDir,
    uri: (path, s = scheme) => `rest:${s}://127.0.0.1:${port}/${path}/`,
    close: () => stopServer(proc),
  };
}

async function failureOf(promise: Promise<unknown>): Promise<CofreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a failure').toBeInstanceOf(CofreError);
  return error as CofreError;
}

async function expectCause(promise: Promise<unknown>, cause: FailureCause): Promise<CofreError> {
  const error = await failureOf(promise);
  expect(error.failure, `${error.message}\n${(error as { stderrTail?: string }).stderrTail ?? ''}`).toBe(cause);
  return error;
}

/** The restic processes this test process started whose command line names `marker`. */
function childResticPids(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of execFileSync('ps', ['-o', 'pid=,ppid=,args=', '-e'], { encoding: 'utf8' }).split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(entry);
    if (match && Number(match[2]) === process.pid && (match[3] ?? '').includes('restic') && (match[3] ?? '').includes(marker)) pids.push(Number(match[1]));
  }
  return pids;
}

describe.each(versions)('restic $label with the real rest-server', ({ label, bin }) => {
  let work: string;
  let open: RealRestServer;
  let auth: RealRestServer;
  let tls: RealRestServer;
  let caps: Capabilities;
  let src: string;
  let count = 0;

  const engineFor = (repo: RepoTarget, extra: { unreachableGiveUpMs?: number } = {}): ResticEngine =>
    new ResticEngine({ binary: bin, capabilities: caps, repo, cacheDir: join(work, 'cache'), killGraceMs: 8_000, baseEnv: { PATH: process.env.PATH ?? '' }, ...extra });
  const openTarget = (name: string, extra: Partial<RepoTarget> = {}): RepoTarget => ({ id: name, uri: open.uri(name), password: REPO_PASSWORD, env: {}, flags: [], ...extra });
  const fresh = async (): Promise<{ engine: ResticEngine; target: RepoTarget }> => {
    count += 1;
    const target = openTarget(`r${label}-${count}`);
    const engine = engineFor(target);
    await engine.init();
    return { engine, target };
  };
  const filesIn = async (engine: ResticEngine, snapshotId: string): Promise<string[]> => {
    const names: string[] = [];
    for await (const node of engine.ls(snapshotId)) if (node.type === 'file') names.push(node.path);
    return names;
  };

  beforeAll(async () => {
    caps = (await detectRestic(bin)).capabilities;
    work = await makeTempDir(`semantics-${label}`);
    src = join(work, 'Setor');
    await mkdir(join(src, 'planilhas'), { recursive: true });
    await writeFile(join(src, 'relatorio.txt'), 'relatório\n');
    await writeFile(join(src, 'planilhas', 'custos.csv'), 'a;b\n');
    await writeFile(join(src, 'planilhas', 'notas.odt'), 'notas\n');
    const ca = await makeTestCa(join(work, 'ca'));
    [open, auth, tls] = await Promise.all([
      startRealRestServer(join(work, 'open'), ['--no-auth']),
      startRealRestServer(join(work, 'auth'), ['--private-repos']),
      startRealRestServer(join(work, 'tls'), ['--no-auth'], { cert: ca.serverCert, key: ca.serverKey, ca: ca.caCert }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([open?.close(), auth?.close(), tls?.close()]);
    if (work) await removeDir(work);
  });

  it('backup_flags are shell words: "--exclude *.csv" leaves the csv files out; repo flags expand ${VAR}', async () => {
    count += 1;
    const name = `flags${label}-${count}`;
    const repo = { id: name, uri: open.uri('${COFRE_TEST_REPO}'), env: [], flags: ['--limit-upload ${COFRE_TEST_UPLOAD}'], password: REPO_PASSWORD } as unknown as Repo;
    const target = await toRepoTarget(repo, new MemorySecretStore(), { COFRE_TEST_REPO: name, COFRE_TEST_UPLOAD: '100000' });
    expect(target.uri).toBe(open.uri(name));
    expect(target.flags).toEqual(['--limit-upload', '100000']);
    const engine = engineFor(target);
    await engine.init();
    const result = await engine.backup({ planId: 'setor', instance: 'pc-01', paths: [src], extraFlags: ['--exclude *.csv', '--exclude "nada com espaço"'] });
    expect(result.outcome).toBe('success');
    const files = await filesIn(engine, (await engine.snapshots())[0]?.id ?? '');
    expect(files.some((f) => f.endsWith('relatorio.txt'))).toBe(true);
    expect(files.some((f) => f.endsWith('notas.odt'))).toBe(true);
    expect(files.some((f) => f.endsWith('.csv'))).toBe(false);
    // The repository is the one the variable names, not one literally called ${...}.
    expect(await readdir(open.dataDir)).toContain(name);
    expect((await readdir(open.dataDir)).some((d) => d.includes('$'))).toBe(false);
  });

  it('a URI whose variable is not set fails clearly instead of backing up somewhere else', async () => {
    const repo = { id: 'sem-var', uri: open.uri('${COFRE_TEST_UNSET}'), env: [], flags: [], password: REPO_PASSWORD } as unknown as Repo;
    const error = await failureOf(toRepoTarget(repo, new MemorySecretStore(), {}));
    expect(error.failure).toBe('invalid-input');
    expect(error.toPayload('pt-BR').message).toContain('COFRE_TEST_UNSET');
  });

  it('a malformed flag is a translated config error, not a restic error', async () => {
    const { engine } = await fresh();
    const error = await expectCause(engine.backup({ planId: 'setor', instance: 'pc-01', paths: [src], extraFlags: ['--exclude "aberto'] }), 'invalid-input');
    expect(error.toPayload('pt-BR').message).toContain('plans[setor].backup_flags[0]');
  });

  it('--files-from in backup_flags with no paths backs up the listed sources', async () => {
    const { engine } = await fresh();
    const list = join(work, `lista-${label}.txt`);
    await writeFile(list, `${join(src, 'relatorio.txt')}\n`);
    const result = await engine.backup({ planId: 'lista', instance: 'pc-01', paths: [], extraFlags: [`--files-from ${list}`] });
    expect(result.outcome).toBe('success');
    const files = await filesIn(engine, (await engine.snapshots())[0]?.id ?? '');
    expect(files).toEqual([join(src, 'relatorio.txt')]);
  });

  it('a missing source folder is a source-missing warning carrying the path (0.14/0.18 exit 0, 0.19 exit 3)', async () => {
    const { engine } = await fresh();
    const gone = join(work, 'Compras');
    const result = await engine.backup({ planId: 'setor', instance: 'pc-01', paths: [src, gone] });
    expect(result.outcome).toBe('source-missing');
    expect(result.missingPaths).toEqual([gone]);
    expect(result.summary.snapshotId).toBeTruthy();
    const warning = sourceMissingWarning(result.missingPaths).toPayload('pt-BR');
    expect(warning.message).toBe(`A pasta ${gone} não existe mais neste computador; o restante foi salvo.`);
    expect(warning.action).not.toMatch(/feche/i);
  });

  // Root reads any file, so chmod 000 proves nothing; /proc/<pid>/mem cannot be read even by root.
  it('unreadable files stay partial, also when a source folder is missing too', async () => {
    const { engine } = await fresh();
    const unreadable = `/proc/${process.pid}/mem`;
    const gone = join(work, 'RH');
    const result = await engine.backup({ planId: 'setor', instance: 'pc-01', paths: [src, unreadable, gone] });
    expect(result.outcome).toBe('partial');
    expect(result.fileErrors.map((e) => e.item)).toContain(unreadable);
    expect(result.missingPaths).toEqual([gone]);
  });

  it("a cancel from Cofre is 'cancelled'", async () => {
    const { engine } = await fresh();
    const big = join(work, `grande-${label}`);
    await mkdir(big, { recursive: true });
    await writeFile(join(big, 'dados.bin'), randomBytes(8 * 1024 * 1024));
    const controller = new AbortController();
    const running = engine.backup(
      { planId: 'grande', instance: 'pc-01', paths: [big], extraFlags: ['--limit-upload 64'] },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expectCause(running, 'cancelled');
  }, 60_000);

  it("a SIGINT that reaches restic directly (Ctrl+C in the terminal) is 'cancelled' too", async () => {
    const { engine } = await fresh();
    const big = join(work, `grande2-${label}`);
    await mkdir(big, { recursive: true });
    await writeFile(join(big, 'dados.bin'), randomBytes(8 * 1024 * 1024));
    let sent = false;
    const running = engine.backup(
      { planId: 'grande', instance: 'pc-01', paths: [big], extraFlags: ['--limit-upload 64'] },
      {
        onProgress: () => {
          if (sent) return;
          const pids = childResticPids('backup');
          if (pids.length === 0) return;
          sent = true;
          for (const pid of pids) process.kill(pid, 'SIGINT');
        },
      },
    );
    await expectCause(running, 'cancelled');
    expect(sent).toBe(true);
  }, 60_000);

  it('wrong password, no repository', async () => {
    const { target } = await fresh();
    await expectCause(engineFor({ ...target, password: 'errada' }).catConfig(), 'wrong-password');
    await expectCause(engineFor(openTarget(`nao-existe-${label}`)).catConfig(), 'no-repository');
  });

  it('logins on a --private-repos server: right, wrong, none sent, another user’s path', async () => {
    const own: RepoTarget = { id: 'own', uri: auth.uri(`alice/docs${label}`), password: REPO_PASSWORD, env: {}, flags: [], restUsername: 'alice', restPassword: USERS.alice };
    await engineFor(own).init();
    await engineFor(own).catConfig();
    await expectCause(engineFor({ ...own, restPassword: 'errada' }).catConfig(), 'auth-refused');
    // The Prefeitura guide's names: restic never reads them, so no user name is sent at all.
    const guide: RepoTarget = { ...own, restUsername: undefined, restPassword: undefined, env: { REST_RESTIC_USERNAME: 'alice', REST_RESTIC_PASSWORD: USERS.alice } } as RepoTarget;
    delete guide.restUsername;
    delete guide.restPassword;
    const missing = await expectCause(engineFor(guide).catConfig(), 'auth-missing');
    expect(missing.toPayload('pt-BR').message).toBe('O servidor de backup pede usuário e senha, e nenhum está configurado.');
    // Correct credentials of alice on bob's path: rest-server answers 401.
    const other = await expectCause(engineFor({ ...own, uri: auth.uri(`bob/docs${label}`) }).catConfig(), 'auth-other-user');
    expect(other.toPayload('en').message).toContain('/bob/');
    expect(other.toPayload('en').message).toContain('"alice"');
    // A wrong password on someone else's path is still a wrong login, not "another user's path".
    await expectCause(engineFor({ ...own, uri: auth.uri(`bob/docs${label}`), restPassword: 'errada' }).catConfig(), 'auth-refused');
  });

  it('an unreachable server and an untrusted certificate', async () => {
    const port = await freePort();
    await expectCause(engineFor(openTarget('x', { uri: `rest:http://127.0.0.1:${port}/x/` }), { unreachableGiveUpMs: 3_000 }).catConfig(), 'server-unreachable');
    await expectCause(engineFor({ id: 't', uri: tls.uri(`t${label}`), password: REPO_PASSWORD, env: {}, flags: [] }).catConfig(), 'tls-untrusted');
  }, 60_000);

  it('a locked repository', async () => {
    const { engine, target } = await fresh();
    // A backup reading a stdin that never ends holds its lock until we close it.
    const holder = execa(bin, ['backup', '--stdin', '--stdin-filename', 'x'], {
      env: { PATH: process.env.PATH ?? '', RESTIC_REPOSITORY: target.uri, RESTIC_PASSWORD: REPO_PASSWORD, RESTIC_CACHE_DIR: join(work, 'cache') },
      extendEnv: false,
      stdin: 'pipe',
      reject: false,
    });
    try {
      const locks = join(open.dataDir, target.id, 'locks');
      for (let i = 0; i < 100 && (!existsSync(locks) || (await readdir(locks)).length === 0); i++) await new Promise((r) => setTimeout(r, 100));
      expect((await readdir(locks)).length).toBeGreaterThan(0);
      await expectCause(engine.prune(), 'repo-locked');
    } finally {
      holder.stdin?.end();
      await holder;
    }
  }, 60_000);

  it('the missing-source words come from the real stderr of this version', async () => {
    // Guards the parser: if restic changes its "does not exist, skipping" line, this fails.
    const { target } = await fresh();
    const out = await execa(bin, ['backup', '--json', join(work, 'nao-ha')], {
      env: { PATH: process.env.PATH ?? '', RESTIC_REPOSITORY: target.uri, RESTIC_PASSWORD: REPO_PASSWORD, RESTIC_CACHE_DIR: join(work, 'cache') },
      extendEnv: false,
      reject: false,
    });
    expect(String(out.stderr)).toContain(`${join(work, 'nao-ha')} does not exist, skipping`);
  });
});
