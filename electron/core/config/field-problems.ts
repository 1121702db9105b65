// Turns zod issues into FieldProblems a person can act on: the JSON path of the field
// (`plans[1].repo`) and what is wrong with it, in the user's language. Schemas may use a message
// key (e.g. 'config.problem.id') as a custom message; it is translated here.
import type { z } from 'zod';
import type { FieldProblem } from '../errors.js';
import { hasMessage, t, type Locale, type MessageKey, type MessageParams } from '../i18n/index.js';

export type PathSegment = string | number;

/** `['plans', 1, 'repo']` -> `plans[1].repo`; odd keys are quoted: `env["a b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out || '$';
}

export interface Problem {
  path: readonly PropertyKey[];
  key: MessageKey;
  params?: MessageParams;
  /** Params that are themselves message keys, translated in the same locale as the problem. */
  keyParams?: Record<string, MessageKey>;
}

export function problemToField(problem: Problem, locale?: Locale): FieldProblem {
  const params: MessageParams = { ...problem.params };
  for (const [name, key] of Object.entries(problem.keyParams ?? {})) params[name] = t(key, undefined, locale);
  return { path: formatPath(problem.path), message: t(problem.key, params, locale) };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const typeKeys: Record<string, MessageKey> = {
  string: 'config.type.string',
  number: 'config.type.number',
  int: 'config.type.integer',
  boolean: 'config.type.boolean',
  array: 'config.type.array',
  object: 'config.type.object',
};

function describeValues(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

type Issue = z.core.$ZodIssue;

function issueToProblem(issue: Issue, input: unknown, basePath: readonly PropertyKey[] = []): Problem {
  const path = [...basePath, ...issue.path];
  if (hasMessage(issue.message)) return { path, key: issue.message };
  switch (issue.code) {
    case 'invalid_type': {
      if (valueAt(input, path) === undefined) return { path, key: 'config.problem.required' };
      if (issue.expected === 'int') return { path, key: 'config.problem.integer' };
      return { path, key: 'config.problem.type', keyParams: { expected: typeKeys[issue.expected] ?? 'config.type.other' } };
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? { path, key: 'config.problem.literal', params: { value: describeValues(issue.values) } }
        : { path, key: 'config.problem.enum', params: { values: describeValues(issue.values) } };
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? { path, key: 'config.problem.notEmpty' } : { path, key: 'config.problem.minLength', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { path, key: 'config.problem.minItems', params: { min } };
      return { path, key: issue.inclusive === false ? 'config.problem.greaterThan' : 'config.problem.min', params: { min } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { path, key: 'config.problem.maxLength', params: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { path, key: 'config.problem.maxItems', params: { max } };
      return { path, key: issue.inclusive === false ? 'config.problem.lessThan' : 'config.problem.max', params: { max } };
    }
    case 'invalid_format':
      return { path, key: 'config.problem.format' };
    case 'unrecognized_keys':
      return { path: [...path, issue.keys[0] ?? ''], key: 'config.problem.unknownKey' };
    case 'invalid_union': {
      // Report the branch that got furthest: a format problem says more than "wrong type".
      const branches = issue.errors.filter((b) => b.length > 0);
      const typeOnly = branches.every((b) => b.every((i) => i.code === 'invalid_type'));
      if (typeOnly && branches.some((b) => b.some((i) => i.code === 'invalid_type' && i.expected === 'number'))) {
        if (valueAt(input, path) === undefined) return { path, key: 'config.problem.required' };
        return { path, key: 'config.problem.integer' };
      }
      const telling = branches.find((b) => b.every((i) => i.code !== 'invalid_type')) ?? branches[0];
      const first = telling?.[0];
      return first ? issueToProblem(first, input, path) : { path, key: 'config.problem.invalid' };
    }
    default:
      return { path, key: 'config.problem.invalid' };
  }
}

/** One problem per field (the first zod found: "must not be empty" rather than also "bad format"). */
export function zodIssuesToProblems(error: z.ZodError, input: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (problem: Problem) => {
    const at = formatPath(problem.path);
    if (seen.has(at)) return;
    seen.add(at);
    problems.push(problem);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add({ path: [...issue.path, key], key: 'config.problem.unknownKey' });
    } else add(issueToProblem(issue, input));
  }
  return problems;
}

/** "plans[1].repo: is required; repos[0].uri: ..." for the one-line summary of an error. */
export function summarizeFields(fields: readonly FieldProblem[], locale?: Locale, limit = 5): string {
  const shown = fields.slice(0, limit).map((f) => t('error.invalidField', { path: f.path, problem: f.message }, locale));
  if (fields.length > limit) shown.push('…');
  return shown.join('; ');
}
