import { CofreError, type FailureCause } from '../errors.js';
import type { MessageKey, MessageParams } from '../i18n/index.js';

/** A failed restic run: the cause decides the message; the (redacted) stderr tail is for the log. */
export class ResticError extends CofreError {
  readonly exitCode?: number;
  readonly stderrTail: string;

  constructor(
    cause: FailureCause,
    options: { exitCode?: number; stderrTail?: string; detail?: string; key?: MessageKey; params?: MessageParams } = {},
  ) {
    const stderrTail = options.stderrTail ?? '';
    // A more precise message than the cause's own may be given (same cause, same action).
    super(options.key ?? (`cause.${cause}` as MessageKey), {
      cause,
      detail: options.detail ?? (stderrTail || undefined),
      ...(options.params ? { params: options.params } : {}),
    });
    this.name = 'ResticError';
    if (options.exitCode !== undefined) this.exitCode = options.exitCode;
    this.stderrTail = stderrTail;
  }
}

/** The warning of a backup that skipped source paths that no longer exist (every restic version). */
export function sourceMissingWarning(paths: readonly string[]): CofreError {
  if (paths.length === 0) return CofreError.fromCause('source-missing');
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ', …' : '');
  return new CofreError(paths.length === 1 ? 'restic.sourceMissing.one' : 'restic.sourceMissing.other', {
    cause: 'source-missing',
    params: { paths: shown },
  });
}
