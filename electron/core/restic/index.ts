// The restic engine: runs restic through execa and turns it into typed results.
export * from './types.js';
export { parseVersion, capabilitiesFor, atLeast } from './version.js';
export { detectRestic } from './detect.js';
export { buildInvocation, backupArgs, retentionToFlags, keepFlagArgs, forgetArgs, planTags, withRestCredentials, type Invocation } from './args.js';
export { classifyFailure, causeFromText, refineAuthCause, authContextOf, type FailureInput, type AuthContext } from './classify.js';
export { makeRedactor } from './redact.js';
export { normaliseSnapshotPath, escapeRestorePattern } from './paths.js';
export { parseBackupLine, parseRestoreLine, parseJsonLine } from './json-lines.js';
export { ResticError, sourceMissingWarning } from './error.js';
export { splitShellWords, expandBackrestEnv, referencedVariables, flagEntriesToArgs, repoFlagArgs, expandRepoUri, hasFilesFrom } from './backrest-words.js';
export { ResticEngine, toSnapshot, type EngineOptions } from './engine.js';
