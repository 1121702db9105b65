// Runs the hooks that match an event. Hooks never block or fail the operation they belong to:
// every action has a deadline, every error is caught, and failures go to `record` (the agent
// writes them to history) with secrets masked. Hooks run one after another in configuration order,
// as in Backrest, so a "start" command (e.g. a database dump) finishes before the backup begins.
import type { Hook, HookCondition } from '../config/backrest-schema.js';
import { t, type Locale, type MessageKey, type MessageParams } from '../i18n/index.js';
import {
  HookActionFailure,
  runCommandAction,
  runDiscordAction,
  runGotifyAction,
  runHealthchecksAction,
  runSlackAction,
  runWebhookAction,
  type ActionContext,
  type ActionResult,
} from './actions.js';
import { processSecrets } from '../process-secrets.js';
import { matchingHooks } from './conditions.js';
import { stripUriCredentials, templateData, type HookEvent } from './vars.js';

export const supportedActions = ['actionCommand', 'actionWebhook', 'actionHealthchecks', 'actionDiscord', 'actionSlack', 'actionGotify'] as const;
export type HookActionName = (typeof supportedActions)[number] | 'actionShoutrrr' | 'actionTelegram' | (string & {});

export interface HookRunResult {
  /** Position of the hook in the list passed to runHooks. */
  index: number;
  action: HookActionName | undefined;
  condition: HookCondition;
  status: 'success' | 'failure' | 'unsupported';
  durationMs: number;
  /** Where it went, safe to show: shell name or URL origin. */
  target?: string;
  /** Translated, redacted reason for failure/unsupported. */
  message?: string;
  code?: MessageKey;
  params?: MessageParams;
  /** Redacted technical detail (command output tail). */
  detail?: string;
  /** Command output on success (redacted, truncated). */
  output?: string;
  /** Backrest's onError setting, passed on for the caller; Cofre never fails a backup because of a hook. */
  onError?: string;
}

export interface RunHooksOptions {
  log?: (line: string) => void;
  /** Called for every hook that failed or was skipped as unsupported. */
  record?: (result: HookRunResult) => void;
  locale?: Locale;
  /** Values to mask wherever they might appear (repository password, REST password, secret env values). */
  secrets?: readonly string[];
  /** Aborts running hooks (e.g. when the app quits). */
  signal?: AbortSignal;
  commandTimeoutMs?: number;
  httpTimeoutMs?: number;
  outputLimit?: number;
  fetch?: typeof fetch;
}

export type HookVars = Omit<HookEvent, 'condition'>;

export function actionOf(hook: Hook): HookActionName | undefined {
  const record = hook as Record<string, unknown>;
  return Object.keys(record).find((key) => key.startsWith('action') && record[key] !== undefined && record[key] !== null);
}

/** Secret-bearing parts of a hook: webhook URLs (their path is the credential) and tokens. */
function hookSecrets(hook: Hook): string[] {
  const secrets: string[] = [];
  const addUrl = (raw: string | undefined) => {
    if (!raw) return;
    secrets.push(raw);
    try {
      const url = new URL(raw);
      if (url.password) secrets.push(decodeURIComponent(url.password), url.password);
      const rest = `${url.pathname}${url.search}`;
      if (rest.length > 1) secrets.push(rest);
    } catch {
      // not a URL: nothing more to mask
    }
  };
  addUrl(hook.actionWebhook?.webhookUrl);
  addUrl(hook.actionDiscord?.webhookUrl);
  addUrl(hook.actionSlack?.webhookUrl);
  addUrl(hook.actionHealthchecks?.webhookUrl);
  addUrl(hook.actionShoutrrr?.shoutrrrUrl);
  if (hook.actionGotify?.token) secrets.push(hook.actionGotify.token);
  if (hook.actionTelegram?.botToken) secrets.push(hook.actionTelegram.botToken);
  return secrets;
}

export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  return stripUriCredentials(result);
}

function runAction(hook: Hook, action: HookActionName, ctx: ActionContext): Promise<ActionResult> | undefined {
  switch (action) {
    case 'actionCommand':
      return hook.actionCommand ? runCommandAction(hook.actionCommand.command, ctx) : undefined;
    case 'actionWebhook':
      return hook.actionWebhook ? runWebhookAction(hook.actionWebhook, ctx) : undefined;
    case 'actionHealthchecks':
      return hook.actionHealthchecks ? runHealthchecksAction(hook.actionHealthchecks, ctx) : undefined;
    case 'actionDiscord':
      return hook.actionDiscord ? runDiscordAction(hook.actionDiscord, ctx) : undefined;
    case 'actionSlack':
      return hook.actionSlack ? runSlackAction(hook.actionSlack, ctx) : undefined;
    case 'actionGotify':
      return hook.actionGotify ? runGotifyAction(hook.actionGotify, ctx) : undefined;
    default:
      return undefined;
  }
}

export async function runHooks(
  hooks: readonly Hook[] | undefined,
  condition: HookCondition,
  vars: HookVars,
  options: RunHooksOptions = {},
): Promise<HookRunResult[]> {
  const selected = (hooks ?? []).map((hook, index) => ({ hook, index })).filter(({ hook }) => matchingHooks([hook], condition).length > 0);
  if (selected.length === 0) return [];
  const event: HookEvent = { ...vars, condition };
  const data = templateData(event, options.locale);
  const signal = options.signal ?? new AbortController().signal;
  const results: HookRunResult[] = [];

  for (const { hook, index } of selected) {
    const secrets = [...(options.secrets ?? []), ...processSecrets(), ...hookSecrets(hook)];
    const clean = (text: string) => redact(text, secrets);
    const action = actionOf(hook);
    const started = Date.now();
    const base = { index, action, condition, ...(hook.onError ? { onError: hook.onError } : {}) };
    const translate = (key: MessageKey, params: MessageParams = {}) => {
      const safeParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? clean(v) : v]));
      return { code: key, params: safeParams, message: clean(t(key, safeParams, options.locale)) };
    };

    let result: HookRunResult;
    try {
      const running = action ? runAction(hook, action, {
        event,
        data,
        signal,
        commandTimeoutMs: options.commandTimeoutMs ?? 60_000,
        httpTimeoutMs: options.httpTimeoutMs ?? 10_000,
        outputLimit: options.outputLimit ?? 4000,
        fetch: options.fetch ?? globalThis.fetch,
      }) : undefined;
      if (!running) {
        result = {
          ...base,
          status: 'unsupported',
          durationMs: 0,
          ...translate(action ? 'hooks.unsupported' : 'hooks.noAction', { action: action ?? '' }),
        };
      } else {
        const done = await running;
        result = {
          ...base,
          status: 'success',
          durationMs: Date.now() - started,
          ...(done.target ? { target: clean(done.target) } : {}),
          ...(done.output ? { output: clean(done.output) } : {}),
        };
      }
    } catch (error) {
      const failure = error instanceof HookActionFailure ? error : new HookActionFailure('hooks.failed.start', { reason: 'internal error' });
      result = {
        ...base,
        status: 'failure',
        durationMs: Date.now() - started,
        ...translate(failure.key, failure.params),
        ...(failure.detail ? { detail: clean(failure.detail) } : {}),
      };
    }

    results.push(result);
    try {
      options.log?.(`hook #${index} ${action ?? '(none)'} on ${condition}: ${result.status}${result.message ? ` - ${result.message}` : ''}`);
      if (result.status !== 'success') options.record?.(result);
    } catch {
      // A broken logger must not turn a hook problem into a backup problem.
    }
  }
  return results;
}
