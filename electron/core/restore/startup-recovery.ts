// The agent's start-up step for interrupted restores: roll back what a killed placement left
// (placement-recovery.ts) and tell the user in the history, where every face shows it.
import type { Locale } from '../i18n/index.js';
import type { NewOperation } from '../history/types.js';
import { restoreJournalDir } from './placement-journal.js';
import { userFsFor } from '../service/user-fs.js';
import { recoverInterruptedPlacements, recoveryMessage, type PlacementRecovery } from './placement-recovery.js';

export interface RecoveryDeps {
  dataDir: string;
  history: { record(op: NewOperation): number };
  log: { warn(message: string): void; error(message: string): void };
  locale: Locale;
}

/** Never throws: a start-up that cannot recover logs why and goes on (the journal stays for the next start). */
export async function recoverInterruptedRestores(deps: RecoveryDeps): Promise<PlacementRecovery[]> {
  let recoveries: PlacementRecovery[];
  try {
    // A placement the service made as one of its users is undone as that user (service/user-fs.ts).
    recoveries = await recoverInterruptedPlacements(restoreJournalDir(deps.dataDir), { fsFor: (owner) => userFsFor(owner) });
  } catch (error) {
    deps.log.error(`restore recovery: ${(error as Error).message}`);
    return [];
  }
  for (const recovery of recoveries) {
    const note = recoveryMessage(recovery).toPayload(deps.locale);
    const clean = recovery.leftovers.length === 0;
    deps.log.warn(`restore recovery: interrupted placement into ${recovery.base}: ${recovery.returned} replaced file(s) put back, ${recovery.removed} restored item(s) removed${clean ? '' : `; copies left in ${recovery.leftovers.join(', ')}`}${recovery.problems.length ? `\n${recovery.problems.join('\n')}` : ''}`);
    deps.history.record({
      type: 'restore',
      repoId: recovery.repoId ?? '',
      snapshotId: recovery.snapshotId ?? null,
      status: clean ? 'warning' : 'failure',
      trigger: 'recovery',
      message: note.message,
      detail: note.detail ?? null,
      summary: { rolledBack: true, returned: recovery.returned, removed: recovery.removed, leftovers: recovery.leftovers },
    });
  }
  return recoveries;
}
