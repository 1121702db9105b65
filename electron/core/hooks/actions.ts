// The hook actions Cofre can perform. Each one renders its template, does its I/O within a bounded
// time, and either returns or throws HookActionFailure with a message key and redacted detail.
import { execa } from 'execa';
import type { MessageKey, MessageParams } from '../i18n/index.js';
import { renderTemplate, TemplateError } from './template.js';
import { hookEnvironment, type HookEvent } from './vars.js';

export class HookActionFailure extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    readonly detail?: string,
  ) {
    super(key);
    this.name = 'HookActionFailure';
  }
}

export interface ActionContext {
  event: HookEvent;
  data: Record<string, unknown>;
  signal: AbortSignal;
  commandTimeoutMs: number;
  httpTimeoutMs: number;
  /** Characters of command output kept (head and tail). */
  outputLimit: number;
  fetch: typeof fetch;
}

export interface ActionResult {
  /** Safe description of where the action went (shell name, or origin of a URL without its path). */
  target?: string;
  output?: string;
  status?: number;
}

export const defaultMessageTemplate = '{{ .Summary }}';
const defaultGotifyTitle = 'Cofre: {{ .EventName .Event }}';

export function render(template: string | undefined, data: Record<string, unknown>, fallback = defaultMessageTemplate): string {
  const source = template && template.trim() !== '' ? template : fallback;
  try {
    return renderTemplate(source, data);
  } catch (error) {
    if (error instanceof TemplateError) throw new HookActionFailure('hooks.failed.template', { reason: error.message });
    throw error;
  }
}

export function truncateMiddle(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const half = Math.floor(limit / 2);
  return `${text.slice(0, half)}\n[... ${text.length - limit} characters omitted ...]\n${text.slice(-half)}`;
}

// ---------------------------------------------------------------- command

const isWindows = process.platform === 'win32';

/** Backrest's rule: the script goes to the shell's stdin; a `#!` first line chooses the shell. */
export function chooseShell(script: string): { shell: string[]; body: string } {
  if (script.startsWith('#!')) {
    const newline = script.indexOf('\n');
    const line = script.slice(2, newline === -1 ? undefined : newline).trim();
    const shell = line.split(/\s+/).filter(Boolean);
    if (shell.length > 0) return { shell, body: newline === -1 ? '' : script.slice(newline + 1) };
  }
  return {
    shell: isWindows ? ['powershell', '-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '-'] : ['sh'],
    body: script,
  };
}

/**
 * What a command hook may see of the agent's environment: just enough to find programs, the
 * user's folders and the language. Everything else (COFRE_TECHNICIAN_PASSWORD, COFRE_SERVE_TOKEN,
 * RESTIC_*, cloud keys, whatever the user's session exports) stays out: a hook's output lands in a
 * history row that any end user can read. Backrest's hook variables are added by the caller.
 */
const passedThrough = isWindows
  ? ['PATH', 'PATHEXT', 'USERPROFILE', 'HOMEDRIVE', 'HOMEPATH', 'APPDATA', 'LOCALAPPDATA', 'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'TEMP', 'TMP', 'USERNAME', 'LANG']
  : ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'];

export function minimalEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const wanted = new Set(passedThrough.map((name) => name.toUpperCase()));
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    // Windows variable names are case-insensitive (Path, SystemRoot).
    if (value !== undefined && wanted.has(isWindows ? key.toUpperCase() : key)) result[key] = value;
  }
  return result;
}

export async function runCommandAction(command: string, ctx: ActionContext): Promise<ActionResult> {
  const script = render(command, ctx.data, '');
  const { shell, body } = chooseShell(script);
  const [file, ...args] = shell as [string, ...string[]];
  const subprocess = execa(file, args, {
    input: body,
    env: { ...minimalEnvironment(), ...hookEnvironment(ctx.event) },
    extendEnv: false,
    all: true,
    reject: false,
    stripFinalNewline: true,
    windowsHide: true,
    // Own process group, so a timeout also stops whatever the script started.
    detached: !isWindows,
    maxBuffer: 4 * 1024 * 1024,
  });

  let stoppedBy: 'timeout' | 'cancel' | undefined;
  const stop = (why: 'timeout' | 'cancel') => {
    if (stoppedBy) return;
    stoppedBy = why;
    killTree(subprocess.pid, 'SIGTERM', () => subprocess.kill('SIGTERM'));
    setTimeout(() => killTree(subprocess.pid, 'SIGKILL', () => subprocess.kill('SIGKILL')), 2000).unref();
  };
  const timer = setTimeout(() => stop('timeout'), ctx.commandTimeoutMs);
  const onAbort = () => stop('cancel');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();

  let result;
  try {
    result = await subprocess;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
  const output = truncateMiddle(String(result.all ?? ''), ctx.outputLimit);
  const target = file;
  if (stoppedBy === 'timeout') {
    throw new HookActionFailure('hooks.failed.timeout', { seconds: Math.round(ctx.commandTimeoutMs / 1000) }, output || undefined);
  }
  if (stoppedBy === 'cancel') throw new HookActionFailure('hooks.failed.cancelled', {}, output || undefined);
  if (result.exitCode === undefined) {
    const reason = (result as { code?: string }).code ?? 'spawn error';
    throw new HookActionFailure('hooks.failed.start', { reason: `${file}: ${reason}` });
  }
  if (result.exitCode !== 0) throw new HookActionFailure('hooks.failed.exitCode', { code: String(result.exitCode) }, output || undefined);
  return { target, output };
}

function killTree(pid: number | undefined, signal: NodeJS.Signals, fallback: () => void): void {
  if (pid === undefined) return;
  if (isWindows) return fallback();
  try {
    process.kill(-pid, signal);
  } catch {
    fallback();
  }
}

// ---------------------------------------------------------------- HTTP

interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new HookActionFailure('hooks.failed.badUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HookActionFailure('hooks.failed.badUrl');
  return url;
}

export async function sendHttp(request: HttpRequest, ctx: ActionContext): Promise<ActionResult> {
  const url = parseHttpUrl(request.url);
  // The path of a Slack/Discord/healthchecks URL is itself the secret: report only the origin.
  const target = url.origin;
  const headers: Record<string, string> = { 'user-agent': 'Cofre', ...request.headers };
  if (url.username || url.password) {
    // fetch refuses URLs with credentials; send them as Basic auth instead.
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  if (request.body !== undefined && request.contentType) headers['content-type'] = request.contentType;
  const timeout = AbortSignal.timeout(ctx.httpTimeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      method: request.method,
      headers,
      ...(request.method === 'POST' ? { body: request.body ?? '' } : {}),
      signal,
      redirect: 'follow',
    });
    // Read (and discard) the answer within the same deadline so the connection is released.
    await response.arrayBuffer();
  } catch (error) {
    if (ctx.signal.aborted) throw new HookActionFailure('hooks.failed.cancelled');
    if (timeout.aborted) throw new HookActionFailure('hooks.failed.timeout', { seconds: Math.round(ctx.httpTimeoutMs / 1000) });
    throw new HookActionFailure('hooks.failed.unreachable', { target, reason: networkReason(error) });
  }
  if (!response.ok) throw new HookActionFailure('hooks.failed.httpStatus', { target, status: String(response.status) });
  return { target, status: response.status };
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message.slice(0, 120);
  return 'network error';
}

function looksLikeJson(body: string): boolean {
  const trimmed = body.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

export function runWebhookAction(
  action: { webhookUrl: string; method?: string | undefined; template?: string | undefined },
  ctx: ActionContext,
): Promise<ActionResult> {
  const body = render(action.template, ctx.data);
  const method = action.method === 'GET' ? 'GET' : 'POST';
  return sendHttp(
    { url: action.webhookUrl, method, body, contentType: looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8' },
    ctx,
  );
}

/** healthchecks.io: plain ping on success, `/start` when a run begins, `/fail` on errors. */
export function healthchecksUrl(webhookUrl: string, condition: string): string {
  const suffix = condition.endsWith('_START') ? '/start' : condition.endsWith('_ERROR') ? '/fail' : '';
  if (!suffix) return webhookUrl;
  const url = parseHttpUrl(webhookUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${suffix}`;
  return url.toString();
}

export function runHealthchecksAction(action: { webhookUrl: string; template?: string | undefined }, ctx: ActionContext): Promise<ActionResult> {
  const body = render(action.template, ctx.data);
  return sendHttp(
    { url: healthchecksUrl(action.webhookUrl, ctx.event.condition), method: 'POST', body, contentType: 'text/plain; charset=utf-8' },
    ctx,
  );
}

export function runDiscordAction(action: { webhookUrl: string; template?: string | undefined }, ctx: ActionContext): Promise<ActionResult> {
  // Discord refuses messages over 2000 characters.
  const content = render(action.template, ctx.data).slice(0, 2000);
  return sendHttp({ url: action.webhookUrl, method: 'POST', body: JSON.stringify({ content }), contentType: 'application/json' }, ctx);
}

export function runSlackAction(action: { webhookUrl: string; template?: string | undefined }, ctx: ActionContext): Promise<ActionResult> {
  const text = render(action.template, ctx.data);
  return sendHttp({ url: action.webhookUrl, method: 'POST', body: JSON.stringify({ text }), contentType: 'application/json' }, ctx);
}

export function runGotifyAction(
  action: { baseUrl: string; token?: string | undefined; template?: string | undefined; titleTemplate?: string | undefined; priority?: number | undefined },
  ctx: ActionContext,
): Promise<ActionResult> {
  const message = render(action.template, ctx.data);
  const title = render(action.titleTemplate, ctx.data, defaultGotifyTitle);
  const base = action.baseUrl.trim().replace(/\/+$/, '');
  return sendHttp(
    {
      url: `${base}/message`,
      method: 'POST',
      body: JSON.stringify({ title, message, priority: action.priority ?? 5 }),
      contentType: 'application/json',
      // A header keeps the token out of the server's access log (Gotify accepts both).
      headers: action.token ? { 'x-gotify-key': action.token } : {},
    },
    ctx,
  );
}
