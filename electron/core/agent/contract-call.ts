// The contract's boundary inside the core: a face's untrusted method name and input become a
// parsed input for the method's handler, after the access check; every failure comes back as a
// translated error payload with secrets masked, never as an exception with a stack.
import { api, isApiMethod, type ApiMethod, type ApiOutput, type ApiParsedInput, type ApiResult, type SessionRef } from '../api.js';
import { problemToField, zodIssuesToProblems } from '../config/field-problems.js';
import { CofreError, toErrorPayload } from '../errors.js';
import type { Locale } from '../i18n/index.js';
import { exceedsJsonLimits } from '../json-limits.js';
import type { Handlers, LogPort } from './ports.js';

export interface CallContext {
  locale: Locale;
  log: Pick<LogPort, 'error' | 'scrub'>;
  isTechnician(session: SessionRef): boolean;
}

export async function callContract(handlers: Handlers, method: string, input: unknown, session: SessionRef, ctx: CallContext): Promise<ApiResult<unknown>> {
  const { locale, log } = ctx;
  if (!isApiMethod(method)) {
    return { ok: false, error: new CofreError('error.notFound', { params: { what: String(method).slice(0, 100) } }).toPayload(locale) };
  }
  const def = api[method];
  const invalid = (details: string) => ({ ok: false as const, error: new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details } }).toPayload(locale) });
  if (exceedsJsonLimits(input)) return invalid('nesting');
  let parsed: ReturnType<typeof def.input.safeParse>;
  try {
    parsed = def.input.safeParse(input ?? {});
  } catch {
    // Hostile objects (a `length` that cannot become a number, getters that throw) can make a
    // schema check throw instead of reporting an issue: still just invalid input.
    return invalid(method);
  }
  if (!parsed.success) {
    const fields = zodIssuesToProblems(parsed.error, input).map((problem) => problemToField(problem, locale));
    const details = fields.slice(0, 3).map((f) => `${f.path}: ${f.message}`).join('; ');
    return { ok: false, error: new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details }, fields }).toPayload(locale) };
  }
  try {
    if (def.access === 'technician' && !ctx.isTechnician(session)) throw new CofreError('error.technicianRequired');
    // One handler per method, keyed by the same name: the map's type guarantees the pairing.
    const handler = handlers[method] as (input: ApiParsedInput<ApiMethod>, session: SessionRef) => Promise<ApiOutput<ApiMethod>>;
    const value = await handler(parsed.data as ApiParsedInput<ApiMethod>, session);
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof CofreError)) log.error(`${method}: ${describeUnexpected(error)}`);
    const payload = toErrorPayload(error, locale);
    if (payload.detail) payload.detail = log.scrub(payload.detail);
    payload.message = log.scrub(payload.message);
    return { ok: false, error: payload };
  }
}

export function describeUnexpected(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
