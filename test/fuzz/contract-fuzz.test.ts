// Bad input against the whole contract, through every face: in-process `agent.call`, the HTTP face
// (`cofre serve`) and the CLI's `main()`. A real agent with a real restic repository and a real
// snapshot, so valid-looking inputs reach the handlers, restic and the restore code, not only the
// schema. Every case is seeded (the seed is printed; COFRE_FUZZ_SEED=<n> replays a run).
// What must hold: nothing crashes, nothing answers 5xx, every refusal is a structured, translated
// error without stack text, and nothing outside the test's folders is written.
import { createHash, randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request } from 'node:http';
import { inspect } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { Agent } from '../../electron/core/agent/agent.js';
import { api, apiMethods, type ApiEvent, type ApiMethod, type ApiResult, type SessionRef } from '../../electron/core/api.js';
import { hashTechnicianPassword } from '../../electron/core/policy/technician.js';
import { MemorySecretStore } from '../../electron/core/secrets/index.js';
import { startServer, type RunningServer } from '../../electron/server/server.js';
import { generateTree, hashTree, makeTempDir, rawRestic, removeDir, resticBinary } from '../fixtures/index.js';
import { recordFigure } from '../support/figures.js';
import { deepNest, hostilePath, leaksInternals, mutate, Rng, unreachableUris, validInput, type FuzzWorld } from './fuzz-inputs.js';

const seed = Number(process.env.COFRE_FUZZ_SEED ?? randomBytes(4).readUInt32LE(0));
const restic = resticBinary('0.18');
const repoPassword = 'Fuzz-Repo-Pw-8Kd2';
const technicianPassword = 'Fuzz-Tecnico-Pw-3Lq9';
const casesPerFace = 6_000;
/** A call that takes longer hangs the face for its user: counted as a crash, the run goes on. */
const callTimeoutMs = 45_000;
/** Valid inputs that start restic or a job are capped per method and face: the rest is mutated. */
const validSlowCap = 6;
const slowMethods = new Set<ApiMethod>(['runBackup', 'testConnection', 'initRepo', 'unlockRepo', 'checkRepo', 'pruneRepo', 'restore', 'browse', 'missingFiles', 'listSnapshots', 'enroll']);
/** Calls that change the configuration run alone and are undone at once (see restoreBaseline). */
const configChanging = new Set<ApiMethod>(['setConfig', 'importBackrest', 'undoImport', 'setRepoSecrets']);

interface Tally {
  tried: number;
  crashes: number;
  fiveXX: number;
  badErrors: number;
  accepted: number;
  byMethod: Record<string, number>;
  problems: string[];
}

const newTally = (): Tally => ({ tried: 0, crashes: 0, fiveXX: 0, badErrors: 0, accepted: 0, byMethod: {}, problems: [] });

function note(tally: Tally, problem: string): void {
  if (tally.problems.length < 25) tally.problems.push(problem.slice(0, 600));
}

/** Checks one contract answer; returns false when it is not a proper answer. */
function judge(tally: Tally, label: string, result: unknown): void {
  const r = result as ApiResult<unknown> | undefined;
  if (!r || typeof r !== 'object' || typeof r.ok !== 'boolean') {
    tally.badErrors += 1;
    note(tally, `${label}: not an envelope: ${JSON.stringify(result)?.slice(0, 200)}`);
    return;
  }
  if (r.ok) {
    tally.accepted += 1;
    return;
  }
  const { error } = r;
  const texts = [error?.message, error?.action, error?.detail].filter((t): t is string => typeof t === 'string');
  if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message.length === 0) {
    tally.badErrors += 1;
    note(tally, `${label}: unstructured error ${JSON.stringify(error)?.slice(0, 300)}`);
  } else if (error.message === error.code || /^[a-z]+(\.[A-Za-z-]+)+$/.test(error.message)) {
    tally.badErrors += 1;
    note(tally, `${label}: untranslated message ${error.message}`);
  } else if (texts.some(leaksInternals)) {
    tally.badErrors += 1;
    note(tally, `${label}: internals in error ${JSON.stringify(error).slice(0, 400)}`);
  }
  if (error?.code === 'error.internal') {
    tally.fiveXX += 1;
    note(tally, `${label}: internal error ${JSON.stringify(error).slice(0, 300)}`);
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`gave up waiting after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A case's input for a failure message: short, and safe for values that cannot become strings. */
function show(input: unknown): string {
  return inspect(input, { depth: 4, breakLength: Infinity, maxStringLength: 80, maxArrayLength: 5 }).slice(0, 400);
}

/** Ends the restic processes this test started for `uri` (by pid, children of this process only). */
function killRestic(uri: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (ppid === process.pid && environ.includes(uri)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

async function treeDigest(root: string): Promise<string> {
  return createHash('sha256').update(JSON.stringify([...(await hashTree(root))].sort())).digest('hex');
}

describe('contract fuzzer: every method, every face', () => {
  let dir: string;
  let canary: string;
  let canaryBefore: string;
  let cwdBefore: string[];
  let home: string;
  let agent: Agent;
  let server: RunningServer;
  let userSession: SessionRef;
  let techSession: SessionRef;
  let world: FuzzWorld;
  let baseline: Record<string, unknown>;
  let currentConfig: { config: Record<string, unknown>; modno: number };
  let policyPath: string;
  const events: ApiEvent[] = [];
  const httpPool = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  const techHeader = `fuzz-tech-${randomBytes(6).toString('hex')}`;

  const techCall = async (method: ApiMethod, input: unknown) => {
    const result = await agent.call(method, input, techSession);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as Record<string, unknown>;
  };

  async function refreshConfig(): Promise<void> {
    const value = await techCall('getConfig', {});
    const config = value.config as Record<string, unknown>;
    currentConfig = { config, modno: config.modno as number };
  }

  /** Undoes whatever an accepted config-changing case did, before the next case runs. */
  async function restoreBaseline(): Promise<void> {
    await refreshConfig();
    await techCall('setConfig', { config: { ...baseline, modno: currentConfig.modno }, modno: currentConfig.modno });
    await techCall('setRepoSecrets', { repoId: 'local', password: repoPassword });
    await refreshConfig();
  }

  beforeAll(async () => {
    console.log(`contract fuzzer seed: ${seed} (replay with COFRE_FUZZ_SEED=${seed})`);
    dir = await makeTempDir('fuzz');
    canary = await makeTempDir('fuzz-canary');
    await writeFile(join(canary, 'intocado.txt'), 'nada aqui pode mudar');
    await mkdir(join(canary, 'pasta'));
    await writeFile(join(canary, 'pasta', 'CON'), 'dispositivo?');
    canaryBefore = await treeDigest(canary);
    cwdBefore = (await readdir(process.cwd())).sort();
    home = join(dir, 'home', 'ana');
    const docs = join(home, 'Documentos');
    await mkdir(docs, { recursive: true });
    await generateTree(docs, { files: 30, dirs: 3, depth: 2, seed: 11, maxSize: 2048, hostileNames: false });
    await writeFile(join(docs, 'relatório.txt'), 'versão do backup');

    const repoPath = join(dir, 'repo');
    await rawRestic(restic.bin, ['init'], { RESTIC_REPOSITORY: repoPath, RESTIC_PASSWORD: repoPassword });
    policyPath = join(dir, 'policy.json');
    await writeFile(policyPath, JSON.stringify({
      technicianPasswordHash: await hashTechnicianPassword(technicianPassword, { N: 2 ** 10, r: 8, p: 1 }),
      capabilities: { restoreOutsideHome: false, overwriteOnRestore: false },
    }));
    baseline = {
      modno: 1,
      version: 6,
      instance: 'fuzz-pc',
      repos: [{ id: 'local', uri: repoPath, env: [], flags: [], autoInitialize: false, autoUnlock: true }],
      plans: [{ id: 'docs', repo: 'local', paths: [docs], schedule: { disabled: true }, retention: { policyKeepAll: true } }],
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...baseline, repos: [{ ...(baseline.repos as object[])[0], password: repoPassword }] }));

    agent = await Agent.create({
      configPath: join(dir, 'config.json'), policyPath, dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'),
      secrets: new MemorySecretStore(), resticBinary: restic.bin, locale: 'en', homeDir: home, username: 'ana', hostname: 'fuzz-pc',
    });
    agent.subscribe((event) => {
      if (event.type === 'jobFinished') events.push(event);
    });
    userSession = agent.createSession();
    techSession = agent.createSession();
    await techCall('technicianLogin', { password: technicianPassword });
    await refreshConfig();

    const { jobId } = (await agent.call('runBackup', { planId: 'docs' }, userSession).then((r) => (r.ok ? r.value : Promise.reject(new Error(JSON.stringify(r)))))) as { jobId: string };
    await waitFor(() => events.some((e) => e.type === 'jobFinished' && e.data.jobId === jobId), 60_000);
    const finished = events.find((e) => e.type === 'jobFinished' && e.data.jobId === jobId)!;
    if (finished.type !== 'jobFinished' || finished.data.status !== 'success' || !finished.data.snapshotId) throw new Error(`setup backup failed: ${JSON.stringify(finished.data)}`);

    world = {
      home, canary, planId: 'docs', repoId: 'local', snapshotId: finished.data.snapshotId,
      file: join(docs, 'relatório.txt'), folder: docs, technicianPassword,
      config: () => currentConfig,
    };
    server = await startServer({ host: agent, session: agent.createSession(), createSession: () => agent.createSession() });
    // Before the fuzz: its wrong passwords lock the technician login out for a while (by design).
    const login = await httpCall('technicianLogin', JSON.stringify({ password: technicianPassword }), techHeader);
    if (login.status !== 200) throw new Error(`technician login over HTTP: ${login.body}`);
  }, 120_000);

  afterAll(async () => {
    httpPool.destroy();
    await server?.close();
    await agent?.shutdown(20_000);
    if (dir) await removeDir(dir);
    if (canary) await removeDir(canary);
  });

  function httpCall(method: string, body: string, sessionId: string | undefined): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${server.token}`,
        host: `127.0.0.1:${server.port}`,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      };
      if (sessionId) headers['x-cofre-session'] = sessionId;
      const req = request({ host: '127.0.0.1', port: server.port, path: `/api/${method}`, method: 'POST', headers, agent: httpPool }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(callTimeoutMs, () => req.destroy(new Error(`no answer within ${callTimeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  interface Case {
    method: ApiMethod;
    input: unknown;
    technician: boolean;
    valid: boolean;
  }

  function makeCase(rng: Rng, validCount: Map<string, number>, face: string): Case {
    const method = rng.pick(apiMethods);
    const technician = api[method].access === 'technician' ? rng.chance(0.75) : rng.chance(0.15);
    let valid = rng.chance(0.3);
    const key = `${face}:${method}`;
    if (valid && slowMethods.has(method)) {
      const used = validCount.get(key) ?? 0;
      if (used >= validSlowCap) valid = false;
      else validCount.set(key, used + 1);
    }
    const base = validInput(method, rng, world);
    let input = valid ? base : mutate(base, rng);
    // A mutation can leave a slow method's input valid: past the cap, keep it invalid for sure.
    if (!valid && slowMethods.has(method) && (validCount.get(key) ?? 0) >= validSlowCap && api[method].input.safeParse(input).success) input = { ...(base as object), ['zz-unknown']: 1 };
    return { method, input, technician, valid };
  }

  function bodyOf(input: unknown, rng: Rng): string {
    try {
      const text = JSON.stringify(input) ?? 'null';
      // Now and then the same value with duplicate keys or trailing garbage, as a hand-made client would send.
      if (rng.chance(0.02)) return `${text.slice(0, -1)}${text.endsWith('}') && text.length > 2 ? ',' : ''}"__proto__":{"x":1}}`;
      if (rng.chance(0.01)) return `${text} trailing`;
      return text;
    } catch {
      return '['.repeat(50_000);
    }
  }

  async function waitForIdle(): Promise<void> {
    await expect.poll(async () => {
      const r = await agent.call('listJobs', {}, userSession);
      return r.ok ? (r.value as unknown[]).length : -1;
    }, { timeout: 120_000, interval: 250 }).toBe(0);
  }

  it(`sends ${casesPerFace} cases in process and ${casesPerFace} over HTTP: no crash, no 5xx, structured errors only`, async () => {
    const rng = new Rng(seed);
    const validCount = new Map<string, number>();
    const inProcess = newTally();
    const overHttp = newTally();

    for (let i = 0; i < casesPerFace; i += 1) {
      const c = makeCase(rng, validCount, 'agent');
      const session = c.method === 'technicianLogout' || c.method === 'technicianLogin' ? agent.createSession() : c.technician ? techSession : userSession;
      inProcess.tried += 1;
      inProcess.byMethod[c.method] = (inProcess.byMethod[c.method] ?? 0) + 1;
      try {
        const result = await withTimeout(agent.call(c.method, c.input, session), callTimeoutMs);
        if (result === 'timeout') {
          inProcess.crashes += 1;
          note(inProcess, `agent ${c.method} #${i}: no answer within ${callTimeoutMs} ms\n  input: ${show(c.input)}`);
          continue;
        }
        judge(inProcess, `agent ${c.method} #${i} ${show(c.input)}`, result);
        if (result.ok && configChanging.has(c.method)) await restoreBaseline();
      } catch (error) {
        inProcess.crashes += 1;
        note(inProcess, `agent ${c.method} #${i} threw ${error instanceof Error ? error.stack : String(error)}\n  input: ${show(c.input)}`);
      }
    }

    const userHeader = `fuzz-user-${randomBytes(6).toString('hex')}`;
    const runHttp = async (c: Case, n: number) => {
      const sessionId = c.method === 'technicianLogout' || c.method === 'technicianLogin' ? `fuzz-once-${randomBytes(6).toString('hex')}` : c.technician ? techHeader : userHeader;
      overHttp.tried += 1;
      overHttp.byMethod[c.method] = (overHttp.byMethod[c.method] ?? 0) + 1;
      try {
        const reply = await httpCall(c.method, bodyOf(c.input, rng), sessionId);
        if (reply.status >= 500) {
          overHttp.fiveXX += 1;
          note(overHttp, `http ${c.method} #${n}: ${reply.status} ${reply.body.slice(0, 300)}\n  input: ${show(c.input)}`);
          return;
        }
        let parsed: ApiResult<unknown>;
        try {
          parsed = JSON.parse(reply.body) as ApiResult<unknown>;
        } catch {
          overHttp.badErrors += 1;
          note(overHttp, `http ${c.method} #${n}: body is not JSON: ${reply.body.slice(0, 200)}`);
          return;
        }
        judge(overHttp, `http ${c.method} #${n} ${show(c.input)}`, parsed);
        if ((reply.status === 200) !== (parsed.ok === true) || (reply.status !== 200 && (reply.status < 400 || reply.status > 499))) {
          overHttp.badErrors += 1;
          note(overHttp, `http ${c.method} #${n}: status ${reply.status} with ok=${String(parsed.ok)}`);
        }
        if (parsed.ok && configChanging.has(c.method)) await restoreBaseline();
      } catch (error) {
        overHttp.crashes += 1;
        note(overHttp, `http ${c.method} #${n}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    let batch: Array<{ c: Case; n: number }> = [];
    const flush = async () => {
      await Promise.all(batch.map(({ c, n }) => runHttp(c, n)));
      batch = [];
    };
    for (let i = 0; i < casesPerFace; i += 1) {
      const c = makeCase(rng, validCount, 'http');
      if (configChanging.has(c.method)) {
        await flush();
        await runHttp(c, i);
        continue;
      }
      batch.push({ c, n: i });
      if (batch.length >= 16) await flush();
    }
    await flush();

    for (const uri of unreachableUris) killRestic(uri);
    await waitForIdle();
    // Still answering on both faces after everything.
    const status = await agent.call('getStatus', {}, userSession);
    const logTail = status.ok ? '' : ((await techCall('readLog', { limit: 30 })).lines as string[]).join('\n');
    expect(status.ok, `${JSON.stringify(status)}\n${logTail}\n${[...inProcess.problems, ...overHttp.problems].join('\n')}`).toBe(true);
    expect((await httpCall('getAppInfo', '{}', userHeader)).status).toBe(200);

    const figures = {
      seed,
      tried: inProcess.tried + overHttp.tried,
      crashes: inProcess.crashes + overHttp.crashes,
      fiveXX: inProcess.fiveXX + overHttp.fiveXX,
      badErrors: inProcess.badErrors + overHttp.badErrors,
      accepted: inProcess.accepted + overHttp.accepted,
    };
    recordFigure('bad-input', { name: 'contract fuzz: in-process + HTTP', ...figures });
    console.log(`contract fuzz (seed ${seed}): ${JSON.stringify(figures)}`);
    const problems = [...inProcess.problems, ...overHttp.problems];
    expect(problems, problems.join('\n')).toEqual([]);
    expect(figures.tried).toBeGreaterThanOrEqual(10_000);
    for (const method of apiMethods) {
      expect(inProcess.byMethod[method] ?? 0, method).toBeGreaterThan(0);
      expect(overHttp.byMethod[method] ?? 0, method).toBeGreaterThan(0);
    }
  }, 420_000);

  it('refuses, for an end user, every restore outside the home folder and writes nothing there', async () => {
    const rng = new Rng(seed ^ 0x5eed);
    const targets = [canary, join(canary, 'pasta'), join(canary, 'novo'), '/', '/etc', '/dev/null', '/tmp', `${home}/../..`, 'C:\\Windows', '\\\\?\\C:\\x', 'NUL', 'CON', 'C:relative'];
    for (let i = 0; i < 12; i += 1) targets.push(hostilePath(rng, world));
    const jobIds: string[] = [];
    for (const target of targets) {
      const result = await agent.call('restore', { snapshotId: world.snapshotId, paths: [world.file], destination: { kind: 'folder', path: target }, conflict: 'keep-both' }, userSession);
      if (result.ok) jobIds.push((result.value as { jobId: string }).jobId);
      else expect(result.error.message.length).toBeGreaterThan(0);
    }
    await waitForIdle();
    // An accepted call may only have written inside the home folder.
    for (const jobId of jobIds) {
      const finished = events.find((e) => e.type === 'jobFinished' && e.data.jobId === jobId);
      expect(finished, jobId).toBeTruthy();
      if (finished?.type === 'jobFinished' && finished.data.status === 'success') {
        expect(finished.data.restoreReport?.destination.startsWith(home), JSON.stringify(finished.data)).toBe(true);
      }
    }
    expect(await treeDigest(canary)).toBe(canaryBefore);
  }, 180_000);

  it('the CLI survives 300 random command lines with structured output and meaningful exit codes', async () => {
    const rng = new Rng(seed ^ 0xc11);
    const cliData = join(dir, 'cli-data');
    const env = {
      ...process.env, LANG: 'pt_BR.UTF-8', COFRE_DATA_DIR: cliData, COFRE_POLICY: policyPath,
      COFRE_RESTIC: restic.bin, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_DATA_HOME: join(dir, 'xdg'), XDG_CACHE_HOME: join(dir, 'xdg'),
      COFRE_TECHNICIAN_PASSWORD: '',
    };
    const backrestFile = join(dir, 'cli-backrest.json');
    await writeFile(backrestFile, JSON.stringify({ ...baseline, repos: [{ ...(baseline.repos as object[])[0], password: repoPassword }] }));
    const quiet = { out: () => undefined, err: () => undefined };
    expect(await main(['config', 'import-backrest', backrestFile], quiet, { ...env, COFRE_TECHNICIAN_PASSWORD: technicianPassword })).toBe(0);

    const commands = ['status', 'backup', 'snapshots', 'history', 'browse', 'find', 'versions', 'restore', 'config', 'policy', 'help', 'nada', '--', '-x'];
    const tokens = () => rng.pick([
      () => '--json', () => '--plan', () => rng.pick(['docs', '../docs', '-docs', 'x'.repeat(300)]), () => '--snapshot', () => world.snapshotId,
      () => rng.pick(['zz', 'deadbeef', world.snapshotId.toUpperCase(), '-r']), () => '--limit', () => rng.pick(['-1', '1e999', 'NaN', '0x10', '99999999999999999999', '5']),
      () => '--to', () => hostilePath(rng, world), () => '--original', () => '--conflict', () => rng.pick(['replace', 'skip', 'keep-both', 'tudo']),
      () => '--include-secrets', () => '--lang', () => rng.pick(['en', 'pt-BR', 'xx', '']), () => '--', () => '-h', () => '--nao-existe', () => '--password-file=x',
      () => '--limit=-5', () => '--json=false', () => rng.pick(['validate', 'import-backrest', 'export-backrest', 'show']), () => rng.pick(['\u0000', 'ação'.normalize('NFD'), '\n', '']),
    ])();
    let tried = 0;
    let crashes = 0;
    let backups = 0;
    const problems: string[] = [];
    for (let i = 0; i < 300; i += 1) {
      let command = rng.pick(commands);
      const argv = [command, ...Array.from({ length: rng.int(5) }, tokens)];
      // A valid backup of the plan is slow and says nothing new after the first few.
      if (command === 'backup' && argv[1] === 'docs' && ++backups > 3) argv[1] = 'nao-existe';
      if (command === 'backup' && argv.length === 1) command = 'status';
      const out: string[] = [];
      const err: string[] = [];
      tried += 1;
      try {
        const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, env);
        const text = [...out, ...err].join('\n');
        if (![0, 1, 2, 3].includes(code)) problems.push(`${JSON.stringify(argv)} -> exit ${code}`);
        if (leaksInternals(text)) problems.push(`${JSON.stringify(argv)} -> internals: ${text.slice(0, 400)}`);
        if (code !== 0 && text.trim() === '') problems.push(`${JSON.stringify(argv)} -> exit ${code} with no message`);
        if (argv.includes('--json') && code === 1 && !argv.includes('--') && out.length > 0) {
          let last: { ok?: boolean; error?: { code?: string; message?: string } } | undefined;
          try {
            last = JSON.parse(out.at(-1)!) as typeof last;
          } catch {
            problems.push(`${JSON.stringify(argv)} -> --json failure that is not JSON: ${out.at(-1)?.slice(0, 200)}`);
          }
          if (last?.ok === false && (typeof last.error?.code !== 'string' || !last.error.message)) problems.push(`${JSON.stringify(argv)} -> unstructured ${out.at(-1)}`);
        }
      } catch (error) {
        crashes += 1;
        problems.push(`${JSON.stringify(argv)} threw ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
    expect(await treeDigest(canary)).toBe(canaryBefore);
    recordFigure('bad-input', { name: 'CLI argv fuzz', seed, tried, crashes, fiveXX: 0, badErrors: problems.length });
    expect(problems.slice(0, 20), problems.slice(0, 20).join('\n')).toEqual([]);
    expect(crashes).toBe(0);
  }, 300_000);

  it('wrote nothing outside its folders: the canary and the working directory are untouched', async () => {
    expect(await treeDigest(canary)).toBe(canaryBefore);
    // Other test files may add their own files here; only names this fuzzer sends as relative paths count.
    const added = (await readdir(process.cwd())).filter((name) => !cwdBefore.includes(name));
    expect(added.filter((name) => /^(C:|relativo|NUL|CON|AUX|PRN|COM1|LPT1|~|\$HOME|-rf|--password-file|\.\.|nada|repo)/i.test(name))).toEqual([]);
  });
});

// Bugs the fuzzer found, fixed in the product; these keep them fixed.
describe('contract fuzzer: regressions found by fuzzing', () => {
  let dir: string;
  let agent: Agent;
  let session: SessionRef;

  beforeAll(async () => {
    dir = await makeTempDir('fuzz-bugs');
    agent = await Agent.create({
      configPath: join(dir, 'config.json'), policyPath: null, dataDir: dir, cacheDir: join(dir, 'cache'),
      secrets: new MemorySecretStore(), resticBinary: restic.bin, locale: 'en',
    });
    session = agent.createSession({ technician: true });
  });

  afterAll(async () => {
    await agent?.shutdown(5_000);
    if (dir) await removeDir(dir);
  });

  // electron/core/agent/contract-call.ts callContract: `def.input.safeParse(input)` is not guarded, and zod's
  // min/max length checks run on any value that has a `length` (also after the type check failed),
  // comparing it with a number. A `length` that cannot become a primitive throws TypeError ("Cannot
  // convert object to primitive value") out of safeParse: agent.call rejects instead of returning
  // { ok:false }, and over HTTP the request gets a 500. Found by the fuzzer (seed 777, cancelJob).
  const unconvertible = '{"jobId": {"length": {"toString": 1, "valueOf": 2}}}';
  it('an input whose "length" cannot become a number is refused as invalid input (in process)', async () => {
    const result = await agent.call('cancelJob', JSON.parse(unconvertible), session).catch((error: unknown) => ({ threw: String(error) }));
    expect(result).toMatchObject({ ok: false, error: { code: 'error.invalidInput' } });
  });

  it('an input whose "length" cannot become a number is refused with a 4xx over HTTP', async () => {
    const server = await startServer({ host: agent, session });
    try {
      const reply = await new Promise<number>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1', port: server.port, path: '/api/cancelJob', method: 'POST', agent: false,
          headers: { authorization: `Bearer ${server.token}`, host: `127.0.0.1:${server.port}`, 'content-type': 'application/json' },
        }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(unconvertible);
      });
      expect(reply).toBe(400);
    } finally {
      await server.close();
    }
  });

  // electron/core/agent/connection.ts testConnection runs `restic cat config` with no time limit, and
  // restic 0.18 retries an unreachable REST server for many minutes (still retrying after 300 s here):
  // the settings' "Test connection" button spins for minutes instead of saying "server unreachable".
  it('testConnection to a server that refuses connections answers within 20 s as server-unreachable', async () => {
    const uri = 'rest:http://127.0.0.1:1/cofre-fuzz-unreachable';
    try {
      const result = await Promise.race([
        agent.call('testConnection', { repo: { id: 'rascunho', uri }, secrets: { password: 'x' } }, session),
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000)),
      ]);
      expect(result).not.toBe('timeout');
      expect(result !== 'timeout' && result.ok && (result.value as { cause: string }).cause).toBe('server-unreachable');
    } finally {
      killRestic(uri);
    }
  }, 30_000);

  // electron/core/agent/settings-handlers.ts previewSchedule -> schedule/next-run.ts: an interval beyond what a
  // Date holds gives an Invalid Date and `toISOString()` throws RangeError -> error.internal / HTTP 500.
  it('previewSchedule with an interval of 2^31 days or 1e15 hours is refused as invalid input, not an internal error', async () => {
    for (const schedule of [{ maxFrequencyDays: 2 ** 31, clock: 'CLOCK_LOCAL' }, { maxFrequencyHours: 1e15, clock: 'CLOCK_UTC' }, { maxFrequencyHours: 2 ** 31 }]) {
      const result = await agent.call('previewSchedule', { schedule }, session);
      expect(result.ok ? 'ok' : result.error.code, JSON.stringify(schedule)).not.toBe('error.internal');
    }
  });

  // electron/core/config (configSchema is z.looseObject, so unknown fields pass at any depth) +
  // settings-handlers.ts setConfig: a config with an unknown field nested ~3,000 levels deep is written to disk
  // (18 MB of indentation), then every later call that reads the config overflows the stack:
  // setConfig answers error.internal, and getStatus/pause/resume/getConfig/exportBackrest keep
  // answering error.internal, also after a restart. Should be refused as invalid input (bounded depth
  // and size of unknown fields), leaving the agent working.
  it('a config with a 3,000-level deep unknown field is refused and the agent keeps working', async () => {
    const current = await agent.call('getConfig', {}, session);
    if (!current.ok) throw new Error(current.error.message);
    const config = (current.value as { config: Record<string, unknown> }).config;
    const result = await agent.call('setConfig', { config: { ...config, extra: deepNest(3000) }, modno: config.modno }, session);
    expect(result.ok ? 'ok' : result.error.code).not.toBe('error.internal');
    const status = await agent.call('getStatus', {}, session);
    expect(status.ok, JSON.stringify(status)).toBe(true);
  });
});
