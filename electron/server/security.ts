// Pure request checks of the headless HTTP face: which Host headers are ours (DNS-rebinding
// defence), token comparison that does not leak timing, and the security headers of every answer.
import { createHash, timingSafeEqual } from 'node:crypto';

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when the Host header names this server on a loopback name (with our port). */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (!match) return false;
  const [, name, portText] = match;
  if (!name || !loopbackNames.has(name)) return false;
  return portText === undefined ? port === 80 : Number(portText) === port;
}

/** Compares a presented bearer token with the expected one in constant time. */
export function tokenMatches(authorization: string | undefined, expected: string): boolean {
  if (!authorization) return false;
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  if (!presented) return false;
  // Hash both so lengths are equal and the comparison time does not depend on the prefix matched.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=()',
};

/** Maps an error code of the contract onto an HTTP status; domain failures are 422, never 5xx. */
export function statusForError(code: string): number {
  switch (code) {
    case 'error.invalidInput':
    case 'config.invalid':
      return 400;
    case 'error.forbidden':
    case 'error.technicianRequired':
    case 'error.notAllowedByPolicy':
    case 'error.lockedByPolicy':
      return 403;
    case 'error.notFound':
      return 404;
    case 'error.conflict':
    case 'error.busy':
      return 409;
    case 'error.internal':
      return 500;
    default:
      return 422;
  }
}
