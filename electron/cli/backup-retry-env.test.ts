import { describe, expect, it } from 'vitest';
import { backupRetryFromEnv } from './backup-retry-env.js';

describe('COFRE_BACKUP_RETRY', () => {
  it('sets attempts, backoff and the per-attempt give-up', () => {
    expect(backupRetryFromEnv('attempts=2 delayMs=2000 giveUpMs=5000')).toMatchObject({ retry: { maxAttempts: 2, baseDelayMs: 2000, jitter: 0 }, unreachableGiveUpMs: 5000 });
  });
  it('keeps the defaults when the value is missing or unreadable', () => {
    expect(backupRetryFromEnv(undefined)).toEqual({});
    expect(backupRetryFromEnv('attempts=two')).toEqual({});
    expect(backupRetryFromEnv('giveUpMs=10')).toEqual({});
  });
});
