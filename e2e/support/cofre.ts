// One Cofre as an end user has it, for the browser specs: a temporary home folder with documents,
// a real REST server (rclone serve restic) with a Basic Auth user, optionally a machine policy, and
// `cofre serve` started on a free port against all of it. `stop()` kills the server process and
// removes every folder, so specs never share state.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test as base } from '@playwright/test';
import { hashTechnicianPassword } from '../../electron/core/policy/technician.js';
import { makeTempDir, removeDir, repoRoot, resticBinary, startRestServer, type RestServer } from '../../test/fixtures/index.js';

/** What a policy needs to point at this test's server and folders. */
export interface PolicyContext {
  repoUri: string;
  documents: string;
  restUser: string;
  restPassword: string;
  repoPassword: string;
}

export interface CofreOptions {
  /** The machine policy (policy.json content); undefined = no policy file at all. */
  policy?: Record<string, unknown> | ((context: PolicyContext) => Record<string, unknown>);
  /** Sets `technicianPasswordHash` in the policy (a policy is written even if `policy` is absent). */
  technicianPassword?: string;
  /** Extra environment for `cofre serve` (e.g. COFRE_BACKUP_RETRY to give up in seconds). */
  serveEnv?: Record<string, string>;
}

export interface Cofre {
  /** The URL `cofre serve` printed, with the token in the fragment. */
  url: string;
  /** http://127.0.0.1:PORT (no token). */
  origin: string;
  token: string;
  /** The user's home folder (HOME of the serve process): the end user's restore scope. */
  home: string;
  /** The folder that is backed up: `<home>/Documentos`. */
  documents: string;
  dataDir: string;
  repoUri: string;
  restUser: string;
  restPassword: string;
  /** The password the repository is (or will be) initialised with. */
  repoPassword: string;
  rest: RestServer;
  /** Calls the contract as a script would, in a session of its own. */
  api<T = unknown>(method: string, input?: unknown): Promise<T>;
  /** A Backrest config.json with one repository (this REST server) and one plan over `documents`. */
  backrestConfig(options?: { repoPassword?: string; planId?: string; repoId?: string; autoInitialize?: boolean }): string;
  /** Runs a backup through the API and waits until it is finished; returns the snapshot id. */
  backup(planId: string): Promise<string>;
  stop(): Promise<void>;
}

const restic = resticBinary('0.18').bin;
const cli = join(repoRoot, 'bin', 'cofre.mjs');

let counter = 0;

export async function startCofre(options: CofreOptions = {}): Promise<Cofre> {
  const root = await makeTempDir('e2e');
  const home = join(root, 'home', 'maria');
  const documents = join(home, 'Documentos');
  const dataDir = join(root, 'data');
  await mkdir(documents, { recursive: true });
  await mkdir(dataDir, { recursive: true });

  const restUser = 'maria';
  const restPassword = 'senha-do-servidor-7Q';
  const repoPassword = 'senha-do-repositorio-9X';
  let rest: RestServer | undefined;
  let child: ChildProcess | undefined;

  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child!.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await rest?.close();
    await removeDir(root);
  };

  try {
    rest = await startRestServer({ users: { [restUser]: restPassword } });
    const repoUri = rest.repoUri(`${restUser}-${process.pid}-${++counter}`);

    let policyPath = join(root, 'no-policy.json'); // never created: "no policy"
    if (options.policy || options.technicianPassword) {
      const given = typeof options.policy === 'function' ? options.policy({ repoUri, documents, restUser, restPassword, repoPassword }) : options.policy;
      const policy: Record<string, unknown> = { ...(given ?? {}) };
      if (options.technicianPassword) policy.technicianPasswordHash = await hashTechnicianPassword(options.technicianPassword);
      policyPath = join(root, 'policy.json');
      await writeFile(policyPath, JSON.stringify(policy, null, 2));
    }

    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      // The developer's language, restic settings and XDG folders must not leak into the product.
      if (/^(RESTIC_|COFRE_|XDG_|LC_)|^LANG(UAGE)?$/.test(key)) continue;
      env[key] = value;
    }
    const token = `e2e-${process.pid}-${counter}-${Date.now().toString(36)}`;
    Object.assign(env, options.serveEnv ?? {}, { HOME: home, COFRE_SERVE_TOKEN: token });

    child = spawn(process.execPath, [cli, 'serve', '--json', '--port', '0', '--data-dir', dataDir, '--policy', policyPath, '--restic', restic], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const printed = await firstJsonLine(child, 60_000);
    const url = printed.url;
    const origin = new URL(url).origin;

    // One session of its own, as a script would open (the server has no shared default session).
    const apiSession = randomBytes(16).toString('hex');
    const api = async <T>(method: string, input: unknown = {}): Promise<T> => {
      const response = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-cofre-session': apiSession },
        body: JSON.stringify(input),
      });
      const body = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
      if (!body.ok) throw new Error(`${method} failed: ${body.error?.code} ${body.error?.message}`);
      return body.value as T;
    };

    const backrestConfig: Cofre['backrestConfig'] = (o = {}) =>
      JSON.stringify({
        modno: 0,
        version: 6,
        instance: 'e2e',
        repos: [
          {
            id: o.repoId ?? 'servidor',
            uri: repoUri,
            password: o.repoPassword ?? repoPassword,
            env: [`RESTIC_REST_USERNAME=${restUser}`, `RESTIC_REST_PASSWORD=${restPassword}`],
            flags: [],
            autoInitialize: o.autoInitialize ?? true,
          },
        ],
        plans: [
          {
            id: o.planId ?? 'documentos',
            repo: o.repoId ?? 'servidor',
            paths: [documents],
            excludes: [],
            schedule: { disabled: true },
          },
        ],
      });

    const backup = async (planId: string): Promise<string> => {
      const before = await api<{ items: Array<{ id: number }> }>('listHistory', { planId, type: 'backup', limit: 1 });
      const lastId = before.items[0]?.id ?? 0;
      await api('runBackup', { planId });
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const page = await api<{ items: Array<{ id: number; status: string; snapshotId: string | null; message: string | null }> }>('listHistory', { planId, type: 'backup', limit: 1 });
        const op = page.items[0];
        if (op && op.id > lastId && op.status !== 'running' && op.status !== 'pending') {
          if (op.status !== 'success' || !op.snapshotId) throw new Error(`backup ${planId} ended ${op.status}: ${op.message}`);
          return op.snapshotId;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`backup ${planId} did not finish in 90 s`);
    };

    return { url, origin, token, home, documents, dataDir, repoUri, restUser, restPassword, repoPassword, rest, api, backrestConfig, backup, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the `{"url", "port"}` line `cofre serve --json` prints; rejects with its stderr if it dies. */
function firstJsonLine(child: ChildProcess, timeoutMs: number): Promise<{ url: string; port: number }> {
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`cofre serve printed no URL in ${timeoutMs} ms:\n${err.slice(-2000)}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.length > 20_000) err = err.slice(-10_000);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line) return;
      try {
        const parsed = JSON.parse(line) as { url: string; port: number };
        clearTimeout(timer);
        done(parsed);
      } catch {
        // a partial line: wait for the rest
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`cofre serve exited (${code ?? signal}) before printing its URL:\n${err.slice(-2000)}`));
    });
  });
}

/** Where specs save screenshots of the main screens for people to look at. */
export const screenshotDir = resolve(repoRoot, 'test-results', 'screenshots');
export const screenshotPath = (name: string): string => join(screenshotDir, `${name}.png`);

/**
 * `test` with a `cofre` fixture: a fresh Cofre per test, configured by `test.use({ cofreOptions })`.
 * Teardown kills `cofre serve` and removes the folders even when the test failed.
 */
export const test = base.extend<{ cofreOptions: CofreOptions; cofre: Cofre }>({
  cofreOptions: [{}, { option: true }],
  cofre: async ({ cofreOptions }, use) => {
    const cofre = await startCofre(cofreOptions);
    try {
      await use(cofre);
    } finally {
      await cofre.stop();
    }
  },
});

export { expect } from '@playwright/test';
