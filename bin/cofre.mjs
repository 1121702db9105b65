#!/usr/bin/env node
// `cofre` in a checkout runs the TypeScript sources directly (tsx), so `npx cofre` works right
// after `npm ci`; packaged builds run the compiled files instead.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const compiled = join(root, 'dist', 'cli', 'cofre.js');
if (existsSync(compiled) && !process.env.COFRE_FROM_SOURCE) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'electron', 'cli', 'main.ts')).href);
}
