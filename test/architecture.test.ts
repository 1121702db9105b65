// Where code may run is part of the architecture: electron/core runs in plain Node (tray, CLI,
// `cofre serve`, tests) and never loads electron; the renderer runs in a sandboxed browser page
// and never loads Node built-ins. ESLint refuses such imports while editing; this test also
// catches dynamic imports and require() calls that a lint rule on import declarations misses.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

function importedModules(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

describe('architecture boundaries', () => {
  it('electron/core never imports electron or the Electron shell', () => {
    const offenders = sources('electron/core').flatMap((file) =>
      importedModules(readFileSync(file, 'utf8'))
        .filter((m) => m === 'electron' || m.startsWith('electron/') || /(^|\/)main\//.test(m))
        .map((m) => `${relative(root, file)} -> ${m}`));
    expect(offenders).toEqual([]);
  });

  it('the renderer never imports Node built-ins or electron, and only the contract (api, errors, Backrest schema) and i18n from the core', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const offenders = sources('renderer/src').flatMap((file) =>
      importedModules(readFileSync(file, 'utf8'))
        .filter((m) => builtins.has(m) || m === 'electron' || (m.includes('electron/core/') && !/electron\/core\/(api|errors|i18n|config\/backrest-schema)\b/.test(m)))
        .map((m) => `${relative(root, file)} -> ${m}`));
    expect(offenders).toEqual([]);
  });

  it('finds the imports it checks (the scan itself works)', () => {
    expect(importedModules("import x from 'electron';\nconst fs = require('node:fs');\nawait import('os');")).toEqual(['electron', 'os', 'node:fs']);
  });
});
