import { describe, expect, it } from 'vitest';
import { cliArgsFrom } from './cli-dispatch.js';

describe('CLI commands given to the tray executable', () => {
  it('runs one-shot commands through the CLI', () => {
    expect(cliArgsFrom(['C:\\Program Files\\Cofre\\cofre.exe', 'status', '--json'], true)).toEqual(['status', '--json']);
    expect(cliArgsFrom(['cofre.exe', '--data-dir', 'C:\\Users\\maria\\AppData\\Roaming\\Cofre', 'status', '--json'], true))
      .toEqual(['--data-dir', 'C:\\Users\\maria\\AppData\\Roaming\\Cofre', 'status', '--json']);
    expect(cliArgsFrom(['/usr/bin/electron', '/app', 'history', '--json'], false)).toEqual(['history', '--json']);
  });

  it('runs the machine service as the packaged app itself (what systemd, rc.d and WinSW start)', () => {
    expect(cliArgsFrom(['/opt/Cofre/cofre', '--no-sandbox', 'service', 'run', '--socket', '/run/cofre/agent.sock'], true))
      .toEqual(['service', 'run', '--socket', '/run/cofre/agent.sock']);
    expect(cliArgsFrom(['C:\\Program Files\\Cofre\\cofre.exe', 'service', 'run', '--socket', '\\\\.\\pipe\\cofre-agent'], true)?.slice(0, 2)).toEqual(['service', 'run']);
    expect(cliArgsFrom(['/opt/Cofre/cofre', '--no-sandbox', '--ozone-platform=headless', 'service', 'user-fs-helper', 'ana', '1001', '1001'], true))
      .toEqual(['service', 'user-fs-helper', 'ana', '1001', '1001']);
  });

  it('starts the tray otherwise', () => {
    expect(cliArgsFrom(['cofre.exe'], true)).toBeNull();
    expect(cliArgsFrom(['cofre.exe', '--background'], true)).toBeNull();
    expect(cliArgsFrom(['/usr/bin/electron', '/app', '--user-data-dir=/tmp/x'], false)).toBeNull();
    // long-running faces are for node, not for the tray executable
    expect(cliArgsFrom(['cofre.exe', 'serve'], true)).toBeNull();
    expect(cliArgsFrom(['cofre.exe', 'run'], true)).toBeNull();
  });
});
