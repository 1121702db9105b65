#!/usr/bin/env node
// `npm start`: builds the UI and the Electron bundles, then launches the tray app. Where the
// Electron binary is missing (its download was unreachable during `npm ci`, or ELECTRON_SKIP_BINARY_DOWNLOAD=1 was set) it says so and
// points to `npm run serve`, which runs the same core and UI in a browser.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.error(
    'Cofre: the Electron binary is not installed here (its download was blocked during `npm ci`, or ELECTRON_SKIP_BINARY_DOWNLOAD=1 was set).\n' +
      'Fetch it where the download is reachable (`npm run fetch:electron`), or run the same app in a browser with:\n' +
      '  npm run serve',
  );
  process.exit(1);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
for (const script of ['build:renderer', 'build:electron']) {
  const result = spawnSync(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const app = spawnSync(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(app.status ?? 0);
