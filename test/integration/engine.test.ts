// The restic engine against real restic 0.14 and 0.18 and real REST servers (rclone serve restic,
// nginx with TLS + Basic Auth): what a user sees when backups work, and the cause they are told
// when they do not.
import { readdir, writeFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailureCause } from '../../electron/core/errors.js';
import { detectRestic, ResticEngine, ResticError, type EngineOptions } from '../../electron/core/restic/index.js';
import type { BackupRequest, Capabilities, RepoTarget } from '../../electron/core/restic/types.js';
import {
  generateTree, makeTempDir, rawRestic, removeDir, resticBinaries, restRepoEnv, startRestServer, startTlsProxy,
  type RestServer, type TlsProxy, type TreeInfo,
} from '../fixtures/index.js';

const PASSWORD = 'engine-test-Repo-Pw';
const HTTP_USER = 'alice';
const HTTP_PASSWORD = 'Http-Pw-alice-42';

async function expectCause(promise: Promise<unknown>, cause: FailureCause): Promise<ResticError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a failure with cause ${cause}`).toBeInstanceOf(ResticError);
  expect((error as ResticError).failure, (error as ResticError).stderrTail).toBe(cause);
  return error as ResticError;
}

describe.each(resticBinaries)('restic engine with restic $label', ({ label, bin }) => {
  let server: RestServer;
  let work: string;
  let tree: TreeInfo;
  let caps: Capabilities;
  let repoCount = 0;

  const target = (name: string, extra: Partial<RepoTarget> = {}): RepoTarget => ({
    id: name,
    uri: server.repoUri(name),
    password: PASSWORD,
    env: {},
    flags: [],
    restUsername: HTTP_USER,
    restPassword: HTTP_PASSWORD,
    ...extra,
  });
  const engineFor = (repo: RepoTarget, extra: Partial<EngineOptions> = {}): ResticEngine =>
    new ResticEngine({ binary: bin, capabilities: caps, repo, cacheDir: join(work, 'cache'), killGraceMs: 5_000, ...extra });
  const freshRepo = async (extra: Partial<EngineOptions> = {}): Promise<{ engine: ResticEngine; repo: RepoTarget }> => {
    repoCount += 1;
    const repo = target(`repo-${repoCount}`);
    const engine = engineFor(repo, extra);
    await engine.init();
    return { engine, repo };
  };
  const request = (paths: string[], extra: Partial<BackupRequest> = {}): BackupRequest => ({ planId: 'docs', instance: 'pc-ana', paths, ...extra });
  const raw = (repo: RepoTarget, args: string[]) =>
    rawRestic(bin, args, { RESTIC_PASSWORD: PASSWORD, ...restRepoEnv({ label, bin, version: caps.version.version }, repo.uri, { user: HTTP_USER, password: HTTP_PASSWORD }) });

  beforeAll(async () => {
    caps = (await detectRestic(bin)).capabilities;
    work = await makeTempDir(`engine-${label}`);
    server = await startRestServer({ users: { [HTTP_USER]: HTTP_PASSWORD } });
    tree = await generateTree(join(work, 'Documentos'), { files: 60, dirs: 6, hostileNames: true, seed: 7 });
  });
  afterAll(async () => {
    await server?.close();
    if (work) await removeDir(work);
  });

  it('initialises a repository once; a second init finds it and keeps it', async () => {
    const engine = engineFor(target('init-twice'));
    expect(await engine.init()).toEqual({ created: true });
    const { id } = await engine.catConfig();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await engine.init()).toEqual({ created: false });
    expect((await engine.catConfig()).id).toBe(id);
  });

  it('backs up with Backrest tags, lists snapshots, browses and searches with absolute paths', async () => {
    const { engine, repo } = await freshRepo();
    const progress: number[] = [];
    const result = await engine.backup(request([tree.root], { host: 'pc-ana' }), { onProgress: (p) => progress.push(p.percentDone) });
    expect(result.outcome).toBe('success');
    expect(result.summary.totalFilesProcessed).toBe(tree.files.length);
    expect(result.fileErrors).toEqual([]);
    expect(progress.every((p) => p >= 0 && p <= 1)).toBe(true);

    // What Backrest would see: restic's own listing carries its tags.
    const listed = JSON.parse((await raw(repo, ['snapshots', '--json'])).stdout) as { id: string; tags: string[]; hostname: string }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]!.tags.sort()).toEqual(['created-by:pc-ana', 'plan:docs']);
    expect(listed[0]!.hostname).toBe('pc-ana');

    const snapshots = await engine.snapshots({ tags: ['plan:docs,created-by:pc-ana'] });
    expect(snapshots).toHaveLength(1);
    const snap = snapshots[0]!;
    expect(snap.id).toBe(listed[0]!.id);
    expect(snap.id).toHaveLength(64);
    expect(snap.shortId).toBe(snap.id.slice(0, 8));
    expect(result.summary.snapshotId && snap.id.startsWith(result.summary.snapshotId)).toBe(true);
    expect(await engine.snapshots({ tags: ['plan:other'] })).toEqual([]);

    const files = new Set<string>();
    for await (const node of engine.ls(snap.id)) {
      expect(node.path.startsWith('/')).toBe(true);
      if (node.type === 'file') files.add(node.path);
    }
    for (const relative of tree.files) expect(files.has(join(tree.root, relative))).toBe(true);

    const children = [];
    for await (const node of engine.ls(snap.id, { path: join(tree.root, 'hostile') })) children.push(node);
    expect(children.map((n) => n.path)).toContain(join(tree.root, 'hostile', 'glob *?[x].txt'));
    expect(children.every((n) => n.path.startsWith(join(tree.root, 'hostile') + '/'))).toBe(true);

    const found = await engine.find(['Müller über Größe.txt']);
    expect(found.map((m) => m.path)).toEqual([join(tree.root, 'Müller über Größe.txt')]);
    expect(found[0]!.snapshotId).toBe(snap.id);

    const stats = await engine.stats();
    // restore-size counts folders as well as files
    expect(stats.totalFileCount).toBeGreaterThanOrEqual(tree.files.length);
    expect(stats.totalSize).toBeGreaterThanOrEqual(tree.totalBytes);
  });

  it('gives absolute paths for snapshots made with relative paths too', async () => {
    const { engine, repo } = await freshRepo();
    const env = { RESTIC_PASSWORD: PASSWORD, ...restRepoEnv({ label, bin, version: caps.version.version }, repo.uri, { user: HTTP_USER, password: HTTP_PASSWORD }) };
    await rawRestic(bin, ['backup', '-q', 'Documentos'], env, { cwd: work });
    const [snap] = await engine.snapshots();
    expect(snap!.paths).toEqual([tree.root]);
    const paths: string[] = [];
    for await (const node of engine.ls(snap!.id)) paths.push(node.path);
    expect(paths).toContain(join(tree.root, 'file with spaces.txt'));
    expect(paths).toContain(tree.root);
    const inFolder: string[] = [];
    for await (const node of engine.ls(snap!.id, { path: join(tree.root, 'hostile') })) inFolder.push(node.path);
    expect(inFolder).toContain(join(tree.root, 'hostile', '-r'));
    const found = await engine.find(['file with spaces.txt']);
    expect(found.map((m) => m.path)).toEqual([join(tree.root, 'file with spaces.txt')]);
  });

  it("forgets by the plan's retention and prunes on a normal server", async () => {
    const { engine } = await freshRepo();
    for (let i = 0; i < 3; i++) await engine.backup(request([tree.root]));
    await engine.backup(request([tree.root], { planId: 'other-plan' }));
    const dry = await engine.forget({ planId: 'docs', instance: 'pc-ana', retention: { keepLast: 1 }, dryRun: true });
    expect(dry.removed).toHaveLength(2);
    expect(await engine.snapshots()).toHaveLength(4);
    const result = await engine.forget({ planId: 'docs', instance: 'pc-ana', retention: { keepLast: 1 } });
    expect(result.kept).toHaveLength(1);
    expect(result.removed).toHaveLength(2);
    await engine.prune({ maxUnused: '5%' });
    const left = await engine.snapshots();
    expect(left.map((s) => s.tags.find((t) => t.startsWith('plan:'))).sort()).toEqual(['plan:docs', 'plan:other-plan']);
    expect((await engine.check()).ok).toBe(true);
  });

  it('reports an append-only server refusing to forget, quickly', async () => {
    const appendOnly = await startRestServer({ users: { [HTTP_USER]: HTTP_PASSWORD }, appendOnly: true });
    try {
      const engine = engineFor(target('ao', { uri: appendOnly.repoUri('ao') }), { killGraceMs: 3_000 });
      await engine.init();
      await engine.backup(request([tree.root]));
      await engine.backup(request([tree.root]));
      const started = Date.now();
      await expectCause(engine.forget({ planId: 'docs', instance: 'pc-ana', retention: { keepLast: 1 } }), 'append-only');
      expect(Date.now() - started).toBeLessThan(20_000);
      await engine.unlock();
      expect(await engine.snapshots()).toHaveLength(2);
    } finally {
      await appendOnly.close();
    }
  });

  it('tells a wrong repository password apart from wrong server credentials and a missing repository', async () => {
    const { repo } = await freshRepo();
    await expectCause(engineFor({ ...repo, password: 'not-the-password' }).snapshots(), 'wrong-password');
    await expectCause(engineFor({ ...repo, restPassword: 'wrong-http' }).snapshots(), 'auth-refused');
    await expectCause(engineFor(target('never-created')).snapshots(), 'no-repository');
  });

  it('refuses an untrusted TLS certificate, then works with the CA file', async () => {
    const upstream = await startRestServer();
    let proxy: TlsProxy | undefined;
    try {
      proxy = await startTlsProxy({ upstream, users: { bob: 'Nginx-Pw-bob' } });
      const repo = target('tls', { uri: proxy.repoUri('tls'), restUsername: 'bob', restPassword: 'Nginx-Pw-bob' });
      const started = Date.now();
      await expectCause(engineFor(repo, { killGraceMs: 3_000 }).init(), 'tls-untrusted');
      expect(Date.now() - started).toBeLessThan(20_000);
      const trusted = engineFor({ ...repo, caCertFile: proxy.ca.caCert });
      expect(await trusted.init()).toEqual({ created: true });
      expect((await trusted.backup(request([tree.root]))).outcome).toBe('success');
      await expectCause(engineFor({ ...repo, caCertFile: proxy.ca.caCert, restPassword: 'wrong' }).snapshots(), 'auth-refused');
    } finally {
      await proxy?.close();
      await upstream.close();
    }
  });

  it('reports a stopped server as unreachable, without waiting for all of restic retries', async () => {
    const lonely = await startRestServer({ users: { [HTTP_USER]: HTTP_PASSWORD } });
    try {
      const engine = engineFor(target('gone', { uri: lonely.repoUri('gone') }), { unreachableGiveUpMs: 2_000, killGraceMs: 3_000 });
      await engine.init();
      await lonely.stop();
      const started = Date.now();
      await expectCause(engine.snapshots(), 'server-unreachable');
      await expectCause(engine.backup(request([tree.root])), 'server-unreachable');
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await lonely.close();
    }
  });

  it('cancels a running backup (restic killed), and the repository is usable afterwards', async () => {
    const big = join(work, 'big');
    await generateTree(big, { files: 400, dirs: 10, minSize: 64 * 1024, maxSize: 256 * 1024, seed: 3, unicode: false });
    // grace 0: SIGINT immediately followed by SIGKILL, so restic has no time to remove its lock
    const { engine } = await freshRepo({ killGraceMs: 0 });
    const controller = new AbortController();
    // Uploads slowed down so the backup is surely still running when the first progress line arrives.
    const running = engine.backup(request([big], { extraFlags: ['--limit-upload', '256'] }), { signal: controller.signal, onProgress: () => controller.abort() });
    await expectCause(running, 'cancelled');
    expect(await engine.snapshots()).toEqual([]);
    await engine.unlock();
    const next = await engine.backup(request([big]));
    expect(next.outcome).toBe('success');
    expect(await engine.snapshots()).toHaveLength(1);
    await engine.prune(); // needs an exclusive lock: fails if a stale lock were left
  });

  it('an already aborted signal does not start restic work', async () => {
    const { engine } = await freshRepo();
    const controller = new AbortController();
    controller.abort();
    await expectCause(engine.backup(request([tree.root]), { signal: controller.signal }), 'cancelled');
  });

  // Root reads any file, so chmod 000 proves nothing here. The kernel refuses reads of another
  // process's memory at address 0 (EIO) even for root: /proc/<pid>/mem is an unreadable file.
  it('makes a partial backup (exit 3) when a file cannot be read, and says which', async () => {
    const { engine } = await freshRepo();
    const unreadable = `/proc/${process.pid}/mem`;
    const seen: string[] = [];
    const result = await engine.backup(request([tree.root, unreadable]), { onFileError: (e) => seen.push(e.item) });
    expect(result.outcome).toBe('partial');
    expect(result.fileErrors.map((e) => e.item)).toContain(unreadable);
    expect(seen).toContain(unreadable);
    expect(result.summary.snapshotId).not.toBeNull();
    expect(await engine.snapshots()).toHaveLength(1);
  });

  it('restores a file with glob characters in its name into an empty staging folder only', async () => {
    const { engine } = await freshRepo();
    await engine.backup(request([tree.root]));
    const [snap] = await engine.snapshots();
    const wanted = join(tree.root, 'hostile', 'glob *?[x].txt');
    const staging = join(work, `staging-${label}`);
    const progress: number[] = [];
    const result = await engine.restore({ snapshotId: snap!.id, include: [wanted], target: staging }, { onProgress: (p) => progress.push(p.percentDone) });
    expect(result).toEqual({ filesRestored: 1, bytesRestored: (await readFile(wanted)).length });
    expect(await readFile(join(staging, wanted))).toEqual(await readFile(wanted));
    expect(await readdir(join(staging, tree.root, 'hostile'))).toEqual(['glob *?[x].txt']);

    const busy = join(work, `busy-${label}`);
    await mkdir(busy, { recursive: true });
    await writeFile(join(busy, 'keep-me.txt'), 'mine');
    await expectCause(engine.restore({ snapshotId: snap!.id, include: [], target: busy }), 'invalid-input');
    expect(await readFile(join(busy, 'keep-me.txt'), 'utf8')).toBe('mine');
  });

  it('a missing restic binary is restic-missing', async () => {
    await expectCause(detectRestic(join(work, 'no-such-restic')), 'restic-missing');
    const engine = new ResticEngine({ binary: join(work, 'no-such-restic'), capabilities: caps, repo: target('x') });
    await expectCause(engine.snapshots(), 'restic-missing');
  });

  it('never lets a secret reach a log line, an error or an event', async () => {
    const secrets = { password: 'Zq9-RepoSecret-77', restPassword: 'Hx4-RestSecret-88', envValue: 'Ev5-EnvSecret-99' };
    const secretServer = await startRestServer({ users: { carol: secrets.restPassword } });
    const captured: string[] = [];
    try {
      const repo: RepoTarget = {
        id: 'secret', uri: secretServer.repoUri('secret'), password: secrets.password, env: { COFRE_TEST_TOKEN: secrets.envValue },
        flags: [], restUsername: 'carol', restPassword: secrets.restPassword,
      };
      const log: EngineOptions['log'] = (entry) => captured.push(entry.message);
      const engine = engineFor(repo, { log });
      await engine.init();
      // restic echoes paths it cannot find: make it echo every secret.
      const missing = join(work, secrets.envValue, secrets.password, secrets.restPassword);
      const done = await engine.backup(request([tree.root, missing]), {
        onProgress: (p) => captured.push(JSON.stringify(p)),
        onFileError: (e) => captured.push(JSON.stringify(e)),
      });
      captured.push(JSON.stringify(done));
      // Each failing engine is told its own secrets only (a wrong value is still a secret).
      for (const failing of [
        () => engineFor({ ...repo, restPassword: `${secrets.restPassword}-wrong` }, { log }).backup(request([tree.root])),
        () => engineFor({ ...repo, password: `${secrets.password}-wrong` }, { log }).snapshots(),
        () => engineFor({ ...repo, uri: `rest:http://carol:${secrets.restPassword}@127.0.0.1:1/x/` }, { log, unreachableGiveUpMs: 1_000 }).snapshots(),
      ]) {
        const error = await failing().then(() => undefined, (e: unknown) => e as ResticError);
        expect(error).toBeInstanceOf(ResticError);
        captured.push(error!.message, error!.detail ?? '', error!.stderrTail, JSON.stringify(error!.toPayload('en')), String(error!.stack));
      }
    } finally {
      await secretServer.close();
    }
    const everything = captured.join('\n');
    expect(everything.length).toBeGreaterThan(200);
    for (const secret of Object.values(secrets)) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
  });
});
