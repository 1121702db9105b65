import { describe, expect, it } from 'vitest';
import { parseBackupLine, parseRestoreLine } from './json-lines.js';

describe('parseBackupLine', () => {
  it('reads status lines', () => {
    const m = parseBackupLine('{"message_type":"status","seconds_elapsed":2,"percent_done":0.5,"total_files":10,"files_done":5,"total_bytes":100,"bytes_done":50,"current_files":["/a"]}');
    expect(m).toEqual({ kind: 'status', progress: { percentDone: 0.5, totalFiles: 10, filesDone: 5, totalBytes: 100, bytesDone: 50, secondsElapsed: 2, currentFiles: ['/a'] } });
  });
  it('reads error lines of 0.14 (no text) and 0.18 (with text)', () => {
    expect(parseBackupLine('{"message_type":"error","error":{},"during":"archival","item":"/x"}')).toEqual({
      kind: 'error', error: { during: 'archival', item: '/x', message: '' },
    });
    expect(parseBackupLine('{"message_type":"error","error":{"Op":"read","Path":"/proc/1/mem","Err":5},"during":"archival","item":"/proc/1/mem"}')).toMatchObject({
      error: { message: 'read /proc/1/mem (errno 5)' },
    });
    expect(parseBackupLine('{"message_type":"error","error":{"message":"failed to save /x: permission denied"},"during":"archival","item":"/x"}')).toMatchObject({
      error: { message: 'failed to save /x: permission denied' },
    });
  });
  it('reads summaries with short (0.14) and full ids; a skipped backup has none', () => {
    const s14 = parseBackupLine('{"message_type":"summary","files_new":3,"dirs_new":6,"data_added":3157,"total_files_processed":3,"total_bytes_processed":6,"total_duration":0.2,"snapshot_id":"c35c005d"}');
    expect(s14).toMatchObject({ kind: 'summary', summary: { snapshotId: 'c35c005d', filesNew: 3, dataAdded: 3157, totalDuration: 0.2 } });
    expect(parseBackupLine('{"message_type":"summary","files_new":0}')).toMatchObject({ summary: { snapshotId: null } });
  });
  it('ignores text and broken lines', () => {
    expect(parseBackupLine('/tmp/x does not exist, skipping')).toBeUndefined();
    expect(parseBackupLine('{"message_type":"status",')).toBeUndefined();
    expect(parseBackupLine('')).toBeUndefined();
    expect(parseBackupLine('{"message_type":"verbose_status","action":"new"}')).toBeUndefined();
  });
  it('reads the 0.18 exit_error line', () => {
    expect(parseBackupLine('{"message_type":"exit_error","code":3,"message":"Warning: at least one source file could not be read"}')).toEqual({
      kind: 'exit_error', code: 3, message: 'Warning: at least one source file could not be read',
    });
  });
});

describe('parseRestoreLine', () => {
  it('reads restore progress and summary', () => {
    expect(parseRestoreLine('{"message_type":"status","percent_done":0.25,"total_files":4,"files_restored":1,"total_bytes":40,"bytes_restored":10}')).toEqual({
      kind: 'status', progress: { percentDone: 0.25, totalFiles: 4, filesRestored: 1, totalBytes: 40, bytesRestored: 10 },
    });
    expect(parseRestoreLine('{"message_type":"summary","files_restored":4,"bytes_restored":40}')).toEqual({ kind: 'summary', filesRestored: 4, bytesRestored: 40 });
  });
});
