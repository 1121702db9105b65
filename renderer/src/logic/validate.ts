// Field validation for the settings and first-run forms. Each check returns a message key (the
// view translates it) or null. The agent validates again; this only gives earlier, clearer feedback.
import type { MessageKey } from '../../../electron/core/i18n/index.js';

export type Problem = MessageKey | null;

const repoSchemes = ['rest:', 's3:', 'sftp:', 'b2:', 'azure:', 'gs:', 'rclone:', 'swift:', 'local:'];

export function isAbsolutePath(value: string): boolean {
  return value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value);
}

export function validateRepoUri(value: string): Problem {
  const uri = value.trim();
  if (!uri) return 'ui.validate.required';
  if (/\s/.test(uri)) return 'ui.validate.uriSpaces';
  if (uri.startsWith('rest:')) {
    try {
      const url = new URL(uri.slice('rest:'.length));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'ui.validate.restUrl';
      // Credentials belong in the user/password fields, where they are stored as secrets.
      if (url.username || url.password) return 'ui.validate.uriCredentials';
      return null;
    } catch {
      return 'ui.validate.restUrl';
    }
  }
  if (repoSchemes.some((s) => uri.startsWith(s)) || isAbsolutePath(uri)) return null;
  return 'ui.validate.repoUri';
}

export function validateId(value: string): Problem {
  if (!value.trim()) return 'ui.validate.required';
  return /^[A-Za-z0-9_.-]{1,128}$/.test(value) ? null : 'ui.validate.id';
}

export function validatePathList(lines: string[], required: boolean): Problem {
  if (required && lines.length === 0) return 'ui.validate.pathsRequired';
  return lines.every(isAbsolutePath) ? null : 'ui.validate.absolutePath';
}

export function validateNewPassword(password: string, confirm: string): Problem {
  if (password.length === 0) return 'ui.validate.required';
  if (password.length < 8) return 'ui.validate.passwordShort';
  return password === confirm ? null : 'ui.validate.passwordMismatch';
}

const cronField = /^(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?)*$/;

/** A light syntax check of a 5-field cron; previewSchedule has the final word. */
export function validateCron(value: string): Problem {
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 5) return 'ui.validate.cronFields';
  return fields.every((f) => cronField.test(f) || /^[A-Za-z]{3}(-[A-Za-z]{3})?(,[A-Za-z]{3})*$/.test(f)) ? null : 'ui.validate.cron';
}

export function validateHttpUrl(value: string): Problem {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'ui.validate.httpUrl';
  } catch {
    return 'ui.validate.httpUrl';
  }
}

/** Splits a textarea into trimmed, non-empty lines. */
export function lines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}
