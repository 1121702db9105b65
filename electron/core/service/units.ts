// What installs the service on each system, as pure text: the systemd unit (Linux), the rc.d
// script (FreeBSD, as the Prefeitura's guides run Backrest) and the WinSW configuration plus the
// SCM and ACL commands (Windows). The CLI writes them; tests check them without any installer.
import { CofreError } from '../errors.js';

export interface ServiceCommand {
  /** The program the service manager starts: node, or the Cofre (Electron) binary itself. */
  executable: string;
  /** What comes before `service run`: see `serviceCommandFor`. */
  leadingArgs: string[];
  socketPath: string;
}

export interface ServiceRuntime {
  execPath: string;
  /** True inside the Cofre (Electron) binary. */
  electron: boolean;
  /** The app folder, when Electron runs an unpackaged app (development). */
  appPath?: string;
  /** The CLI script, for node. */
  script: string;
  platform: NodeJS.Platform;
}

/**
 * How a service manager starts this installation. Under node: `node <cli script> service run`.
 * The packaged app has no node and its runAsNode fuse is off (ELECTRON_RUN_AS_NODE is ignored),
 * so it is started as itself with `service run`, which its main process hands to the CLI
 * (electron/main/cli-dispatch.ts) without opening any window. On Linux and FreeBSD Chromium
 * refuses to start as root unless told --no-sandbox; the sandbox guards renderers, and the
 * service process never creates one.
 */
export function serviceCommandFor(runtime: ServiceRuntime, socketPath: string): ServiceCommand {
  if (!runtime.electron) return { executable: runtime.execPath, leadingArgs: [runtime.script], socketPath };
  return { executable: runtime.execPath, leadingArgs: chromiumArgs(runtime), socketPath };
}

/**
 * What the Cofre (Electron) binary needs before a `service …` command when it runs without
 * windows: its app folder in development; off Windows, --no-sandbox (Chromium refuses root
 * otherwise, and no renderer is ever made); on Linux, the headless platform, since a server has
 * no display to look for.
 */
export function chromiumArgs(runtime: Pick<ServiceRuntime, 'appPath' | 'platform'>): string[] {
  const chromium = runtime.platform === 'win32' ? [] : runtime.platform === 'linux' ? ['--no-sandbox', '--ozone-platform=headless'] : ['--no-sandbox'];
  return [...(runtime.appPath ? [runtime.appPath] : []), ...chromium];
}

/** This process as a service runtime (everything but the CLI script, which only the CLI knows). */
export function processRuntime(): Omit<ServiceRuntime, 'script'> {
  return {
    execPath: process.execPath,
    electron: Boolean(process.versions.electron),
    ...(process.defaultApp && process.argv[1] ? { appPath: process.argv[1] } : {}),
    platform: process.platform,
  };
}

/**
 * The Windows service as the MSI installs it: WinSW (cofre-service.exe) sits beside cofre.exe,
 * and %BASE% is WinSW's own folder, so the XML holds wherever IT installed Cofre.
 */
export function windowsServiceCommand(socketPath: string): ServiceCommand {
  return serviceCommandFor({ execPath: '%BASE%\\cofre.exe', electron: true, script: '', platform: 'win32' }, socketPath);
}

export const systemdUnitName = 'cofre.service';
export const systemdUnitPath = '/etc/systemd/system/cofre.service';
export const rcdScriptPath = '/usr/local/etc/rc.d/cofre';

/** A word of an ExecStart= line, quoted for systemd when it holds spaces or quotes. */
function systemdWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@+-]+$/.test(word)) return word;
  return `"${word.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Runs as root because it must read every user's files and give restored files to their owner.
 * The hardening keeps what backups and restores need (read everything, write homes and
 * /etc/cofre, chown) and drops the rest: no new privileges, no setuid files created by a restore,
 * kernel and clock untouchable, private /tmp.
 */
export function systemdUnit(command: ServiceCommand): string {
  const exec = [command.executable, ...command.leadingArgs, 'service', 'run', '--socket', command.socketPath].map(systemdWord).join(' ');
  return `# Written by "cofre service install"; "cofre service uninstall" removes it.
[Unit]
Description=Cofre backup agent for every user of this computer
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${exec}
Restart=on-failure
RestartSec=10
TimeoutStopSec=60
KillMode=mixed
UMask=0077
RuntimeDirectory=cofre
RuntimeDirectoryMode=0755
StateDirectory=cofre
StateDirectoryMode=0700
CacheDirectory=cofre
CacheDirectoryMode=0700
LogsDirectory=cofre
LogsDirectoryMode=0700
ConfigurationDirectory=cofre
ConfigurationDirectoryMode=0755
ProtectSystem=full
ReadWritePaths=/etc/cofre
PrivateTmp=yes
NoNewPrivileges=yes
RestrictSUIDSGID=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
SystemCallArchitectures=native
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
CapabilityBoundingSet=CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_CHOWN CAP_FOWNER CAP_FSETID

[Install]
WantedBy=multi-user.target
`;
}

/** FreeBSD: daemon(8) supervises and restarts it, like the guides' Backrest script. */
export function rcdScript(command: ServiceCommand): string {
  const args = [...command.leadingArgs, 'service', 'run', '--socket', '${cofre_socket}'].map((w) => (w === '${cofre_socket}' ? w : shellWord(w))).join(' ');
  return `#!/bin/sh
# Written by "cofre service unit rc.d". Enable with: sysrc cofre_enable=YES && service cofre start
#
# PROVIDE: cofre
# REQUIRE: LOGIN NETWORKING
# KEYWORD: shutdown

. /etc/rc.subr

name="cofre"
rcvar="cofre_enable"
load_rc_config $name

: \${cofre_enable:="NO"}
: \${cofre_socket:="${command.socketPath}"}
: \${cofre_logfile:="/var/log/cofre/daemon.log"}

pidfile="/var/run/\${name}.pid"
command="/usr/sbin/daemon"
command_args="-f -r -R 10 -P \${pidfile} -o \${cofre_logfile} ${shellWord(command.executable)} ${args}"
start_precmd="cofre_prestart"

cofre_prestart()
{
    install -d -m 0755 "$(dirname "\${cofre_socket}")"
    install -d -m 0700 /var/log/cofre /var/db/cofre
}

run_rc_command "$1"
`;
}

function xml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/**
 * Windows: WinSW (a maintained, single-file SCM wrapper, MIT) runs Cofre.exe itself with
 * `service run` as LocalSystem, so no separate Node is shipped and the runAsNode fuse stays off.
 * IT places it as cofre-service.exe with this XML beside it (docs/deploy.md) and runs
 * `cofre-service.exe install`.
 */
export function winswXml(command: ServiceCommand & { logDir: string }): string {
  return `<service>
  <id>Cofre</id>
  <name>Cofre</name>
  <description>Cofre backup agent for every user of this computer</description>
  <executable>${xml(command.executable)}</executable>
  <arguments>${command.leadingArgs.map((arg) => `"${xml(arg)}" `).join('')}service run --socket "${xml(command.socketPath)}"</arguments>
  <serviceaccount>
    <username>LocalSystem</username>
  </serviceaccount>
  <startmode>Automatic</startmode>
  <delayedAutoStart>true</delayedAutoStart>
  <onfailure action="restart" delay="10 sec" />
  <resetfailure>1 hour</resetfailure>
  <stoptimeout>60 sec</stoptimeout>
  <logpath>${xml(command.logDir)}</logpath>
  <log mode="roll-by-size">
    <sizeThreshold>10240</sizeThreshold>
    <keepFiles>8</keepFiles>
  </log>
</service>
`;
}

/**
 * The named pipe's security descriptor: SYSTEM and Administrators full, interactive users
 * read/write (to connect), nobody from the network. Identity is still the per-user token.
 */
export const pipeSddl = 'D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGW;;;IU)(D;;GA;;;NU)';

/** icacls arguments making a user's token folder readable by that user (SID) and SYSTEM only. */
export function tokenFolderAcl(folder: string, sid: string): string[] {
  if (!/^S-1-5-[0-9-]+$/.test(sid)) throw new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details: 'SID' } });
  return [folder, '/inheritance:r', '/grant:r', `*S-1-5-18:(OI)(CI)F`, '/grant:r', `*${sid}:(OI)(CI)R`];
}
