// Enrollment: the repository URI for this machine from the policy template, e.g.
// `rest:https://backup.example/{hostname}/` -> `rest:https://backup.example/PC-FIN-01/`.
import { CofreError } from '../errors.js';
import { checkRepoUri } from '../config/repo-uri.js';
import { t } from '../i18n/index.js';
import type { Retention } from '../config/backrest-schema.js';
import type { Enrollment } from './schema.js';

export interface EnrollmentValues {
  hostname: string;
  username: string;
}

/**
 * Makes a value safe as one URL path segment: accents removed (João -> Joao), anything outside
 * letters, digits, `.`, `_`, `-` becomes `-`, no leading dots (no `..`). Case is kept because
 * rest-server's --private-repos compares the first segment with the user name exactly.
 */
export function sanitizeSegment(value: string): string {
  const ascii = value.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const cleaned = ascii.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[.-]+|[.-]+$/g, '');
  return cleaned.slice(0, 64) || 'unknown';
}

export function expandEnrollment(template: string, values: EnrollmentValues): string {
  const uri = template.replace(/\{(\w*)\}/g, (_whole, name: string) => {
    if (name === 'hostname') return sanitizeSegment(values.hostname);
    if (name === 'username') return sanitizeSegment(values.username);
    throw new CofreError('policy.enrollmentPlaceholder', { params: { name: `{${name}}` }, cause: 'invalid-input' });
  });
  const problem = checkRepoUri(uri);
  if (problem) throw new CofreError('policy.enrollmentUri', { params: { problem: t(problem.key, problem.params) }, cause: 'invalid-input' });
  return uri;
}

/** Retention of an enrolled plan when the policy names none: a year (daily for a week, weekly for a month, monthly). */
export const defaultEnrollmentRetention: Retention = { policyTimeBucketed: { daily: 7, weekly: 4, monthly: 12 } };

/** The enrollment's folders with `{home}` expanded: what the wizard shows and what enrolling sets up. */
export function enrollmentPaths(enrollment: Enrollment, homeDir: string): string[] {
  return enrollment.paths.map((p) => p.replaceAll('{home}', homeDir));
}
