// What IT reads from `cofre fleet` on a Monday morning, against the production topology: the real
// rest-server behind nginx (TLS + Basic Auth), several department repositories, machines made
// with `restic backup --host`, Backrest's `plan:` / `created-by:` tags, an old machine (`--time`),
// a folder that lost most of its files, a snapshot as Backrest 1.10 (restic 0.14) writes it, a
// hostile hostname, a wrong repository password, a refused server login and a server that is down.
import { createServer, type IncomingMessage } from 'node:http';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { buildFleetReport, parseFleetFile, type FleetReport } from '../../electron/core/fleet/index.js';
import { hashTechnicianPassword } from '../../electron/core/policy/technician.js';
import { MemorySecretStore } from '../../electron/core/secrets/secret-store.js';
import {
  freePort, generateTree, makeTempDir, rawRestic, removeDir, resticBinaries, resticBinary, restRepoEnv, startRestServer, startTlsProxy,
  type RestServer, type TlsProxy,
} from '../fixtures/index.js';
import { runCli } from './run-cli.js';

const restic18 = resticBinary('0.18');
const restic14 = resticBinary('0.14');
const restUser = 'batatais';
const restPassword = 'Nginx-Basic-7731';
const repoPassword = 'Fleet-Repo-Pw-5520';
const otherPassword = 'Obras-Real-Pw-9034';
const secrets = [restPassword, repoPassword, otherPassword];
const hostileHost = '<script>alert("pc")</script>&x';
const HOUR = 3_600_000;

/** `restic backup --time` wants local wall-clock time; the restic processes here run with TZ=UTC. */
function resticTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** RFC 4180 reader for the assertions (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && body[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 1; } else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

describe('fleet audit against the real rest-server behind nginx', () => {
  let dir: string;
  let upstream: RestServer;
  let proxy: TlsProxy;
  let fleetFile: string;
  let cliArgs: string[];
  let fleet: Record<string, unknown>;
  const now = Date.now();

  const repoEnv = (bin: typeof restic18, name: string, password = repoPassword) => ({
    ...restRepoEnv(bin, proxy.repoUri(name), { user: restUser, password: restPassword }),
    RESTIC_PASSWORD: password,
    TZ: 'UTC',
    RESTIC_CACHE_DIR: join(dir, 'restic-cache'),
  });
  const backup = async (bin: typeof restic18, repo: string, source: string, opts: { host: string; tags?: string[]; at: Date; extra?: string[] }) => {
    const args = ['--cacert', proxy.ca.caCert, 'backup', '--json', source, '--host', opts.host, '--time', resticTime(opts.at), ...(opts.extra ?? [])];
    for (const tag of opts.tags ?? []) args.push('--tag', tag);
    await rawRestic(bin.bin, args, repoEnv(bin, repo));
  };

  beforeAll(async () => {
    dir = await makeTempDir('fleet');
    // Production: rest-server --no-auth behind nginx with TLS and Basic Auth.
    upstream = await startRestServer();
    proxy = await startTlsProxy({ upstream, users: { [restUser]: restPassword } });
    for (const name of ['financeiro', 'saude', 'obras']) {
      await rawRestic(restic18.bin, ['--cacert', proxy.ca.caCert, 'init'], repoEnv(restic18, name, name === 'obras' ? otherPassword : repoPassword));
    }
    const docs = join(dir, 'src', 'docs');
    await generateTree(docs, { files: 20, seed: 7 });
    // Financeiro: pc-fin-01 backs up daily and just lost 15 of its 20 files; pc-fin-02 stopped a week ago.
    const fin = (host: string) => ['plan:documentos', `created-by:${host}`];
    await backup(restic18, 'financeiro', docs, { host: 'pc-fin-01', tags: fin('pc-fin-01'), at: new Date(now - 50 * HOUR) });
    await backup(restic18, 'financeiro', docs, { host: 'pc-fin-01', tags: fin('pc-fin-01'), at: new Date(now - 26 * HOUR) });
    await backup(restic18, 'financeiro', docs, { host: 'pc-fin-02', tags: fin('pc-fin-02'), at: new Date(now - 7 * 24 * HOUR) });
    await backup(restic18, 'financeiro', docs, { host: hostileHost, at: new Date(now - 2 * HOUR) });
    const files = (await readdir(docs, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    for (const file of files.slice(5)) await rm(join(file.parentPath, file.name));
    await backup(restic18, 'financeiro', docs, { host: 'pc-fin-01', tags: fin('pc-fin-01'), at: new Date(now - 1 * HOUR) });
    // Saúde: a snapshot as Backrest 1.10 makes it (restic 0.14: no summary in the snapshot).
    await backup(restic14, 'saude', docs, { host: 'pc-saude-01', tags: ['plan:saude-docs', 'created-by:backrest-saude'], at: new Date(now - 3 * HOUR), extra: ['--exclude-caches'] });

    await writeFile(join(dir, 'repo-password'), `${repoPassword}\n`, { mode: 0o600 });
    const closedPort = await freePort();
    fleet = {
      version: 1,
      defaults: { frequency: 'daily', graceHours: 12, trendLength: 5, unreachableAfterSeconds: 3 },
      repositories: [
        {
          id: 'financeiro', department: 'Financeiro', uri: proxy.repoUri('financeiro').replace('https://', `https://${restUser}@`),
          password: { file: join(dir, 'repo-password') }, restPassword: { env: 'FLEET_REST_PASSWORD' }, cacert: proxy.ca.caCert,
          expectedHosts: ['pc-fin-01', 'pc-fin-02', 'pc-fin-03'],
        },
        {
          id: 'saude', department: 'Saúde', uri: proxy.repoUri('saude'), password: { env: 'FLEET_REPO_PASSWORD' },
          restUsername: { env: 'FLEET_REST_USER' }, restPassword: { env: 'FLEET_REST_PASSWORD' }, cacert: proxy.ca.caCert,
        },
        {
          id: 'obras', department: 'Obras', uri: proxy.repoUri('obras'), password: { env: 'FLEET_REPO_PASSWORD' },
          restUsername: { env: 'FLEET_REST_USER' }, restPassword: { env: 'FLEET_REST_PASSWORD' }, cacert: proxy.ca.caCert,
        },
        {
          id: 'cultura', department: 'Cultura', uri: proxy.repoUri('cultura'), password: { env: 'FLEET_REPO_PASSWORD' },
          restUsername: { env: 'FLEET_REST_USER' }, restPassword: { env: 'FLEET_WRONG_REST_PASSWORD' }, cacert: proxy.ca.caCert,
        },
        { id: 'educacao', department: 'Educação', uri: `rest:http://127.0.0.1:${closedPort}/educacao/`, password: { env: 'FLEET_REPO_PASSWORD' } },
      ],
    };
    fleetFile = join(dir, 'fleet.json');
    await writeFile(fleetFile, JSON.stringify(fleet, null, 2));
    cliArgs = ['--data-dir', join(dir, 'cofre'), '--restic', restic18.bin, '--policy', join(dir, 'no-policy.json'), 'fleet', '--file', fleetFile];
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
    if (dir) await removeDir(dir);
  });

  const env = () => ({ FLEET_REPO_PASSWORD: repoPassword, FLEET_REST_USER: restUser, FLEET_REST_PASSWORD: restPassword, FLEET_WRONG_REST_PASSWORD: 'not-it' });
  const noSecretIn = (text: string) => {
    for (const secret of secrets) expect(text).not.toContain(secret);
  };
  let cold: FleetReport;

  it('cold run (--json): the stopped machine is red with its age, the drop in files alerts, unreadable repositories name their cause', async () => {
    const run = await runCli([...cliArgs, '--json'], env());
    expect(run.code, run.err).toBe(0);
    noSecretIn(run.out + run.err);
    cold = JSON.parse(run.out) as FleetReport;
    const machine = (host: string) => cold.machines.find((m) => m.host === host)!;

    expect(machine('pc-fin-02')).toMatchObject({ state: 'overdue', color: 'red', department: 'Financeiro', plan: 'documentos', createdBy: 'pc-fin-02' });
    expect(machine('pc-fin-02').ageHours).toBeGreaterThan(7 * 24 - 1);
    expect(machine('pc-fin-02').ageHours).toBeLessThan(7 * 24 + 1);
    expect(machine('pc-fin-03')).toMatchObject({ state: 'never', color: 'red', lastSnapshotAt: null });

    const fin01 = machine('pc-fin-01');
    expect(fin01).toMatchObject({ state: 'ok', color: 'green', snapshotCount: 3, lastFiles: 5 });
    expect(fin01.trend.map((p) => p.files)).toEqual([20, 20, 5]);
    const drop = fin01.alerts.find((a) => a.code === 'files-drop');
    expect(drop).toMatchObject({ percent: 75 });
    expect(drop!.message).toContain('20 → 5');
    expect(machine('pc-fin-02').alerts).toEqual([]);

    // Without a plan tag: its own group, "(sem plano)" for people.
    expect(machine(hostileHost)).toMatchObject({ plan: null, state: 'ok' });
    // Backrest 1.10 / restic 0.14 snapshot: plan and instance from its tags, no summary -> unknown counts.
    expect(machine('pc-saude-01')).toMatchObject({ department: 'Saúde', plan: 'saude-docs', createdBy: 'backrest-saude', state: 'ok', lastFiles: null, lastBytes: null });

    const repo = (id: string) => cold.repositories.find((r) => r.id === id)!;
    expect(repo('financeiro')).toMatchObject({ readable: true, source: 'listed', uri: proxy.repoUri('financeiro') });
    expect(repo('obras')).toMatchObject({ readable: false, cause: 'wrong-password' });
    expect(repo('cultura')).toMatchObject({ readable: false, cause: 'auth-refused' });
    expect(repo('educacao')).toMatchObject({ readable: false, cause: 'server-unreachable' });
    expect(repo('obras').message).toMatch(/senha do repositório está errada/);

    expect(cold.totals).toMatchObject({ repositories: 5, unreadable: 3, overdue: 1, never: 1 });
    expect(cold.departments.find((d) => d.name === 'Saúde')).toMatchObject({ color: 'green', machines: 1 });
    expect(cold.departments.find((d) => d.name === 'Obras')).toMatchObject({ color: 'red', unreadable: 1 });
  }, 120_000);

  it('the terminal table is in Portuguese with the states, the machine without a plan and the causes', async () => {
    const run = await runCli(cliArgs, env());
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('vencido');
    expect(run.out).toContain('nunca enviou');
    expect(run.out).toContain('(sem plano)');
    expect(run.out).toMatch(/Obras \/ obras: A senha do repositório está errada/);
    expect(run.out).toMatch(/Os arquivos caíram 75%/);
    const english = await runCli([...cliArgs, '--lang', 'en'], env());
    expect(english.out).toContain('never reported');
    noSecretIn(run.out + run.err + english.out);
  }, 120_000);

  it('--check exits 2 with one summary line; a department that is all green exits 0; --ping tells the monitor, a dead monitor changes nothing', async () => {
    const received: Array<{ url: string; body: string }> = [];
    const monitor = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body });
        res.end('OK');
      });
    });
    await new Promise<void>((resolve) => monitor.listen(0, '127.0.0.1', resolve));
    const port = (monitor.address() as { port: number }).port;
    try {
      const bad = await runCli([...cliArgs, '--check', '--ping', `http://127.0.0.1:${port}/ping/abc`], env());
      expect(bad.code).toBe(2);
      expect(bad.out.split('\n')).toHaveLength(1);
      expect(bad.out).toMatch(/^ATENÇÃO: .*vencidas/);
      expect(received).toEqual([{ url: '/ping/abc/fail', body: bad.out }]);

      const good = await runCli([...cliArgs, '--check', '--department', 'saúde', '--ping', `http://127.0.0.1:${port}/ping/abc`], env());
      expect(good.code).toBe(0);
      expect(good.out).toMatch(/^OK: 1 máquina/);
      expect(received[1]).toEqual({ url: '/ping/abc', body: good.out });
    } finally {
      await new Promise((resolve) => monitor.close(resolve));
    }
    const deadMonitor = await runCli([...cliArgs, '--check', '--department', 'Saúde', '--ping', `http://127.0.0.1:${port}/ping/secret-uuid`], env());
    expect(deadMonitor.code).toBe(0);
    expect(deadMonitor.err).toMatch(/aviso ao monitoramento .* falhou/);
    expect(deadMonitor.err).not.toContain('secret-uuid');
  }, 120_000);

  it('--csv parses back into one row per machine and per unreadable repository', async () => {
    const run = await runCli([...cliArgs, '--csv'], env());
    expect(run.code, run.err).toBe(0);
    const rows = parseCsv(run.out + '\r\n');
    const [header, ...body] = rows;
    expect(header).toEqual(expect.arrayContaining(['department', 'host', 'plan', 'state', 'last_snapshot_at', 'age_hours', 'last_files', 'cause']));
    const col = (name: string) => header!.indexOf(name);
    expect(body).toHaveLength(cold.machines.length + 3);
    const hostile = body.find((r) => r[col('host')] === hostileHost)!;
    expect(hostile[col('plan')]).toBe('(sem plano)');
    const fin02 = body.find((r) => r[col('host')] === 'pc-fin-02')!;
    expect(fin02[col('state')]).toBe('overdue');
    expect(new Date(fin02[col('last_snapshot_at')]!).toISOString()).toBe(fin02[col('last_snapshot_at')]);
    expect(body.find((r) => r[col('repository')] === 'educacao')![col('cause')]).toBe('server-unreachable');
    noSecretIn(run.out);
  }, 120_000);

  it('--html writes one self-contained file: no external reference, no script, the hostile hostname escaped', async () => {
    const out = join(dir, 'relatorio.html');
    const run = await runCli([...cliArgs, '--html', out], env());
    expect(run.code, run.err).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<[a-z]+[^>]*\s(src|href)=|url\(|@import/i);
    expect(html).not.toContain(hostileHost);
    expect(html).toContain('&#60;script&#62;alert(&#34;pc&#34;)&#60;/script&#62;&#38;x');
    expect(html).toContain('<svg class="spark"');
    expect(html).toContain('Auditoria de backups');
    expect(html).toContain('Saúde');
    noSecretIn(html);
  }, 120_000);

  it('warm run: unchanged repositories are not listed again; a new snapshot is fetched alone', async () => {
    const commands: string[] = [];
    const deps = {
      resticBinary: restic18.bin,
      cacheDir: join(dir, 'cofre', 'cache', 'fleet'),
      resticCacheDir: join(dir, 'restic-cache'),
      secrets: new MemorySecretStore(),
      env: { ...process.env, ...env() },
      log: (entry: { message: string }) => {
        const match = /run: restic .*?\b(list snapshots|snapshots)\b/.exec(entry.message);
        if (match) commands.push(match[1]!);
        for (const secret of secrets) expect(entry.message).not.toContain(secret);
      },
      locale: 'pt-BR' as const,
      now: () => new Date(),
    };
    const file = parseFleetFile(JSON.stringify({ ...fleet, repositories: (fleet.repositories as unknown[]).slice(0, 2) }), fleetFile);
    const warm = await buildFleetReport(file, { file: fleetFile }, deps);
    expect(warm.repositories.map((r) => r.source)).toEqual(['cache', 'cache']);
    expect(commands).toEqual(['list snapshots', 'list snapshots']);
    expect(warm.machines.map((m) => [m.host, m.state])).toEqual(cold.machines.filter((m) => ['Financeiro', 'Saúde'].includes(m.department)).map((m) => [m.host, m.state]));

    await backup(restic18, 'financeiro', join(dir, 'src', 'docs'), { host: 'pc-fin-02', tags: ['plan:documentos', 'created-by:pc-fin-02'], at: new Date() });
    commands.length = 0;
    const after = await buildFleetReport(file, { file: fleetFile }, deps);
    expect(after.repositories.map((r) => r.source)).toEqual(['incremental', 'cache']);
    expect(commands.filter((c) => c === 'snapshots')).toHaveLength(1);
    expect(after.machines.find((m) => m.host === 'pc-fin-02')).toMatchObject({ state: 'ok', snapshotCount: 2 });

    const refreshed = await buildFleetReport(file, { file: fleetFile, refresh: true }, deps);
    expect(refreshed.repositories.map((r) => r.source)).toEqual(['listed', 'listed']);
    expect(refreshed.machines).toEqual(after.machines);
  }, 120_000);

  it.each(resticBinaries.map((b) => [b.label, b.bin] as const))('restic %s reads the fleet cold and warm with the same flags', async (_label, bin) => {
    const deps = {
      resticBinary: bin, cacheDir: join(dir, `cache-${_label}`), secrets: new MemorySecretStore(), env: { ...process.env, ...env() },
      log: () => undefined, locale: 'pt-BR' as const, now: () => new Date(),
    };
    const file = parseFleetFile(JSON.stringify({ ...fleet, repositories: (fleet.repositories as unknown[]).slice(0, 2) }), fleetFile);
    const first = await buildFleetReport(file, { file: fleetFile }, deps);
    expect(first.repositories.map((r) => [r.readable, r.source])).toEqual([[true, 'listed'], [true, 'listed']]);
    const second = await buildFleetReport(file, { file: fleetFile }, deps);
    expect(second.repositories.map((r) => r.source)).toEqual(['cache', 'cache']);
    expect(second.machines).toEqual(first.machines);
  }, 120_000);

  it('the technician screen\'s method reads <config dir>/fleet.json, with the password in Cofre\'s secret store', async () => {
    const configDir = join(dir, 'agent');
    await mkdir(configDir, { recursive: true });
    const store = new MemorySecretStore();
    await store.set('fleet/saude/password', repoPassword);
    await store.set('fleet/rest', restPassword);
    const saude = (fleet.repositories as Array<Record<string, unknown>>)[1]!;
    await writeFile(join(configDir, 'fleet.json'), JSON.stringify({
      version: 1,
      repositories: [{ ...saude, password: { secret: 'fleet/saude/password' }, restUsername: undefined, restPassword: { secret: 'fleet/rest' }, uri: proxy.repoUri('saude').replace('https://', `https://${restUser}@`) }],
    }));
    const agent = await Agent.create({
      configPath: join(configDir, 'config.json'), policyPath: null, dataDir: join(configDir, 'data'), cacheDir: join(configDir, 'cache'),
      secrets: store, resticBinary: restic18.bin, locale: 'pt-BR',
    });
    try {
      const session = agent.createSession({ technician: true });
      const result = await agent.call('fleetReport', {}, session);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      const report = (result as { value: FleetReport }).value;
      expect(report.machines).toEqual([expect.objectContaining({ host: 'pc-saude-01', state: 'ok', plan: 'saude-docs' })]);
      expect(report.file).toBe(join(configDir, 'fleet.json'));
      noSecretIn(JSON.stringify(report));
    } finally {
      await agent.shutdown(5_000);
    }
  }, 120_000);

  it('neither the log nor the fleet cache holds a secret (the cache holds no address either)', async () => {
    const log = await readFile(join(dir, 'cofre', 'logs', 'cofre.log'), 'utf8');
    expect(log).toContain('fleet[obras]');
    noSecretIn(log);
    const cacheDir = join(dir, 'cofre', 'cache', 'fleet');
    const files = await readdir(cacheDir);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const text = await readFile(join(cacheDir, file), 'utf8');
      noSecretIn(text);
      expect(text).not.toContain('localhost');
    }
  });

  it('is for technicians only, and a broken fleet file names the field', async () => {
    const policy = join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ technicianPasswordHash: await hashTechnicianPassword('Tec-Pw-1', { N: 2 ** 12, r: 8, p: 1 }) }));
    const base = ['--data-dir', join(dir, 'cofre-tech'), '--restic', restic18.bin, '--policy', policy, 'fleet', '--file', fleetFile];
    const refused = await runCli(base, env());
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('senha do técnico');
    const allowed = await runCli([...base, '--check', '--department', 'Saúde'], { ...env(), COFRE_TECHNICIAN_PASSWORD: 'Tec-Pw-1' });
    expect(allowed.code, allowed.err).toBe(0);

    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ version: 1, repositories: [{ id: 'x', department: 'X', uri: 'rest:http://h/x', password: 'plain-text-password' }] }));
    const bad = await runCli(['--data-dir', join(dir, 'cofre'), '--restic', restic18.bin, '--policy', join(dir, 'no-policy.json'), 'fleet', '--file', broken], env());
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('repositories[0].password');
    expect(bad.err).not.toMatch(/at .*\.ts:\d+/);
  }, 120_000);
});
