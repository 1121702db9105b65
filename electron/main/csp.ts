// The Content-Security-Policy of every renderer page: only our own scripts and styles, no inline
// script, no eval, no network (the renderer talks to the agent through the preload bridge, never
// over HTTP), no plugins, no frames, no form posts. Sent as a header by the app:// protocol handler
// and by onHeadersReceived for anything else.
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "manifest-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers added to every response a renderer receives. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/**
 * Merges our headers into a response's headers for `onHeadersReceived`, replacing any CSP the
 * response carried whatever its letter case (a weaker policy must not survive next to ours).
 */
export function withSecurityHeaders(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const ours = securityHeaders();
  const ourNames = new Set(Object.keys(ours).map((name) => name.toLowerCase()));
  const merged: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!ourNames.has(name.toLowerCase())) merged[name] = value;
  }
  for (const [name, value] of Object.entries(ours)) merged[name] = [value];
  return merged;
}
