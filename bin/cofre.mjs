#!/usr/bin/env node
// `cofre` in a checkout. Runs the bundle that `npm ci` / `npm test` build (dist/cli/cofre.mjs)
// when it is newer than every source file, otherwise the TypeScript sources directly through tsx,
// so an edit is never hidden behind a stale bundle.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist', 'cli', 'cofre.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function bundleIsFresh() {
  if (process.env.COFRE_FROM_SOURCE) return false;
  try {
    return statSync(bundle).mtimeMs >= newestSource(join(root, 'electron'));
  } catch {
    return false;
  }
}

if (bundleIsFresh()) {
  const { main } = await import(pathToFileURL(bundle).href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(pathToFileURL(join(root, 'electron', 'cli', 'main.ts')).href);
  process.exitCode = await main(process.argv.slice(2));
}
