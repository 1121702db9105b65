// Inputs for the contract fuzzer: a seeded PRNG (a failure is reproduced by its seed), one valid
// input per contract method built from the live rig (real plan, repo and snapshot ids), and
// mutations that keep an input looking valid while breaking one thing: wrong types, boundaries,
// huge strings, deep nesting, prototype keys, path traversal and device names, invalid crons and
// repository URIs with odd schemes.
import { join } from 'node:path';
import type { ApiMethod } from '../../electron/core/api.js';

export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: small, fast and good enough to spread cases; reproducible from the seed. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let x = this.state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface FuzzWorld {
  home: string;
  /** A folder outside the agent's temp dir that nothing may write to. */
  canary: string;
  planId: string;
  repoId: string;
  snapshotId: string;
  /** A file that exists in the snapshot and in the home folder. */
  file: string;
  folder: string;
  technicianPassword: string;
  /** The current config as getConfig returns it (for setConfig cases). */
  config: () => { config: Record<string, unknown>; modno: number };
}

const oneMiB = 1024 * 1024;
let hugeCache: string | undefined;
/** 1 MiB string (built once: the cost is in sending and parsing it, not in making it). */
export function huge(): string {
  hugeCache ??= 'A'.repeat(oneMiB - 7) + 'ção\u0000';
  return hugeCache;
}

/** The same as JSON text, built without recursion (JSON.stringify itself overflows past a few thousand levels). */
export function deepNestText(depth: number): string {
  return '[{"n":'.repeat(depth) + '"fundo"' + '}]'.repeat(depth);
}

/** Nesting deep enough to hurt a recursive walker (JSON.stringify, zod, structured clone). */
export function deepNest(depth: number, leaf: unknown = 'fundo'): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { n: value };
  return value;
}

export const nanLike = ['NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1F', '1_000', ' 12 ', '١٢', 'null', 'undefined', 'true', '[]', '{}'];
export const numbers = [0, -0, -1, 1, 1.5, -1.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e308, -1e308, Number.MIN_VALUE, 10_000_001, 1001, 5001];
export const prototypeKeys = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf', 'toString', 'valueOf'];

/** Paths a restore target, a browse path or a plan path must survive: traversal, device names, odd forms. */
export function hostilePath(rng: Rng, world: FuzzWorld): string {
  const inHome = join(world.home, 'Documentos');
  const options = [
    () => join(inHome, 'restaurado', String(rng.int(1000))),
    () => `${inHome}/../../../${world.canary.replace(/^\//, '')}`,
    () => `${inHome}/..`,
    () => '..',
    () => '../../etc',
    () => world.canary,
    () => join(world.canary, 'restaurado'),
    () => '/',
    () => '/etc',
    () => '/etc/passwd',
    () => '/dev/null',
    () => '/proc/self/mem',
    () => 'C:relative\\x',
    () => 'C:',
    () => 'C:\\Windows\\System32',
    () => 'C:/Windows/../Windows',
    () => '\\\\?\\C:\\Windows',
    () => '\\\\.\\PhysicalDrive0',
    () => '\\\\server\\share\\x',
    () => '//server/share',
    () => rng.pick(['CON', 'NUL', 'AUX', 'PRN', 'COM1', 'LPT1', 'con.txt', 'NUL:']),
    () => join(inHome, rng.pick(['CON', 'NUL', 'COM1', 'LPT9.txt'])),
    () => `${inHome}\\..\\..\\..`,
    () => `${inHome}/a\u0000b`,
    () => `${inHome}/./././x`,
    () => `${inHome}/%2e%2e/%2e%2e`,
    () => '~/Documentos',
    () => '$HOME/x',
    () => 'file:///etc/passwd',
    () => `${inHome}/${'x'.repeat(300)}`,
    () => `/${Array.from({ length: 600 }, () => 'ab').join('/')}`,
    () => `/${'y'.repeat(5000)}`,
    () => '',
    () => ' ',
    () => '-rf',
    () => '--password-file=/etc/passwd',
    () => world.file,
    () => world.folder,
    () => `${world.file}\n/etc/passwd`,
  ];
  return rng.pick(options)();
}

export function cronExpression(rng: Rng): string {
  return rng.pick([
    '0 12 * * 1-5', '*/5 * * * *', '30 3 * * 0',
    '* * * *', '* * * * * * *', '60 * * * *', '* 24 * * *', '0 0 32 * *', '0 0 * 13 *', '0 0 * * 8',
    '0 0 31 2 *', '0 0 30 2 *', '0 0 29 2 *', '*/0 * * * *', '5-1 * * * *', '1,,2 * * * *', '-1 * * * *',
    '@reboot', '@yearly', '@every 5m', 'L W # ? *', 'a b c d e', '', ' ', '\u0000', '* * * * *\n* * * * *',
    'CRON_TZ=America/Sao_Paulo 0 12 * * *', 'TZ=Mars/Olympus 0 0 * * *', '0 0 1 1 * 2099', '*/99999999999 * * * *',
    '0-59/1 0-23/1 1-31/1 1-12/1 0-7/1', '1-59/59 * * * *', 'x'.repeat(200), 'x'.repeat(201), '0 12 * * MON-FRI', '0 12 * * SEG',
  ]);
}

export function schedule(rng: Rng): Record<string, unknown> {
  const clock = rng.pick(['CLOCK_LOCAL', 'CLOCK_UTC', 'CLOCK_LAST_RUN_TIME', 'CLOCK_DEFAULT', 'CLOCK_BOGUS', 'local']);
  switch (rng.int(6)) {
    case 0: return { maxFrequencyDays: rng.pick([1, 0, -1, 1.5, 2 ** 31, 2 ** 53, 1e308, 36500]), clock };
    case 1: return { maxFrequencyHours: rng.pick([1, 0, -3, 0.5, 2 ** 31, 1e15, 2 ** 53, 1e308, 876_000]), clock };
    case 2: return { disabled: rng.pick([true, false, 'yes']) };
    case 3: return { cron: cronExpression(rng), maxFrequencyDays: 2, clock };
    default: return { cron: cronExpression(rng), clock };
  }
}

/**
 * `rest:` URIs restic cannot reach take testConnection its full time limit (about 20 s, tested on its
 * own in contract-fuzz.test.ts), so the random run uses them only where no restic runs (setConfig, import).
 */
export const unreachableUris = ['rest:ftp://127.0.0.1/x', 'rest:javascript:alert(1)', 'rest:http://127.0.0.1:1/x'];

export function repoUri(rng: Rng, world: FuzzWorld, options: { runsRestic?: boolean } = {}): string {
  if (!options.runsRestic && rng.chance(0.2)) return rng.pick(unreachableUris);
  return rng.pick([
    'javascript:alert(1)', 'file:///etc', `file://${world.canary}`, `local:${world.canary}/nao-existe`, 'data:text/html,<script>alert(1)</script>', 'rclone:nada:x', '../relativo', 'C:relativo',
    '\\\\?\\C:\\repo', 'NUL', 'CON', '--password-file=/etc/passwd', '-r', ' ', 'rest:http://user:senha@[::1', 'rest:https://%zz/',
    `${world.canary}/nao-existe`, 'x'.repeat(2049),
  ]);
}

/** A well-formed input for each method, using ids that exist in the rig. */
export function validInput(method: ApiMethod, rng: Rng, world: FuzzWorld): Record<string, unknown> {
  switch (method) {
    case 'getAppInfo': case 'getStatus': case 'listJobs': case 'resume': case 'technicianLogout': case 'getConfig': return {};
    case 'setPreferences': return rng.chance(0.5) ? { notifications: rng.pick(['all', 'problems', 'off']) } : { language: rng.pick(['en', 'pt-BR']) };
    case 'technicianLogin': return { password: rng.pick(['errada', 'x'.repeat(1024), '\u0000', world.technicianPassword + ' ']) };
    case 'runBackup': return { planId: world.planId };
    case 'setPlanLabel': return { planId: world.planId, label: rng.chance(0.2) ? null : rng.pick(['Documentos', 'Financeiro 2024', ' ', 'x'.repeat(80)]) };
    case 'cancelJob': return { jobId: rng.pick(['job-1', '0', 'x'.repeat(128), '../job']) };
    case 'pause': return { until: rng.pick([null, '2099-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '275760-09-13T00:00:00Z']) };
    case 'listHistory': return { planId: world.planId, limit: rng.pick([1, 100, 1000]), offset: rng.pick([0, 10_000_000]), status: 'success' };
    case 'listSnapshots': return rng.chance(0.5) ? { planId: world.planId } : { repoId: world.repoId };
    case 'browse': return { snapshotId: world.snapshotId, path: rng.chance(0.5) ? world.folder : hostilePath(rng, world) };
    case 'search': return { pattern: rng.pick(['relat', '*', '**/*', '[', '\\', '%', '_', "'; DROP TABLE nodes; --", 'ação', 'ação'.normalize('NFD'), '?'.repeat(512)]) };
    case 'versions': return { path: rng.chance(0.5) ? world.file : hostilePath(rng, world) };
    case 'missingFiles': return { snapshotId: world.snapshotId, path: rng.chance(0.5) ? world.folder : hostilePath(rng, world) };
    case 'indexStatus': case 'cancelIndexing': return {};
    case 'checkRestore': return { snapshotId: world.snapshotId, paths: [rng.chance(0.5) ? world.file : hostilePath(rng, world)], destination: rng.chance(0.5) ? { kind: 'original' } : { kind: 'folder', path: rng.pick(['/etc', world.folder, '/']) } };
    case 'restore': return {
      snapshotId: world.snapshotId,
      paths: [rng.chance(0.7) ? world.file : hostilePath(rng, world)],
      destination: rng.chance(0.2) ? { kind: 'original' } : { kind: 'folder', path: hostilePath(rng, world) },
      conflict: rng.pick(['keep-both', 'skip', 'replace']),
    };
    case 'setConfig': {
      const { config, modno } = world.config();
      return { config: mutateConfig(structuredClone(config), rng, world), modno: rng.chance(0.7) ? modno : rng.pick([0, modno + 1, 2 ** 53]) };
    }
    case 'setRepoSecrets': return { repoId: rng.pick(['nao-existe', 'outro']), password: 'p' };
    case 'testConnection': return { repo: { id: 'rascunho', uri: repoUri(rng, world, { runsRestic: true }), flags: rng.chance(0.2) ? ['--no-lock'] : [] }, secrets: { password: 'x' } };
    case 'diagnoseConfig': return rng.chance(0.5) ? {} : { repo: { id: 'rascunho', uri: repoUri(rng, world), env: rng.chance(0.5) ? ['REST_RESTIC_USERNAME=x'] : [], flags: rng.chance(0.2) ? ['--exclude "x'] : [] } };
    case 'initRepo': case 'unlockRepo': case 'checkRepo': case 'pruneRepo': return { repoId: rng.chance(0.8) ? world.repoId : 'nao-existe' };
    case 'previewSchedule': return { schedule: schedule(rng) };
    case 'previewRetention': return {
      retention: rng.pick([
        { policyKeepAll: true }, { policyKeepLastN: rng.pick([0, 1, 2 ** 31, 2 ** 53]) },
        { policyTimeBucketed: { daily: rng.pick([0, 7, 2 ** 40]), weekly: 4, keepLastN: rng.pick([0, 3, 1e15]) } }, {},
      ]),
    };
    case 'importBackrest': case 'previewImport': return {
      content: backrestContent(rng, world),
      ...(rng.chance(0.3) ? { mode: rng.pick(['merge', 'replace']) } : {}),
      ...(rng.chance(0.3) ? { takeInstance: rng.chance(0.5) } : {}),
    };
    case 'undoImport': case 'getImportUndo': return {};
    case 'exportBackrest': return { includeSecrets: rng.chance(0.5) };
    case 'enroll': return { password: 'x', paths: [hostilePath(rng, world)] };
    case 'getDiagnostics': return { logLines: rng.pick([1, 200, 2000]) };
    case 'readLog': return { limit: rng.pick([1, 500, 5000]) };
    case 'fleetReport': return {
      ...(rng.chance(0.5) ? { refresh: rng.chance(0.5) } : {}),
      ...(rng.chance(0.5) ? { department: rng.pick(['Financeiro', 'Saúde', '<script>x</script>', '../../etc']) } : {}),
    };
  }
}

function mutateConfig(config: Record<string, unknown>, rng: Rng, world: FuzzWorld): Record<string, unknown> {
  const plans = (config.plans as Array<Record<string, unknown>> | undefined) ?? [];
  const repos = (config.repos as Array<Record<string, unknown>> | undefined) ?? [];
  const plan = plans[0];
  const repo = repos[0];
  switch (rng.int(8)) {
    case 0: if (plan) plan.schedule = schedule(rng); break;
    case 1: if (plan) plan.paths = [hostilePath(rng, world)]; break;
    case 2: if (repo) repo.uri = repoUri(rng, world); break;
    case 3: if (plan) plan.repo = rng.pick(['nao-existe', world.repoId, '']); break;
    case 4: config.extra = deepNest(rng.pick([10, 100, 1000, 3000, 20_000])); break;
    case 5: if (plan) plan.id = rng.pick(['../x', 'a b', '', 'ç']); break;
    case 6: config.repos = [...repos, ...repos]; break; // duplicate ids
    default: if (plan) plan.retention = { policyKeepLastN: rng.pick([-1, 1.5, 2 ** 53]) };
  }
  return config;
}

function backrestContent(rng: Rng, world: FuzzWorld): string {
  return rng.pick([
    () => '{}',
    () => '{"version": 6}',
    () => '{"version": 6, "instance": "x", "repos": [{"id": "r", "uri": "javascript:alert(1)", "password": "p"}], "plans": [{"id": "p", "repo": "nao", "paths": ["/"]}]}',
    () => `{"version": 6, "instance": "x", "plans": [{"id": "p", "repo": "r", "schedule": {"cron": "${cronExpression(rng).replaceAll('\\', '').replaceAll('"', '')}"}}]}`,
    () => '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "version": 6, "instance": "x"}',
    () => `{"version": 6, "instance": "x", "extra": ${deepNestText(rng.pick([100, 1000, 50_000]))}}`,
    () => '['.repeat(100_000),
    () => '{"version": 6, "instance": "x"'.repeat(3),
    () => `{"version": 6, "instance": "${'i'.repeat(200)}"}`,
    () => JSON.stringify({ version: 6, instance: 'x', repos: [{ id: 'r', uri: `local:${world.canary}/novo`, password: 'p' }] }),
    () => '\u0000\u0001',
    () => 'null',
  ])();
}

/** Values that stand in for any field: the type confusions and boundaries. */
export function confusedValue(rng: Rng): unknown {
  switch (rng.int(14)) {
    case 0: return null;
    case 1: return rng.pick([true, false]);
    case 2: return rng.pick(numbers);
    case 3: return rng.pick(numbers) * -1;
    case 4: return rng.pick(nanLike);
    case 5: return rng.chance(0.1) ? huge() : 'x'.repeat(rng.pick([129, 513, 1025, 4097, 65_536]));
    case 6: return [];
    case 7: return {};
    case 8: return deepNest(rng.pick([50, 1000, 20_000]));
    case 9: return JSON.parse('{"__proto__": {"admin": true, "technician": true}}');
    case 10: return rng.pick(['', ' ', '\u0000', '\uFEFF', '\uD800', 'ação'.normalize('NFD'), '\n', '<script>', "'; --"]);
    case 11: return [rng.pick(nanLike), 1, null];
    case 12: return { length: 1, 0: 'x' };
    default: return rng.pick(['planId', 'snapshotId', 'deadbeef', 'abcdef0123456789', 'docs', 'local']);
  }
}

/** Breaks one to three things in a valid input, recursively, keeping the rest plausible. */
export function mutate(input: unknown, rng: Rng): unknown {
  const roll = rng.int(20);
  if (roll === 0) return confusedValue(rng); // the whole body has the wrong type
  if (roll === 1) return rng.pick([[input], 'string', 42, null, true]);
  let value = structuredCloneSafe(input);
  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i += 1) value = mutateOnce(value, rng);
  return value;
}

function mutateOnce(value: unknown, rng: Rng): unknown {
  if (value === null || typeof value !== 'object') return rng.chance(0.8) ? confusedValue(rng) : value;
  const container = value as Record<string, unknown>;
  const keys = Object.keys(container);
  const action = rng.int(10);
  if (action === 0 || keys.length === 0) {
    // An extra key: unknown names, prototype names, or a near miss of a real one.
    const key = rng.chance(0.5) ? rng.pick(prototypeKeys) : rng.pick(['extra', 'planid', 'PlanId', ' planId', 'planId\u0000', 'path ', '$where', 'password']);
    Object.defineProperty(container, key, { value: confusedValue(rng), enumerable: true, configurable: true, writable: true });
    return container;
  }
  const key = rng.pick(keys);
  if (action === 1) {
    delete container[key];
    return container;
  }
  if (action <= 4 && container[key] !== null && typeof container[key] === 'object') {
    container[key] = mutateOnce(container[key], rng);
    return container;
  }
  container[key] = confusedValue(rng);
  return container;
}

function structuredCloneSafe(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/** Text a user must never see in an error: stack frames and source locations. */
export function leaksInternals(text: string): boolean {
  return /\n\s+at |^\s+at |\.ts:\d|\.js:\d|node_modules|TypeError|ReferenceError|RangeError|SyntaxError: /m.test(text);
}
