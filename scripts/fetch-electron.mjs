#!/usr/bin/env node
// Fetches the Electron binary after `npm ci`, without ever failing the install.
//
// Electron's own postinstall downloads the binary from outside the npm registry and fails the whole
// `npm ci` where that download is unreachable (offline build machines, CI behind a registry mirror).
// package.json denies that postinstall (`allowScripts.electron: false`) and runs it from here
// instead: where the download works, the tray app is installed as usual; where it does not, the
// install goes on and says what that means (everything but the tray shell runs in plain Node).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

// COFRE_ELECTRON_INSTALLER lets the test stand in an installer whose download fails.
let installer = process.env.COFRE_ELECTRON_INSTALLER;
try {
  installer ??= join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // electron is a devDependency: absent in production installs
}
if (!existsSync(installer) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);

const result = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000, encoding: 'utf8' });
if (result.status !== 0) {
  const reason = result.error?.message ?? (result.stderr ?? '').split('\n').find((line) => line.trim() !== '') ?? `exit ${result.status}`;
  console.warn(
    `cofre: the Electron binary could not be downloaded (${reason.trim().slice(0, 160)}).\n` +
      'cofre: everything but the tray app works without it: `npm run serve`, `npx cofre`, `npm test`.\n' +
      'cofre: to get the tray app later, run `npm run fetch:electron` where the download is reachable.',
  );
}
