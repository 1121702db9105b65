// The contract's method names as a plain list, so the sandboxed preload does not pull zod and the
// schemas into the renderer process. The type below fails to compile if this list and `api` in
// electron/core/api.ts drift apart; method-names.test.ts checks the order-independent equality.
import type { ApiMethod } from '../core/api.js';

export const methodNames = [
  'getAppInfo', 'setPreferences', 'technicianLogin', 'technicianLogout',
  'getStatus', 'runBackup', 'setPlanLabel', 'listJobs', 'cancelJob', 'pause', 'resume',
  'listHistory', 'listSnapshots',
  'browse', 'search', 'versions', 'missingFiles', 'indexStatus', 'cancelIndexing', 'checkRestore', 'restore',
  'getConfig', 'setConfig', 'setRepoSecrets', 'testConnection', 'diagnoseConfig', 'initRepo', 'unlockRepo', 'checkRepo', 'pruneRepo',
  'previewSchedule', 'previewRetention', 'previewImport', 'importBackrest', 'undoImport', 'getImportUndo', 'exportBackrest', 'enroll', 'getDiagnostics', 'readLog',
  'fleetReport',
] as const satisfies readonly ApiMethod[];

type Missing = Exclude<ApiMethod, (typeof methodNames)[number]>;
const _allMethodsListed: [Missing] extends [never] ? true : Missing = true;
void _allMethodsListed;
