// The URL printed by `cofre serve` carries the API token once, in the fragment (never sent to the
// server in requests or Referer). We move it into sessionStorage and remove it from the address bar.

export const tokenStorageKey = 'cofre.token';
export const sessionStorageKey = 'cofre.session';

/** Splits `#token=abc` or `#/restore&token=abc` into the token and the hash without it. */
export function extractToken(hash: string): { token: string | null; hash: string } {
  const match = /(^#|[?&])token=([^&]*)/.exec(hash);
  if (!match) return { token: null, hash };
  const token = decodeURIComponent(match[2] ?? '');
  const sep = match[1]!;
  let after = hash.slice(match.index + match[0].length);
  // The next parameter takes over the separator the token had (`?token=a&x=1` -> `?x=1`).
  if (after.startsWith('&')) after = (sep === '#' ? '' : sep) + after.slice(1);
  let rest = hash.slice(0, match.index) + (sep === '#' ? '#' : '') + after;
  if (rest === '#') rest = '';
  return { token: token || null, hash: rest };
}

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Reads the token from the fragment (first visit) or sessionStorage (reloads). */
export function takeToken(location: { hash: string }, storage: StorageLike, replaceHash: (hash: string) => void): string | null {
  const { token, hash } = extractToken(location.hash);
  if (token) {
    storage.setItem(tokenStorageKey, token);
    replaceHash(hash);
    return token;
  }
  return storage.getItem(tokenStorageKey);
}

/** A per-tab session id, so a technician login in one tab stays in that tab. */
export function sessionId(storage: StorageLike, random: () => string): string {
  const existing = storage.getItem(sessionStorageKey);
  if (existing) return existing;
  const id = random();
  storage.setItem(sessionStorageKey, id);
  return id;
}
