// The one error type that crosses every boundary (IPC, HTTP, CLI). It carries a message key, not
// text, so each face translates it into the user's language; `detail` holds already-redacted
// technical text for logs and the "details" disclosure in the UI.
import { t, type Locale, type MessageKey, type MessageParams } from './i18n/index.js';

export const failureCauses = [
  'no-repository',
  'wrong-password',
  'auth-refused',
  'server-unreachable',
  'tls-untrusted',
  'repo-locked',
  'append-only',
  'storage-full',
  /** The disk of this computer is full (a restore writing locally), not the server's storage. */
  'local-disk-full',
  'partial',
  'source-missing',
  'auth-missing',
  'auth-other-user',
  'cancelled',
  'invalid-input',
  'restic-missing',
  'unknown',
] as const;
export type FailureCause = (typeof failureCauses)[number];

/** Causes worth retrying automatically: the situation may fix itself. */
export const transientCauses: ReadonlySet<FailureCause> = new Set(['server-unreachable', 'repo-locked']);

export interface FieldProblem {
  path: string;
  message: string;
}

/** The serialisable form sent to every face. */
export interface ErrorPayload {
  code: string;
  message: string;
  action?: string;
  cause?: FailureCause;
  detail?: string;
  fields?: FieldProblem[];
}

export class CofreError extends Error {
  readonly code: MessageKey;
  readonly params: MessageParams | undefined;
  readonly failure: FailureCause | undefined;
  readonly detail: string | undefined;
  readonly fields: FieldProblem[] | undefined;

  constructor(
    code: MessageKey,
    options: { params?: MessageParams; cause?: FailureCause; detail?: string; fields?: FieldProblem[] } = {},
  ) {
    super(t(code, options.params, 'en'));
    this.name = 'CofreError';
    this.code = code;
    this.params = options.params;
    this.failure = options.cause;
    this.detail = options.detail;
    this.fields = options.fields;
  }

  static fromCause(cause: FailureCause, detail?: string): CofreError {
    return new CofreError(`cause.${cause}` as MessageKey, { cause, detail });
  }

  toPayload(locale?: Locale): ErrorPayload {
    const actionKey = (this.failure ? `cause.${this.failure}.action` : undefined) as MessageKey | undefined;
    return {
      code: this.code,
      message: t(this.code, this.params, locale),
      ...(actionKey ? { action: t(actionKey, undefined, locale) } : {}),
      ...(this.failure ? { cause: this.failure } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.fields ? { fields: this.fields } : {}),
    };
  }
}

/** Any thrown value as a payload; unexpected errors never leak their stack or text to users. */
export function toErrorPayload(error: unknown, locale?: Locale): ErrorPayload {
  if (error instanceof CofreError) return error.toPayload(locale);
  return new CofreError('error.internal', { cause: 'unknown' }).toPayload(locale);
}
