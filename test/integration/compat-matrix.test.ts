// The compatibility matrix, every row a test through Cofre's restic engine: restic 0.14 (Debian
// bookworm), 0.18 (trixie) and 0.19.1 (sid, what Backrest 1.14 bundles) against the real
// rest-server 0.14 in each way the field runs it. Each row asserts what a user would notice: the
// backup succeeds and its snapshot is listed, or the failure is classified with the cause they
// are told (never `unknown`, never a wrong one, never after minutes of retries).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailureCause } from '../../electron/core/errors.js';
import { detectRestic, ResticEngine, ResticError, type EngineOptions } from '../../electron/core/restic/index.js';
import type { BackupRequest, Capabilities, RepoTarget } from '../../electron/core/restic/types.js';
import {
  generateTree, makeTempDir, quotaUsage, removeDir, resticBinaries, startRestServer, startTlsProxy,
  type ResticBinary, type RestServer, type TlsProxy, type TreeInfo,
} from '../fixtures/index.js';
import { recordFigure } from '../support/figures.js';

const REPO_PASSWORD = 'matrix-Repo-Pw-31';
const ALICE = { user: 'alice', password: 'Alice-Http-Pw-7' };
const BOB = { user: 'bob', password: 'Bob-Http-Pw-8' };
const OFFICE = { user: 'batatais', password: 'Nginx-Office-Pw-9' };
const PLAN = 'docs';
const INSTANCE = 'pc-matrix';
/** A refusal must reach the user quickly, not after restic's minutes of retries. */
const REFUSAL_WITHIN_MS = 30_000;

let work: string;
let small: TreeInfo;
let large: TreeInfo;
const caps = new Map<string, Capabilities>();

beforeAll(async () => {
  work = await makeTempDir('compat-matrix');
  const [s, l] = await Promise.all([
    generateTree(join(work, 'Documentos'), { files: 20, dirs: 3, maxSize: 8_192, seed: 11 }),
    // Random bytes: compression cannot shrink them under the quota.
    generateTree(join(work, 'Grandes'), { files: 30, dirs: 2, minSize: 200_000, maxSize: 300_000, seed: 12, unicode: false }),
    ...resticBinaries.map(async (b) => caps.set(b.label, (await detectRestic(b.bin)).capabilities)),
  ]);
  small = s as TreeInfo;
  large = l as TreeInfo;
});

afterAll(async () => {
  if (work) await removeDir(work);
});

function engine(binary: ResticBinary, repo: Partial<RepoTarget> & Pick<RepoTarget, 'id' | 'uri'>, extra: Partial<EngineOptions> = {}): ResticEngine {
  const capabilities = caps.get(binary.label);
  if (!capabilities) throw new Error(`restic ${binary.label} was not detected`);
  return new ResticEngine({
    binary: binary.bin,
    capabilities,
    repo: { password: REPO_PASSWORD, env: {}, flags: [], ...repo },
    cacheDir: join(work, `cache-${binary.label}`),
    killGraceMs: 3_000,
    unreachableGiveUpMs: 10_000,
    ...extra,
  });
}

const request = (paths: string[]): BackupRequest => ({ planId: PLAN, instance: INSTANCE, paths, host: INSTANCE });

/** What one row saw, published as the `compat` figures table (test-results/figures.jsonl). */
type Seen = string[];

/** Backs up and checks what the user sees: success, and the snapshot listed with Backrest's tags. */
async function expectBackupListed(seen: Seen, e: ResticEngine, tree: TreeInfo = small): Promise<void> {
  const result = await e.backup(request([tree.root]));
  seen.push(`backup ${result.outcome}`);
  expect(result.outcome).toBe('success');
  expect(result.summary.totalFilesProcessed).toBe(tree.files.length);
  const listed = await e.snapshots({ tags: [`plan:${PLAN},created-by:${INSTANCE}`] });
  expect(listed.length).toBeGreaterThanOrEqual(1);
  const latest = listed[listed.length - 1]!;
  expect(latest.paths).toEqual([tree.root]);
  expect(latest.tags.sort()).toEqual([`created-by:${INSTANCE}`, `plan:${PLAN}`]);
  expect(result.summary.snapshotId && latest.id.startsWith(result.summary.snapshotId)).toBe(true);
}

/** The line of restic's output that says why, for the figures. */
function tellingLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.filter((l) => /fatal|error|\b[45]\d\d\b|certificate|forbidden|unauthorized/i.test(l));
  return (telling[telling.length - 1] ?? lines[lines.length - 1] ?? '').slice(0, 240);
}

/** The operation fails with `cause`, soon; the message carries what restic printed, for the report. */
async function expectCause(seen: Seen, operation: () => Promise<unknown>, cause: FailureCause): Promise<ResticError> {
  const started = Date.now();
  const error = await operation().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a failure with cause ${cause}, the operation succeeded`).toBeInstanceOf(ResticError);
  const failure = error as ResticError;
  seen.push(`${failure.failure ?? 'no cause'} in ${Date.now() - started} ms (exit ${String(failure.exitCode)}): ${tellingLine(failure.stderrTail)}`);
  expect(failure.failure, `cause; restic printed:\n${failure.stderrTail}`).toBe(cause);
  expect(Date.now() - started, `refusal took too long; restic printed:\n${failure.stderrTail}`).toBeLessThan(REFUSAL_WITHIN_MS);
  return failure;
}

interface ServerMode {
  mode: string;
  /** Starts what this row needs; returns what to close. */
  start(): Promise<(() => Promise<void>)[]>;
  row(binary: ResticBinary, seen: Seen): Promise<void>;
}

let htpasswd: RestServer;
let privateRepos: RestServer;
let appendOnly: RestServer;
let ownTls: RestServer;
let upstream: RestServer;
let proxy: TlsProxy;

const modes: ServerMode[] = [
  {
    mode: 'htpasswd auth',
    async start() {
      htpasswd = await startRestServer({ users: { [ALICE.user]: ALICE.password } });
      return [() => htpasswd.close()];
    },
    async row(binary, seen) {
      const repo = { id: 'auth', uri: htpasswd.repoUri(`auth-${binary.label}`), restUsername: ALICE.user, restPassword: ALICE.password };
      const e = engine(binary, repo);
      expect(await e.init()).toEqual({ created: true });
      await expectBackupListed(seen, e);
      await expectCause(seen, () => engine(binary, { ...repo, restPassword: 'not-the-http-password' }).snapshots(), 'auth-refused');
      const { restUsername: _u, restPassword: _p, ...anonymous } = repo;
      // No user name sent at all: the message must not say the user name or password is wrong.
      await expectCause(seen, () => engine(binary, anonymous).snapshots(), 'auth-missing');
    },
  },
  {
    mode: '--private-repos',
    async start() {
      privateRepos = await startRestServer({ users: { [ALICE.user]: ALICE.password, [BOB.user]: BOB.password }, privateRepos: true });
      return [() => privateRepos.close()];
    },
    async row(binary, seen) {
      const own = { id: 'own', uri: privateRepos.repoUri(`${ALICE.user}/docs-${binary.label}`), restUsername: ALICE.user, restPassword: ALICE.password };
      const e = engine(binary, own);
      expect(await e.init()).toEqual({ created: true });
      await expectBackupListed(seen, e);
      // Bob's correct credentials on Alice's path: rest-server answers 401, as for a wrong password.
      // The password is right, so this is reported as a path that belongs to another user.
      await expectCause(seen, () => engine(binary, { ...own, restUsername: BOB.user, restPassword: BOB.password }).snapshots(), 'auth-other-user');
      await expectCause(seen, () => engine(binary, { ...own, restUsername: BOB.user, restPassword: BOB.password }).backup(request([small.root])), 'auth-other-user');
      // Bob with a wrong password on Alice's path stays a refused login.
      await expectCause(seen, () => engine(binary, { ...own, restUsername: BOB.user, restPassword: 'not-bobs' }).snapshots(), 'auth-refused');
    },
  },
  {
    mode: '--append-only',
    async start() {
      appendOnly = await startRestServer({ users: { [ALICE.user]: ALICE.password }, appendOnly: true });
      return [() => appendOnly.close()];
    },
    async row(binary, seen) {
      const e = engine(binary, { id: 'ao', uri: appendOnly.repoUri(`ao-${binary.label}`), restUsername: ALICE.user, restPassword: ALICE.password });
      await e.init();
      await expectBackupListed(seen, e);
      await expectBackupListed(seen, e);
      await expectCause(seen, () => e.forget({ planId: PLAN, instance: INSTANCE, retention: { keepLast: 1 } }), 'append-only');
      await e.unlock();
      expect(await e.snapshots()).toHaveLength(2);
    },
  },
  {
    mode: '--max-size quota',
    start: () => Promise.resolve([]),
    async row(binary, seen) {
      // One quota for the whole data folder: each version gets its own server. The repository is
      // made first, then the quota leaves ~1.5 MB: the small backup fits, the large one does not.
      const dataDir = join(work, `quota-${binary.label}`);
      const plain = await startRestServer({ users: { [ALICE.user]: ALICE.password }, dataDir });
      const repo = { id: 'quota', uri: '', restUsername: ALICE.user, restPassword: ALICE.password };
      try {
        await engine(binary, { ...repo, uri: plain.repoUri('quota') }).init();
      } finally {
        await plain.close();
      }
      const quota = await startRestServer({ users: { [ALICE.user]: ALICE.password }, dataDir, maxSize: (await quotaUsage(dataDir)) + 1_500_000 });
      try {
        const e = engine(binary, { ...repo, uri: quota.repoUri('quota') });
        await expectBackupListed(seen, e);
        await expectCause(seen, () => e.backup(request([large.root])), 'storage-full');
      } finally {
        await quota.close();
      }
    },
  },
  {
    mode: "rest-server's own --tls",
    async start() {
      ownTls = await startRestServer({ users: { [ALICE.user]: ALICE.password }, tls: true });
      return [() => ownTls.close()];
    },
    async row(binary, seen) {
      const repo = { id: 'tls', uri: ownTls.repoUri(`tls-${binary.label}`), restUsername: ALICE.user, restPassword: ALICE.password };
      await expectCause(seen, () => engine(binary, repo).init(), 'tls-untrusted');
      const e = engine(binary, { ...repo, caCertFile: ownTls.ca!.caCert });
      expect(await e.init()).toEqual({ created: true });
      await expectBackupListed(seen, e);
    },
  },
  {
    mode: 'nginx TLS + Basic Auth -> rest-server --no-auth',
    async start() {
      upstream = await startRestServer();
      proxy = await startTlsProxy({ upstream, users: { [OFFICE.user]: OFFICE.password } });
      return [() => proxy.close(), () => upstream.close()];
    },
    async row(binary, seen) {
      const repo = { id: 'nginx', uri: proxy.repoUri(`setor-${binary.label}`), restUsername: OFFICE.user, restPassword: OFFICE.password };
      await expectCause(seen, () => engine(binary, repo).init(), 'tls-untrusted');
      const e = engine(binary, { ...repo, caCertFile: proxy.ca.caCert });
      expect(await e.init()).toEqual({ created: true });
      await expectBackupListed(seen, e);
      await expectCause(seen, () => engine(binary, { ...repo, caCertFile: proxy.ca.caCert, restPassword: 'wrong-office-pw' }).snapshots(), 'auth-refused');
    },
  },
];

describe.each(modes)('server: $mode', (mode) => {
  let closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    closers = await mode.start();
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });

  // Versions of one row are independent (own repository path, or own server for the quota).
  it.concurrent.each(resticBinaries.map((b) => [b.label, b] as const))('restic %s', async (_label, binary) => {
    const seen: Seen = [];
    try {
      await mode.row(binary, seen);
    } finally {
      recordFigure('compat', { name: `${mode.mode} x restic ${binary.version}`, mode: mode.mode, restic: binary.version, seen });
    }
  }, 120_000);
});
