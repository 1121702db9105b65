// Which repository URIs Cofre accepts, and the REST credential handling around them. Only the
// backends restic knows are allowed; anything else (`javascript:`, `file:`, relative paths) is
// refused so a pasted or hostile value can never reach restic as something unexpected.
import type { MessageKey, MessageParams } from '../i18n/index.js';

export const remoteSchemes = ['s3', 'sftp', 'b2', 'azure', 'gs', 'rclone', 'swift'] as const;

const windowsDrivePath = /^[A-Za-z]:[\\/]/;
const uncPath = /^\\\\[^\\/]+[\\/][^\\/]+/;
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f]/;

export function isLocalAbsolutePath(value: string): boolean {
  return value.startsWith('/') || windowsDrivePath.test(value) || uncPath.test(value);
}

export interface UriProblem {
  key: MessageKey;
  params?: MessageParams;
}

// Backrest expands `${VAR}` in the uri; a uri that starts with a reference (`${RESTIC_REPO}`,
// `${BACKUP_ROOT}/restic`) can only be judged once expanded (resolveRepoSecrets does it then).
const leadingReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

/** null when restic can use the URI; otherwise what is wrong with it. */
export function checkRepoUri(uri: string): UriProblem | null {
  if (controlChars.test(uri)) return { key: 'config.problem.controlChars' };
  if (isLocalAbsolutePath(uri) || leadingReference.test(uri)) return null;
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(uri);
  if (!match) return { key: 'config.problem.uriScheme' };
  const scheme = match[1] ?? '';
  const rest = match[2] ?? '';
  if (scheme === 'rest') return restUrl(rest) ? null : { key: 'config.problem.uriRest' };
  if (scheme === 'local') return isLocalAbsolutePath(rest) ? null : { key: 'config.problem.uriScheme' };
  if ((remoteSchemes as readonly string[]).includes(scheme)) {
    return rest.trim() === '' ? { key: 'config.problem.uriEmptyTarget', params: { scheme } } : null;
  }
  return { key: 'config.problem.uriScheme' };
}

function restUrl(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  return url;
}

export interface RestUriParts {
  /** The URI without user-info (`rest:https://host/repo/`). */
  uri: string;
  username?: string;
  password?: string;
}

/**
 * Splits `rest:https://user:pass@host/repo` into the bare URI and its credentials (URL-decoded).
 * Other URIs, and rest URIs without credentials, come back unchanged.
 */
export function splitRestCredentials(uri: string): RestUriParts {
  if (!uri.startsWith('rest:')) return { uri };
  const url = restUrl(uri.slice('rest:'.length));
  if (!url || (!url.username && !url.password)) return { uri };
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  // Rebuild by cutting the user-info out of the original text rather than re-serialising the URL,
  // so the rest of the URI stays byte-for-byte what the user wrote.
  const original = uri.slice('rest:'.length);
  const schemeEnd = original.indexOf('//') + 2;
  const rest = original.slice(schemeEnd);
  const authorityLength = rest.search(/[/?#]/);
  const authority = authorityLength < 0 ? rest : rest.slice(0, authorityLength);
  const atInAuthority = authority.lastIndexOf('@');
  const at = atInAuthority < 0 ? -1 : schemeEnd + atInAuthority;
  const bare = at >= 0 ? original.slice(0, schemeEnd) + original.slice(at + 1) : original;
  return { uri: `rest:${bare}`, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}
