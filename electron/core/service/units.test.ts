import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipeSddl, rcdScript, serviceCommandFor, systemdUnit, tokenFolderAcl, winswXml, windowsServiceCommand } from './units.js';

const command = { executable: process.execPath, leadingArgs: ['/opt/Cofre Backup/bin/cofre.mjs'], socketPath: '/run/cofre/agent.sock' };
const packaged = serviceCommandFor({ execPath: '/opt/Cofre/cofre', electron: true, script: 'unused', platform: 'linux' }, '/run/cofre/agent.sock');
const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((path) => existsSync(path));

describe('systemd unit', () => {
  const unit = systemdUnit(command);

  it('starts `cofre service run` on the socket, restarts on failure, starts at boot', () => {
    expect(unit).toContain(`ExecStart=${process.execPath} "/opt/Cofre Backup/bin/cofre.mjs" service run --socket /run/cofre/agent.sock`);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
    expect(unit).not.toContain('ELECTRON_RUN_AS_NODE');
  });

  it('starts the packaged app as itself (its runAsNode fuse is off), without the renderer sandbox it never uses', () => {
    expect(systemdUnit(packaged)).toMatch(/^ExecStart=\/opt\/Cofre\/cofre --no-sandbox --ozone-platform=headless service run --socket \/run\/cofre\/agent\.sock$/m);
    expect(systemdUnit(packaged)).not.toContain('ELECTRON_RUN_AS_NODE');
    // Unpackaged Electron (development) needs its app folder first.
    expect(serviceCommandFor({ execPath: '/usr/bin/electron', electron: true, appPath: '/src/cofre', script: 'x', platform: 'linux' }, '/s').leadingArgs).toEqual(['/src/cofre', '--no-sandbox', '--ozone-platform=headless']);
  });

  it('is hardened but may still read every file, write homes and /etc/cofre, and chown restores', () => {
    for (const line of ['ProtectSystem=full', 'ReadWritePaths=/etc/cofre', 'NoNewPrivileges=yes', 'RestrictSUIDSGID=yes', 'PrivateTmp=yes', 'UMask=0077', 'StateDirectoryMode=0700', 'RuntimeDirectoryMode=0755']) {
      expect(unit.split('\n')).toContain(line);
    }
    // Homes must stay reachable (backups read them, restores write them).
    expect(unit).not.toMatch(/^ProtectHome=(yes|read-only|tmpfs)/m);
    expect(unit).not.toMatch(/^ProtectSystem=strict/m);
    expect(unit).toMatch(/^CapabilityBoundingSet=.*CAP_DAC_READ_SEARCH.*CAP_CHOWN/m);
  });

  it.skipIf(!analyze)('passes systemd-analyze verify (skipped when systemd-analyze is not installed)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cofre-unit-'));
    try {
      const file = join(dir, 'cofre.service');
      await writeFile(file, systemdUnit({ ...command, leadingArgs: [join(import.meta.dirname, 'units.ts')] }));
      const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(analyze!, ['verify', file], (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr }));
      });
      expect(result).toEqual({ code: 0, stderr: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('FreeBSD rc.d script', () => {
  const script = rcdScript({ ...command, socketPath: '/var/run/cofre/agent.sock' });

  it('follows rc.subr: PROVIDE, rcvar off by default, supervised by daemon(8)', () => {
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toMatch(/^# PROVIDE: cofre$/m);
    expect(script).toMatch(/^# KEYWORD: shutdown$/m);
    expect(script).toContain('. /etc/rc.subr');
    expect(script).toContain('rcvar="cofre_enable"');
    expect(script).toContain(': ${cofre_enable:="NO"}');
    expect(script).toContain(': ${cofre_socket:="/var/run/cofre/agent.sock"}');
    expect(script).toContain(`command_args="-f -r -R 10 -P \${pidfile} -o \${cofre_logfile} ${process.execPath} '/opt/Cofre Backup/bin/cofre.mjs' service run --socket \${cofre_socket}"`);
    expect(script.trimEnd().endsWith('run_rc_command "$1"')).toBe(true);
  });

  it('is valid POSIX sh (checked with sh -n, as FreeBSD\'s /bin/sh would parse it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cofre-rcd-'));
    try {
      const file = join(dir, 'cofre');
      await writeFile(file, script);
      const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile('sh', ['-n', file], (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr }));
      });
      expect(result).toEqual({ code: 0, stderr: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Windows service (WinSW, SCM, ACLs)', () => {
  it('runs cofre.exe itself (beside the wrapper) with `service run` as LocalSystem, restarting on failure', () => {
    const xml = winswXml({ ...windowsServiceCommand('\\\\.\\pipe\\cofre-agent'), logDir: 'C:\\ProgramData\\Cofre\\logs' });
    expect(xml).toContain('<executable>%BASE%\\cofre.exe</executable>');
    expect(xml).toContain('<arguments>service run --socket "\\\\.\\pipe\\cofre-agent"</arguments>');
    // The packaged app ignores ELECTRON_RUN_AS_NODE (fuse off): it must not be relied on.
    expect(xml).not.toContain('ELECTRON_RUN_AS_NODE');
    expect(xml).toContain('<username>LocalSystem</username>');
    expect(xml).toContain('<onfailure action="restart" delay="10 sec" />');
    expect(winswXml({ ...command, leadingArgs: ['a&b<c>'], logDir: 'x' })).toContain('"a&amp;b&lt;c&gt;" service run');
  });


  it('lets interactive users open the pipe, nobody over the network; token folders are the user\'s and SYSTEM\'s only', () => {
    expect(pipeSddl).toContain('(A;;GRGW;;;IU)');
    expect(pipeSddl).toContain('(D;;GA;;;NU)');
    expect(pipeSddl.startsWith('D:P')).toBe(true);
    expect(tokenFolderAcl('C:\\ProgramData\\Cofre\\users\\S-1-5-21-1-2-3-1001', 'S-1-5-21-1-2-3-1001')).toEqual([
      'C:\\ProgramData\\Cofre\\users\\S-1-5-21-1-2-3-1001', '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '/grant:r', '*S-1-5-21-1-2-3-1001:(OI)(CI)R',
    ]);
    expect(() => tokenFolderAcl('x', 'Everyone')).toThrow();
  });
});
