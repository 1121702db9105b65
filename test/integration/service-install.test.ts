// `cofre service install|uninstall|status` as IT runs them: idempotent, the unit written where
// systemd reads it, systemctl asked in the right order, and a clear message (never a stack trace)
// where systemd is not running. This machine has no systemd as PID 1, so a recording stand-in for
// systemctl answers in the first part; the second part meets the real systemctl, which refuses.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, repoRoot } from '../fixtures/index.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('service-install.test.ts skipped: needs root (installing a service is refused otherwise)');

interface Run { code: number; stdout: string; stderr: string }

function cofre(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'cofre.mjs'), ...args], { cwd: repoRoot, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(!isRoot)('installing the service on Linux', () => {
  let dir: string;
  let unit: string;
  let calls: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await makeTempDir('service-install');
    const bin = join(dir, 'bin');
    await mkdir(bin);
    unit = join(dir, 'cofre.service');
    calls = join(dir, 'systemctl.calls');
    // systemctl as systemd would answer: every call recorded; `is-active` says active once enabled.
    await writeFile(join(bin, 'systemctl'), `#!/bin/sh
echo "$*" >> '${calls}'
case "$1" in
  is-active) if grep -q '^enable' '${calls}'; then echo active; else echo inactive; exit 3; fi ;;
esac
exit 0
`);
    await chmod(join(bin, 'systemctl'), 0o755);
    env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, COFRE_SYSTEMD_UNIT: unit, LANG: 'pt_BR.UTF-8' };
  }, 60_000);

  afterAll(async () => {
    if (dir) await removeDir(dir);
  });

  it('install writes the unit, reloads systemd and enables it now; a second install changes nothing', async () => {
    const first = await cofre(['service', 'install'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('O serviço do Cofre foi instalado e iniciado');
    const text = await readFile(unit, 'utf8');
    expect(text).toMatch(/^ExecStart=.* service run --socket \/run\/cofre\/agent\.sock$/m);
    expect((await stat(unit)).mode & 0o777).toBe(0o644);
    expect((await readFile(calls, 'utf8')).trim().split('\n')).toEqual(['daemon-reload', 'enable --now cofre.service']);

    const again = await cofre(['service', 'install'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('já estava instalado');
    expect(await readFile(unit, 'utf8')).toBe(text);
  }, 120_000);

  it('status says active (exit 0) and gives scripts JSON', async () => {
    const status = await cofre(['service', 'status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout.trim())).toMatchObject({ installed: true, state: 'active', unit });
  }, 60_000);

  it('uninstall stops, disables and removes the unit; a second uninstall just says it is not installed', async () => {
    const removed = await cofre(['service', 'uninstall'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('parado e removido');
    expect(existsSync(unit)).toBe(false);
    expect((await readFile(calls, 'utf8')).trim().split('\n').slice(-2)).toEqual(['disable --now cofre.service', 'daemon-reload']);

    const again = await cofre(['service', 'uninstall'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('não está instalado');
    const status = await cofre(['service', 'status'], env);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('não está instalado');
  }, 120_000);

  const realSystemctl = ['/usr/bin/systemctl', '/bin/systemctl'].find((path) => existsSync(path));
  const systemdRunning = existsSync('/run/systemd/system');
  it.skipIf(!realSystemctl || systemdRunning)('where systemd is not running, install says so and what to do instead, in Portuguese, without a stack trace', async () => {
    const plain = { ...process.env, COFRE_SYSTEMD_UNIT: join(dir, 'real.service'), LANG: 'pt_BR.UTF-8' };
    const run = await cofre(['service', 'install'], plain);
    expect(run.code).not.toBe(0);
    const said = `${run.stdout}${run.stderr}`;
    expect(said).toContain('Este computador não está usando o systemd; por isso "systemctl daemon-reload" não funcionou');
    expect(said).toContain('cofre service run');
    expect(said).not.toMatch(/\n\s+at .*\(/);
  }, 120_000);
});
