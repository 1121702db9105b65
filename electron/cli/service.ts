// `cofre service run | install | uninstall | status | start | stop | unit`: the machine-wide agent
// (issue 13). `run` is what the service manager starts; the others install and control it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Agent } from '../core/agent/agent.js';
import { CofreError } from '../core/errors.js';
import { t, type Locale } from '../core/i18n/index.js';
import { machinePaths } from '../core/service/machine-paths.js';
import { lookupUser } from '../core/service/os-users.js';
import { runUserFsHelper } from '../core/service/user-fs.js';
import { processRuntime, rcdScript, serviceCommandFor, windowsServiceCommand, systemdUnit, systemdUnitName, systemdUnitPath, winswXml, type ServiceCommand } from '../core/service/units.js';
import { FileSecretStore } from '../core/secrets/index.js';
import { startSocketServer } from '../service/socket-server.js';

export interface ServiceCliContext {
  args: string[];
  socket?: string;
  restic?: string;
  json: boolean;
  locale: Locale;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

export class ServiceUsageError extends Error {}

const isRoot = () => process.getuid?.() === 0;

function requireRoot(): void {
  if (!isRoot()) throw new CofreError('service.notRoot', { cause: 'invalid-input' });
}

/** How the service manager starts this very installation of Cofre. */
export function currentCommand(socketPath: string, env: NodeJS.ProcessEnv = process.env): ServiceCommand {
  return serviceCommandFor({ ...processRuntime(), script: env.COFRE_SERVICE_SCRIPT ?? join(import.meta.dirname, '..', '..', 'bin', 'cofre.mjs') }, socketPath);
}

export async function serviceMain(ctx: ServiceCliContext): Promise<number> {
  const [sub, kind] = ctx.args;
  const paths = machinePaths(ctx.env);
  const socketPath = ctx.socket ?? paths.socketPath;
  switch (sub) {
    case 'run':
      return run(ctx, socketPath);
    case 'unit': {
      const command = currentCommand(socketPath, ctx.env);
      if (kind === undefined || kind === 'systemd') ctx.out(systemdUnit(command).trimEnd());
      else if (kind === 'rc.d') ctx.out(rcdScript({ ...command, socketPath: ctx.socket ?? machinePaths(ctx.env, 'freebsd').socketPath }).trimEnd());
      else if (kind === 'winsw') ctx.out(winswXml({ ...windowsServiceCommand(machinePaths(ctx.env, 'win32').socketPath), logDir: machinePaths(ctx.env, 'win32').logDir }).trimEnd());
      else throw new ServiceUsageError(t('service.usage', undefined, ctx.locale));
      return 0;
    }
    case 'user-fs-helper':
      // Internal: the child a service restore makes its moves through (core/service/user-fs.ts),
      // for the packaged app, which cannot run `-e`. Started by the service as root; drops to the user.
      requireRoot();
      runUserFsHelper(ctx.args.slice(1));
      return new Promise<number>(() => undefined);
    case 'install':
    case 'uninstall':
    case 'status':
    case 'start':
    case 'stop':
      if (process.platform !== 'linux') throw new CofreError('service.unsupportedPlatform', { params: { platform: process.platform } });
      return systemd(ctx, sub, socketPath);
    default:
      throw new ServiceUsageError(t('service.usage', undefined, ctx.locale));
  }
}

async function run(ctx: ServiceCliContext, socketPath: string): Promise<number> {
  requireRoot();
  const paths = machinePaths(ctx.env);
  await mkdir(dirname(paths.configPath), { recursive: true, mode: 0o755 });
  const agent = await Agent.create({
    configPath: paths.configPath,
    policyPath: paths.policyPath,
    dataDir: paths.dataDir,
    cacheDir: paths.cacheDir,
    // Secrets of the machine: a file only root reads (the data dir is 0700, the file 0600).
    secrets: new FileSecretStore(paths.secretsFile),
    resticBinary: ctx.restic ?? ctx.env.COFRE_RESTIC,
    env: ctx.env,
    logDir: paths.logDir,
    runMode: 'service',
  });
  agent.start();
  const server = await startSocketServer({
    host: agent,
    createSession: (owner) => agent.createSession({ owner, technician: owner.uid === 0 }),
    socketPath,
    lookup: lookupUser,
    log: (line) => agent.log.info(line),
  });
  ctx.err(t('service.running', { socket: socketPath }, ctx.locale));
  if (ctx.json) ctx.out(JSON.stringify({ socket: socketPath, pid: process.pid }));
  await untilSignal();
  ctx.err(t('service.stopping', undefined, ctx.locale));
  await server.close();
  await agent.shutdown(30_000);
  return 0;
}

function systemctl(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('systemctl', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

async function mustSystemctl(args: string[]): Promise<void> {
  const result = await systemctl(args);
  if (result.code === 0) return;
  // sd_booted(): without this folder systemd is not the init system (a container, another init).
  if (!existsSync('/run/systemd/system')) throw new CofreError('service.noSystemd', { params: { command: `systemctl ${args.join(' ')}` }, detail: result.output.slice(0, 500) });
  throw new CofreError('service.controlFailed', { params: { command: `systemctl ${args.join(' ')}`, detail: result.output.slice(0, 500) } });
}

async function systemd(ctx: ServiceCliContext, sub: 'install' | 'uninstall' | 'status' | 'start' | 'stop', socketPath: string): Promise<number> {
  const unitPath = ctx.env.COFRE_SYSTEMD_UNIT ?? systemdUnitPath;
  if (sub === 'status') {
    const installed = existsSync(unitPath);
    const state = installed ? (await systemctl(['is-active', systemdUnitName])).output.split('\n')[0] || 'unknown' : 'not-installed';
    if (ctx.json) ctx.out(JSON.stringify({ installed, state, unit: unitPath, socket: socketPath, socketPresent: existsSync(socketPath) }));
    else ctx.out(installed ? t('service.state', { state, unit: unitPath }, ctx.locale) : t('service.notInstalled', undefined, ctx.locale));
    return installed && state === 'active' ? 0 : 3;
  }
  requireRoot();
  if (sub === 'install') {
    const text = systemdUnit(currentCommand(socketPath, ctx.env));
    const before = await readFile(unitPath, 'utf8').catch(() => null);
    if (before !== text) await writeFile(unitPath, text, { mode: 0o644 });
    await mustSystemctl(['daemon-reload']);
    await mustSystemctl(['enable', '--now', systemdUnitName]);
    ctx.out(t(before === null ? 'service.installed' : 'service.alreadyInstalled', { unit: unitPath }, ctx.locale));
    return 0;
  }
  if (sub === 'uninstall') {
    if (!existsSync(unitPath)) {
      ctx.out(t('service.notInstalled', undefined, ctx.locale));
      return 0;
    }
    await systemctl(['disable', '--now', systemdUnitName]);
    await rm(unitPath, { force: true });
    await mustSystemctl(['daemon-reload']);
    ctx.out(t('service.uninstalled', undefined, ctx.locale));
    return 0;
  }
  if (!existsSync(unitPath)) throw new CofreError('service.notInstalled');
  await mustSystemctl([sub, systemdUnitName]);
  ctx.out(t(sub === 'start' ? 'service.started' : 'service.stopped', undefined, ctx.locale));
  return 0;
}

/** Resolves on SIGINT/SIGTERM (systemd stops with SIGTERM); a second signal exits at once. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = () => {
      if (received) process.exit(1);
      received = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
