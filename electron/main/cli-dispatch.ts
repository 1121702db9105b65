// `cofre.exe status --json` on an installed machine: the packaged app is the only executable IT
// has, so a one-shot CLI command given on its command line runs the CLI instead of the tray.
// Pure: decides from argv alone.
import { oneShotCommands } from '../cli/main.js';

// `service …` too: the packaged app is what systemd, rc.d and WinSW start (`cofre service run`),
// since its runAsNode fuse is off; the service's main process opens no window.
const commands: ReadonlySet<string> = new Set([...oneShotCommands, 'service']);

/**
 * The CLI arguments in `argv` (process.argv of the Electron main process), or null for a normal
 * tray start. Packaged: argv = [exe, ...args]; development: argv = [electron, appPath, ...args].
 * Chromium switches (`--user-data-dir=…`) and global options may come before the command.
 */
export function cliArgsFrom(argv: readonly string[], packaged: boolean): string[] | null {
  const args = argv.slice(packaged ? 1 : 2).filter((arg) => !chromiumSwitch.test(arg));
  return commands.has(firstPositional(args) ?? '') ? args : null;
}

/** Switches Chromium or Electron may add to argv; never CLI input. */
const chromiumSwitch = /^--(user-data-dir|no-sandbox|ozone-platform|enable-logging|inspect|remote-debugging-port)(=|$)/;

/** CLI options whose value is the next argument (see electron/cli/main.ts). */
const valueOptions: ReadonlySet<string> = new Set(['--config', '--policy', '--data-dir', '--restic', '--lang', '--plan', '--snapshot', '--limit', '--to', '--conflict', '--port', '--static']);

function firstPositional(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) return arg;
    if (valueOptions.has(arg)) i += 1;
  }
  return undefined;
}
