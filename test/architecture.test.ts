// Where code may run is part of the architecture: electron/core runs in plain Node (tray, CLI,
// `cofre serve`, tests) and never loads electron; the renderer runs in a sandboxed browser page
// and never loads Node built-ins. ESLint refuses such imports while editing; this test also
// catches dynamic imports and require() calls that a lint rule on import declarations misses.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
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

/** Relative imports of each non-test .ts file under `dir` (type-only ones too: they tie modules as much), as files. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const targets = importedModules(readFileSync(file, 'utf8'))
      .filter((m) => m.startsWith('.'))
      .map((m) => resolve(dirname(file), m.replace(/\.js$/, '.ts')))
      .filter((target) => existsSync(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every import circle of the graph, each as the files along it (first file repeated at the end). */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
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
    expect(importedModules("import type {\n  A,\n  B,\n} from './ports.js';\nexport { c } from './c.js';")).toEqual(['./ports.js', './c.js']);
  });

  it('has no import circle anywhere in electron/core', () => {
    const found = circles(importGraph('electron/core')).map((circle) => circle.map((f) => relative(root, f)).join(' -> '));
    expect(found).toEqual([]);
  });

  it('finds a circle when there is one (the check itself works)', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(circles(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('the agent is wired one way: no agent part imports the composition root', () => {
    const offenders = [...importGraph('electron/core/agent')]
      .filter(([file]) => basename(file) !== 'agent.ts')
      .flatMap(([file, targets]) => targets.filter((t) => t === join(root, 'electron/core/agent/agent.ts')).map(() => relative(root, file)));
    expect(offenders).toEqual([]);
  });

  it('ports.ts, which every part depends on, imports no part of the agent', () => {
    const ports = join(root, 'electron/core/agent/ports.ts');
    const parts = (importGraph('electron/core/agent').get(ports) ?? []).filter((t) => dirname(t) === dirname(ports)).map((t) => relative(root, t));
    expect(parts).toEqual([]);
  });

  it('keeps every file of electron/core/agent at 250 lines or fewer (one job kind, one concern per file)', () => {
    const long = sources('electron/core/agent')
      .map((file) => ({ file: relative(root, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ file, lines }) => !file.endsWith('.test.ts') && lines > 250);
    expect(long).toEqual([]);
  });
});
