import { CofreError, type FailureCause } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';

/** A failed restic run: the cause decides the message; the (redacted) stderr tail is for the log. */
export class ResticError extends CofreError {
  readonly exitCode?: number;
  readonly stderrTail: string;

  constructor(cause: FailureCause, options: { exitCode?: number; stderrTail?: string; detail?: string } = {}) {
    const stderrTail = options.stderrTail ?? '';
    super(`cause.${cause}` as MessageKey, { cause, detail: options.detail ?? (stderrTail || undefined) });
    this.name = 'ResticError';
    if (options.exitCode !== undefined) this.exitCode = options.exitCode;
    this.stderrTail = stderrTail;
  }
}
