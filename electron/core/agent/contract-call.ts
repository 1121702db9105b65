// The contract's boundary inside the core: a face's untrusted method name and input become a
// parsed input for the method's handler, after the access check; every failure comes back as a
// translated error payload with secrets masked, never as an exception with a stack.
import { api, isApiMethod, type ApiMethod, type ApiOutput, type ApiParsedInput, type ApiResult, type SessionRef } from '../api.js';
import { problemToField, zodIssuesToProblems } from '../config/field-problems.js';
import { CofreError, toErrorPayload, type FieldProblem } from '../errors.js';
import { t, type Locale } from '../i18n/index.js';
import { maxReportedProblems, requestExcess } from '../json-limits.js';
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
  // The same budget as the HTTP face, before any schema work (IPC hands over objects already built).
  const excess = requestExcess(input);
  if (excess) return { ok: false, error: new CofreError(excessMessage[excess.limit], { cause: 'invalid-input', params: { max: excess.max } }).toPayload(locale) };
  let parsed: ReturnType<typeof def.input.safeParse>;
  try {
    parsed = def.input.safeParse(input ?? {});
  } catch {
    // Hostile objects (a `length` that cannot become a number, getters that throw) can make a
    // schema check throw instead of reporting an issue: still just invalid input.
    return invalid(method);
  }
  if (!parsed.success) {
    const fields = cappedFields(zodIssuesToProblems(parsed.error, input), (problem) => problemToField(problem, locale), locale);
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

const excessMessage = { values: 'limits.tooManyValues', depth: 'limits.tooDeep', bytes: 'limits.tooLarge' } as const;

/** At most `maxReportedProblems` entries, the last saying how many more there were (no 27 MB error). */
function cappedFields<P>(problems: P[], toField: (problem: P) => FieldProblem, locale: Locale): FieldProblem[] {
  if (problems.length <= maxReportedProblems) return problems.map(toField);
  const shown = problems.slice(0, maxReportedProblems - 1).map(toField);
  const rest = problems.length - shown.length;
  return [...shown, { path: '', message: t(rest === 1 ? 'server.moreProblems.one' : 'server.moreProblems.other', { count: rest }, locale) }];
}
