// COFRE_BACKUP_RETRY shortens how a backup retries with the server down, e.g.
// `attempts=2 delayMs=2000 giveUpMs=5000`: the e2e specs use it to reach "gave up after the last
// attempt" in seconds instead of 10 minutes, and a technician can use it to reproduce that in the
// field. Anything unreadable is ignored (the defaults stay), so a typo never stops backups.
import { defaultRetryPolicy, type RetryPolicy } from '../core/jobs/index.js';

export interface BackupRetryOverride {
  retry?: RetryPolicy;
  /** How long restic may wait for an unreachable server within one attempt. */
  unreachableGiveUpMs?: number;
}

export function backupRetryFromEnv(value: string | undefined): BackupRetryOverride {
  if (!value?.trim()) return {};
  const fields = new Map<string, number>();
  for (const part of value.trim().split(/[\s,]+/)) {
    const match = /^(attempts|delayMs|giveUpMs)=(\d{1,9})$/.exec(part);
    if (!match) return {};
    fields.set(match[1]!, Number(match[2]));
  }
  const out: BackupRetryOverride = {};
  const attempts = fields.get('attempts');
  const delayMs = fields.get('delayMs');
  if ((attempts !== undefined && attempts >= 1) || delayMs !== undefined) {
    out.retry = {
      ...defaultRetryPolicy,
      maxAttempts: attempts !== undefined && attempts >= 1 ? Math.min(attempts, 20) : 5,
      baseDelayMs: delayMs ?? 30_000,
      maxDelayMs: Math.max(delayMs ?? 0, 8 * 60_000),
      jitter: 0,
    };
  }
  const giveUp = fields.get('giveUpMs');
  if (giveUp !== undefined && giveUp >= 1_000) out.unreachableGiveUpMs = giveUp;
  return out;
}
