// A small interpreter for the Go text/template subset that Backrest hook templates use:
// `{{ .Field.Sub }}`, method calls with arguments (`{{ .FormatTime .CurTime }}`), pipelines
// (`{{ .Error | ShellEscape }}` style, value passed as last argument), `if / else if / else / end`,
// `range` and `with` (rebinding the dot), `$` for the root, comments, `{{-`/`-}}` trimming, and the
// builtins and/or/not/eq/ne/lt/le/gt/ge/len/index/print/printf/println.
// Unknown fields and functions render as empty text instead of failing: a hook written for a newer
// Backrest must still send its notification. Only malformed syntax is an error.

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Term =
  | { t: 'field'; base: 'dot' | 'root'; path: string[] }
  | { t: 'ident'; name: string }
  | { t: 'lit'; value: unknown }
  | { t: 'sub'; pipeline: Pipeline };
type Command = Term[];
type Pipeline = Command[];

type Node =
  | { t: 'text'; text: string }
  | { t: 'out'; pipeline: Pipeline }
  | { t: 'if'; branches: Array<{ cond: Pipeline; body: Node[] }>; otherwise: Node[] }
  | { t: 'range' | 'with'; pipeline: Pipeline; body: Node[]; otherwise: Node[] };

const maxTemplateLength = 64 * 1024;
const maxOutputLength = 256 * 1024;

// ---------------------------------------------------------------- lexing

interface Action {
  kind: 'text' | 'action';
  text: string;
}

function splitActions(source: string): Action[] {
  const parts: Action[] = [];
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    if (open === -1) {
      parts.push({ kind: 'text', text: source.slice(pos) });
      break;
    }
    let text = source.slice(pos, open);
    let inner = open + 2;
    if (source.startsWith('- ', inner) || source.startsWith('-\t', inner) || source.startsWith('-\n', inner)) {
      text = text.replace(/\s+$/, '');
      inner += 1;
    }
    if (text) parts.push({ kind: 'text', text });
    const close = findClose(source, inner);
    if (close === -1) throw new TemplateError('unclosed action: missing "}}"');
    let body = source.slice(inner, close);
    pos = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      const rest = source.slice(pos);
      pos += rest.length - rest.replace(/^\s+/, '').length;
    }
    parts.push({ kind: 'action', text: body.trim() });
  }
  return parts;
}

/** Finds the `}}` that ends an action, skipping string literals that may contain braces. */
function findClose(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '"' || ch === '`') {
      const quote = ch;
      i += 1;
      while (i < source.length && source[i] !== quote) i += quote === '"' && source[i] === '\\' ? 2 : 1;
      i += 1;
      continue;
    }
    if (ch === '}' && source[i + 1] === '}') return i;
    i += 1;
  }
  return -1;
}

type Token =
  | { k: 'field'; base: 'dot' | 'root'; path: string[] }
  | { k: 'ident'; name: string }
  | { k: 'lit'; value: unknown }
  | { k: '(' | ')' | '|' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const identAt = (from: number) => /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(from))?.[0] ?? '';
  const readPath = (from: number): { path: string[]; end: number } => {
    const path: string[] = [];
    let j = from;
    while (text[j] === '.') {
      const name = identAt(j + 1);
      if (!name) {
        j += 1;
        break;
      }
      path.push(name);
      j += 1 + name.length;
    }
    return { path, end: j };
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === '|') {
      tokens.push({ k: ch });
      i += 1;
    } else if (ch === '.') {
      const { path, end } = readPath(i);
      tokens.push({ k: 'field', base: 'dot', path });
      i = end;
    } else if (ch === '$') {
      if (identAt(i + 1)) throw new TemplateError('template variables other than $ are not supported');
      const { path, end } = readPath(i + 1);
      tokens.push({ k: 'field', base: 'root', path });
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw new TemplateError('unterminated string literal');
      tokens.push({ k: 'lit', value: JSON.parse(text.slice(i, j + 1).replace(/\\'/g, "'")) as string });
      i = j + 1;
    } else if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end === -1) throw new TemplateError('unterminated raw string');
      tokens.push({ k: 'lit', value: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[-+0-9]/.test(ch)) {
      const num = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i))?.[0];
      if (!num) throw new TemplateError(`unexpected "${ch}"`);
      tokens.push({ k: 'lit', value: Number(num) });
      i += num.length;
    } else {
      const name = identAt(i);
      if (!name) throw new TemplateError(`unexpected "${ch}"`);
      if (name === 'true' || name === 'false') tokens.push({ k: 'lit', value: name === 'true' });
      else if (name === 'nil') tokens.push({ k: 'lit', value: undefined });
      else tokens.push({ k: 'ident', name });
      i += name.length;
    }
  }
  return tokens;
}

// ---------------------------------------------------------------- parsing

function parsePipeline(tokens: Token[]): Pipeline {
  let pos = 0;
  const pipeline = (): Pipeline => {
    const commands: Pipeline = [];
    let current: Command = [];
    while (pos < tokens.length) {
      const token = tokens[pos]!;
      if (token.k === ')') break;
      pos += 1;
      if (token.k === '|') {
        if (current.length === 0) throw new TemplateError('missing command before "|"');
        commands.push(current);
        current = [];
      } else if (token.k === '(') {
        const inner = pipeline();
        if (tokens[pos]?.k !== ')') throw new TemplateError('unclosed "("');
        pos += 1;
        current.push({ t: 'sub', pipeline: inner });
      } else if (token.k === 'field') {
        current.push({ t: 'field', base: token.base, path: token.path });
      } else if (token.k === 'ident') {
        current.push({ t: 'ident', name: token.name });
      } else if (token.k === 'lit') {
        current.push({ t: 'lit', value: token.value });
      }
    }
    if (current.length === 0) throw new TemplateError('missing value in action');
    commands.push(current);
    return commands;
  };
  const result = pipeline();
  if (pos !== tokens.length) throw new TemplateError('unexpected ")"');
  return result;
}

interface Cursor {
  parts: Action[];
  pos: number;
}

const blockKeywords = /^(if|range|with|else|end|define|template|block)\b/;

/** Parses nodes until one of `stops` (an `else...` or `end`) and returns which one stopped it. */
function parseNodes(cursor: Cursor, stops: boolean): { nodes: Node[]; stop?: string } {
  const nodes: Node[] = [];
  while (cursor.pos < cursor.parts.length) {
    const part = cursor.parts[cursor.pos]!;
    cursor.pos += 1;
    if (part.kind === 'text') {
      nodes.push({ t: 'text', text: part.text });
      continue;
    }
    const text = part.text;
    if (text.startsWith('/*')) {
      if (!text.endsWith('*/')) throw new TemplateError('unclosed comment');
      continue;
    }
    const keyword = blockKeywords.exec(text)?.[1];
    if (keyword === 'end' || keyword === 'else') {
      if (!stops) throw new TemplateError(`unexpected {{${keyword}}}`);
      return { nodes, stop: text };
    }
    if (keyword === 'if') {
      nodes.push(parseIf(cursor, text.slice(2)));
    } else if (keyword === 'range' || keyword === 'with') {
      const pipeline = parsePipeline(tokenize(text.slice(keyword.length)));
      const body = parseNodes(cursor, true);
      let otherwise: Node[] = [];
      if (body.stop && body.stop !== 'end') {
        if (body.stop !== 'else') throw new TemplateError(`{{${body.stop}}} is not supported inside ${keyword}`);
        const rest = parseNodes(cursor, true);
        if (rest.stop !== 'end') throw new TemplateError(`missing {{end}} for ${keyword}`);
        otherwise = rest.nodes;
      } else if (!body.stop) {
        throw new TemplateError(`missing {{end}} for ${keyword}`);
      }
      nodes.push({ t: keyword, pipeline, body: body.nodes, otherwise });
    } else if (keyword) {
      throw new TemplateError(`{{${keyword}}} is not supported`);
    } else {
      nodes.push({ t: 'out', pipeline: parsePipeline(tokenize(text)) });
    }
  }
  return { nodes };
}

function parseIf(cursor: Cursor, condText: string): Node {
  const branches: Array<{ cond: Pipeline; body: Node[] }> = [];
  let cond = parsePipeline(tokenize(condText));
  for (;;) {
    const body = parseNodes(cursor, true);
    branches.push({ cond, body: body.nodes });
    if (!body.stop) throw new TemplateError('missing {{end}} for if');
    if (body.stop === 'end') return { t: 'if', branches, otherwise: [] };
    const elseIf = /^else\s+if\b(.*)$/s.exec(body.stop);
    if (elseIf) {
      cond = parsePipeline(tokenize(elseIf[1]!));
      continue;
    }
    if (body.stop !== 'else') throw new TemplateError(`{{${body.stop}}} is not supported`);
    const rest = parseNodes(cursor, true);
    if (rest.stop !== 'end') throw new TemplateError('missing {{end}} for if');
    return { t: 'if', branches, otherwise: rest.nodes };
  }
}

export function parseTemplate(source: string): Node[] {
  if (source.length > maxTemplateLength) throw new TemplateError('template too long');
  const cursor: Cursor = { parts: splitActions(source), pos: 0 };
  return parseNodes(cursor, false).nodes;
}

// ---------------------------------------------------------------- evaluation

const normalise = (name: string) => name.toLowerCase().replace(/_/g, '');

/** Field lookup that also accepts `data_added` for `DataAdded` (restic JSON vs Go names). */
function lookup(value: unknown, name: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' && typeof value !== 'function') return undefined;
  const record = value as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, name)) return record[name];
  const wanted = normalise(name);
  for (const key of Object.keys(record)) if (normalise(key) === wanted) return record[key];
  return undefined;
}

function resolvePath(start: unknown, path: string[], args: unknown[] | undefined): unknown {
  let value = start;
  for (let i = 0; i < path.length; i += 1) {
    value = lookup(value, path[i]!);
    if (typeof value === 'function') {
      const last = i === path.length - 1;
      value = safeCall(value as (...a: unknown[]) => unknown, last && args ? args : []);
    }
  }
  return value;
}

function safeCall(fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  try {
    return fn(...args);
  } catch {
    return undefined;
  }
}

export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Date) return true;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Like Go's fmt.Sprint for the value types templates meet. */
export function printValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (typeof value === 'function') return '';
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return printValue(a) < printValue(b) ? -1 : printValue(a) > printValue(b) ? 1 : 0;
}

function sprintf(format: unknown, args: unknown[]): string {
  let i = 0;
  return printValue(format).replace(/%([-+ 0#]*\d*(?:\.\d+)?)([svdqftx%])/g, (_whole, flags: string, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    switch (verb) {
      case 'd':
        return String(Math.trunc(Number(arg)));
      case 'f': {
        const precision = /\.(\d+)/.exec(flags)?.[1];
        return Number(arg).toFixed(precision ? Number(precision) : 6);
      }
      case 'q':
        return JSON.stringify(printValue(arg));
      case 'x':
        return typeof arg === 'number' ? arg.toString(16) : Buffer.from(printValue(arg)).toString('hex');
      default:
        return printValue(arg);
    }
  });
}

const builtins: Record<string, (...args: unknown[]) => unknown> = {
  and: (...args) => {
    for (const arg of args) if (!isTruthy(arg)) return arg;
    return args.at(-1);
  },
  or: (...args) => {
    for (const arg of args) if (isTruthy(arg)) return arg;
    return args.at(-1);
  },
  not: (arg) => !isTruthy(arg),
  eq: (a, ...others) => others.some((b) => a === b || (a !== undefined && b !== undefined && printValue(a) === printValue(b) && typeof a === typeof b)),
  ne: (a, b) => !(a === b || (typeof a === typeof b && printValue(a) === printValue(b))),
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  len: (a) => (typeof a === 'string' || Array.isArray(a) ? a.length : a && typeof a === 'object' ? Object.keys(a).length : 0),
  index: (a, ...keys) => keys.reduce<unknown>((v, k) => (Array.isArray(v) ? v[Number(k)] : lookup(v, printValue(k))), a),
  print: (...args) => args.map(printValue).join(''),
  println: (...args) => `${args.map(printValue).join(' ')}\n`,
  printf: (format, ...args) => sprintf(format, args),
};

interface Scope {
  dot: unknown;
  root: unknown;
}

function evalTerm(term: Term, scope: Scope): unknown {
  switch (term.t) {
    case 'lit':
      return term.value;
    case 'sub':
      return evalPipeline(term.pipeline, scope);
    case 'field':
      return resolvePath(term.base === 'root' ? scope.root : scope.dot, term.path, undefined);
    case 'ident':
      return callIdent(term.name, [], scope);
  }
}

function callIdent(name: string, args: unknown[], scope: Scope): unknown {
  const builtin = builtins[name];
  if (builtin) return safeCall(builtin, args);
  // Go templates only call FuncMap functions by bare name; accepting the root's methods too lets
  // `{{ .Error | ShellEscape }}` work as people expect.
  const method = lookup(scope.root, name);
  return typeof method === 'function' ? safeCall(method as (...a: unknown[]) => unknown, args) : undefined;
}

function evalCommand(command: Command, scope: Scope, piped: unknown[]): unknown {
  const [head, ...rest] = command;
  if (!head) return undefined;
  const args = () => [...rest.map((term) => evalTerm(term, scope)), ...piped];
  if (head.t === 'ident') return callIdent(head.name, args(), scope);
  if (head.t === 'field') {
    if (rest.length === 0 && piped.length === 0) return evalTerm(head, scope);
    return resolvePath(head.base === 'root' ? scope.root : scope.dot, head.path, args());
  }
  return evalTerm(head, scope);
}

function evalPipeline(pipeline: Pipeline, scope: Scope): unknown {
  let value: unknown;
  pipeline.forEach((command, i) => {
    value = evalCommand(command, scope, i === 0 ? [] : [value]);
  });
  return value;
}

function renderNodes(nodes: Node[], scope: Scope, out: string[]): void {
  for (const node of nodes) {
    if (out.length > 0 && out.reduce((n, s) => n + s.length, 0) > maxOutputLength) return;
    switch (node.t) {
      case 'text':
        out.push(node.text);
        break;
      case 'out':
        out.push(printValue(evalPipeline(node.pipeline, scope)));
        break;
      case 'if': {
        const branch = node.branches.find((b) => isTruthy(evalPipeline(b.cond, scope)));
        renderNodes(branch ? branch.body : node.otherwise, scope, out);
        break;
      }
      case 'with': {
        const value = evalPipeline(node.pipeline, scope);
        if (isTruthy(value)) renderNodes(node.body, { dot: value, root: scope.root }, out);
        else renderNodes(node.otherwise, scope, out);
        break;
      }
      case 'range': {
        const value = evalPipeline(node.pipeline, scope);
        const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
        if (items.length === 0) renderNodes(node.otherwise, scope, out);
        for (const item of items) renderNodes(node.body, { dot: item, root: scope.root }, out);
        break;
      }
    }
  }
}

/** Renders `source` against `data`. Throws TemplateError only for malformed syntax. */
export function renderTemplate(source: string, data: unknown): string {
  const nodes = parseTemplate(source);
  const out: string[] = [];
  renderNodes(nodes, { dot: data, root: data }, out);
  return out.join('').slice(0, maxOutputLength);
}
