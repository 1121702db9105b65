// Regression tests (issue 15): a one-shot `cofre backup` stopped by SIGTERM or SIGINT (cron's
// timeout, systemd stopping a unit, Ctrl-C) used to die under restic, leaving restic's lock in the
// repository and nothing honest in the history. Now restic is asked to stop (SIGINT) and removes
// its own lock, the attempt is recorded as interrupted, a translated line says so, and the exit
// code is what shells expect (130 / 143). Real CLI process, real restic, real rest-server.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../electron/core/secrets/index.js';
import { generateTree, makeTempDir, rawRestic, removeDir, repoRoot, resticBinary, restRepoEnv, startRestServer, type RestServer } from '../fixtures/index.js';
import { Capture, configWith, descendantProcesses, faultSecrets, planConfig, readHistory, repoConfig, secretValues, startAgent, waitFor } from '../support/agent-rig.js';
import { recordFigure } from '../support/figures.js';
import { scanForSecrets } from '../support/secret-scan.js';

const rest = { user: faultSecrets.restUser, password: faultSecrets.restPassword };
// restic's own upload limit (KiB/s) keeps the backup running long enough to be stopped mid-way.
const slowUpload = { backup_flags: ['--limit-upload=4096'] };

function cofre(args: string[]): { pid: number; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'cofre.mjs'), ...args], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COFRE_FROM_SOURCE: '1' },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
  return { pid: child.pid!, exit };
}

describe('one-shot CLI commands stopped by a signal', () => {
  const restic = resticBinary('0.18');
  const capture = new Capture();
  const dataDirs: string[] = [];
  let held = 0;
  let server: RestServer;
  let dir: string;
  let big: string;

  beforeAll(async () => {
    server = await startRestServer({ users: { [rest.user]: rest.password } });
    dir = await makeTempDir('faults-cli-signals');
    big = join(dir, 'home', 'ana', 'big');
    // ~40 MB of incompressible data: at 4 MiB/s restic uploads for several seconds.
    await generateTree(big, { files: 150, dirs: 6, depth: 3, minSize: 160 * 1024, maxSize: 384 * 1024, seed: 43, unicode: false });
  });

  afterAll(async () => {
    const scan = await scanForSecrets([capture], dataDirs, secretValues);
    await server?.close();
    if (dir) await removeDir(dir);
    expect(scan.leaks).toEqual([]);
    recordFigure('hardening', { name: 'CLI stopped by SIGTERM / SIGINT: restic unlocks, attempt interrupted', kind: 'fault', tried: 2, held });
  });

  it.each([
    { signal: 'SIGTERM' as const, code: 143 },
    { signal: 'SIGINT' as const, code: 130 },
  ])('`cofre backup` stopped by $signal: no lock left, history says interrupted, exit $code', async ({ signal, code }) => {
    const name = `signal-${signal.toLowerCase()}`;
    const dataDir = join(dir, name);
    dataDirs.push(dataDir);
    // The CLI keeps secrets in <data-dir>/secrets.json; prepare config + secrets the way it would.
    const setup = await startAgent({
      dataDir, resticBin: restic.bin, capture, secrets: new FileSecretStore(join(dataDir, 'secrets.json')),
      config: configWith([repoConfig({ id: 'nas', uri: server.repoUri(name), rest })], [planConfig('docs', 'nas', [big], slowUpload)]),
    });
    await setup.close();
    const common = ['--data-dir', dataDir, '--restic', restic.bin, '--policy', join(dir, 'no-policy.json'), '--lang', 'en'];
    const env = { ...restRepoEnv(restic, server.repoUri(name), rest), RESTIC_PASSWORD: faultSecrets.repoPassword };

    const cli = cofre(['backup', 'docs', ...common]);
    try {
      const resticChild = await waitFor(async () => (await descendantProcesses(cli.pid, 'restic')).find((c) => c.cmdline.includes(' backup ')), 90_000, 'restic backup under the CLI', 200);
      // restic holds its lock while it uploads: the signal comes mid-backup.
      await waitFor(async () => (await rawRestic(restic.bin, ['list', 'locks', '--no-lock'], env)).stdout.trim().length > 0, 60_000, 'the lock of the running backup', 300);
      expect(resticChild.pid).toBeGreaterThan(0);
      process.kill(cli.pid, signal);
      const ended = await cli.exit;
      capture.add(`cli output (${signal})`, ended.out);
      expect(ended.signal, ended.out).toBeNull();
      expect(ended.code, ended.out).toBe(code);
      expect(ended.out).toContain(`Stopped (${signal}): restic was asked to stop and release the repository.`);

      // restic got SIGINT from Cofre and removed its own lock: nothing for the next job to clear.
      expect((await rawRestic(restic.bin, ['list', 'locks', '--no-lock'], env)).stdout.trim()).toBe('');
      expect(readHistory(dataDir).filter((r) => r.type === 'backup').map((r) => r.status)).toEqual(['interrupted']);

      const status = await cofre(['status', '--json', ...common]).exit;
      const parsed = JSON.parse(status.out.slice(status.out.indexOf('{'))) as { health: string; plans: Array<{ lastOutcome: string; state: string }> };
      expect(parsed.health).not.toBe('ok');
      expect(parsed.plans[0]).toMatchObject({ lastOutcome: 'interrupted' });
      expect(parsed.plans[0]!.state).not.toBe('ok');
      held += 1;
    } finally {
      try {
        process.kill(cli.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 240_000);
});
