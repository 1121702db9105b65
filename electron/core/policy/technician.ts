// The technician password: stored in policy.json only as an scrypt hash
// (`scrypt$N$r$p$saltB64$hashB64`), compared in constant time, attempts rate-limited.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { CofreError } from '../errors.js';

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

// Limits also protect against a hostile hash that would make each check take minutes.
const maxCost = 2 ** 20;
const maxBlockSize = 32;
const maxParallel = 16;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const defaultScryptParams: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const memoryFor = ({ N, r, p }: ScryptParams) => 128 * N * r + 128 * r * p + 1024 * 1024;

export async function hashTechnicianPassword(password: string, params: ScryptParams = defaultScryptParams): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { ...params, maxmem: memoryFor(params) });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parseHash(encoded: string): (ScryptParams & { salt: Buffer; key: Buffer }) | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const power = N > 1 && (N & (N - 1)) === 0;
  if (!power || N > maxCost || !Number.isInteger(r) || r < 1 || r > maxBlockSize || !Number.isInteger(p) || p < 1 || p > maxParallel) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const key = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { N, r, p, salt, key };
}

/** Constant-time check of a password against an encoded hash; a malformed hash never matches. */
export async function verifyTechnicianPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed) return false;
  const candidate = await scrypt(password, parsed.salt, parsed.key.length, { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: memoryFor(parsed) });
  return timingSafeEqual(candidate, parsed.key);
}

export interface TechnicianGateOptions {
  /** The policy's technicianPasswordHash; without one nobody can log in through the gate. */
  hash: string | undefined;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
  /** Wrong attempts allowed before lockouts start (default 5). */
  freeAttempts?: number;
  /** First lockout; each further failure doubles it (default 30 s). */
  baseLockoutMs?: number;
  maxLockoutMs?: number;
}

/**
 * Rate-limited technician login. After `freeAttempts` failures every further failure locks the
 * gate for an exponentially growing time; during a lockout verify() throws
 * CofreError('policy.technicianLockedOut') without looking at the password. Attempts are
 * serialised so parallel guesses cannot slip past the counter.
 */
export class TechnicianGate {
  private failures = 0;
  private lockedUntil = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private readonly freeAttempts: number;
  private readonly baseLockoutMs: number;
  private readonly maxLockoutMs: number;

  constructor(private readonly options: TechnicianGateOptions) {
    this.now = options.now ?? Date.now;
    this.freeAttempts = options.freeAttempts ?? 5;
    this.baseLockoutMs = options.baseLockoutMs ?? 30_000;
    this.maxLockoutMs = options.maxLockoutMs ?? 15 * 60_000;
  }

  get required(): boolean {
    return this.options.hash !== undefined;
  }

  /** Milliseconds until the next attempt is accepted (0 = now). */
  lockedForMs(): number {
    return Math.max(0, this.lockedUntil - this.now());
  }

  verify(password: string): Promise<boolean> {
    const attempt = async (): Promise<boolean> => {
      const wait = this.lockedForMs();
      if (wait > 0) throw new CofreError('policy.technicianLockedOut', { params: { seconds: Math.ceil(wait / 1000) } });
      const ok = this.options.hash !== undefined && (await verifyTechnicianPassword(password, this.options.hash));
      if (ok) {
        this.failures = 0;
        this.lockedUntil = 0;
        return true;
      }
      this.failures += 1;
      const over = this.failures - this.freeAttempts;
      if (over >= 0) this.lockedUntil = this.now() + Math.min(this.maxLockoutMs, this.baseLockoutMs * 2 ** over);
      return false;
    };
    const next = this.queue.then(attempt, attempt);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
