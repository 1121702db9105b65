// Bundles the Electron main process and the preload with esbuild (shipped with Vite) into dist/:
//   dist/electron/main/index.js      ESM, Node 22 (Electron 39), better-sqlite3 and electron external
//   dist/electron/preload/index.cjs  CommonJS: sandboxed preloads cannot load ESM or other files
// The renderer is built separately by Vite (dist/renderer). Run: npx tsx scripts/build-electron.ts
import { build, type BuildOptions } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const shared: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'info',
  legalComments: 'none',
};

export async function buildElectron(outDir = path.join(root, 'dist', 'electron')): Promise<void> {
  await build({
    ...shared,
    entryPoints: [path.join(root, 'electron/main/index.ts')],
    outfile: path.join(outDir, 'main', 'index.js'),
    format: 'esm',
    // Native modules load from node_modules (asar-unpacked); electron is provided by the runtime.
    external: ['electron', 'better-sqlite3'],
    // Bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __cofreCreateRequire } from 'node:module'; const require = __cofreCreateRequire(import.meta.url);" },
  });
  await build({
    ...shared,
    entryPoints: [path.join(root, 'electron/preload/index.ts')],
    outfile: path.join(outDir, 'preload', 'index.cjs'),
    format: 'cjs',
    platform: 'node',
    external: ['electron'],
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildElectron(process.argv[2] ? path.resolve(process.argv[2]) : undefined).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
