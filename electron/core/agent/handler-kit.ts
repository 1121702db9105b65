// Small pieces every section of handlers shares.
import type { CapabilitySwitches, Entry } from '../api.js';
import { CofreError } from '../errors.js';
import { t, type Locale } from '../i18n/index.js';
import { fromLocalPath } from '../restore/snapshot-path.js';
import type { PolicyPort } from './ports.js';

export function requireCapability(policy: Pick<PolicyPort, 'capabilities'>, name: keyof CapabilitySwitches): void {
  if (!policy.capabilities()[name]) throw new CofreError('error.notAllowedByPolicy');
}

/** Paths from a face may be Windows local paths (C:\Users\ana): the index uses snapshot form (/C/Users/ana). */
export function toSnapshotForm(path: string): string {
  return /^[A-Za-z]:/.test(path) ? fromLocalPath(path, 'win32') : path;
}

export function toEntry(entry: { name: string; path: string; type: string; size: number; mtime: string }): Entry {
  const type: Entry['type'] = entry.type === 'file' || entry.type === 'dir' || entry.type === 'symlink' ? entry.type : 'other';
  return { name: entry.name, path: entry.path, type, size: entry.size, mtime: entry.mtime };
}

/** A failure as one translated sentence (an unexpected one says only that something went wrong). */
export function messageOf(error: unknown, locale: Locale): string {
  return error instanceof CofreError ? error.toPayload(locale).message : t('error.internal', undefined, locale);
}
