import { describe, expect, it } from 'vitest';
import { toSnapshot } from './engine.js';

describe('toSnapshot', () => {
  it('reads a 0.18 snapshot with its summary', () => {
    const s = toSnapshot(JSON.parse(
      '{"time":"2026-11-27T13:04:33.2Z","tree":"681d","paths":["/tmp/rx/src/docs"],"hostname":"vm","username":"root","tags":["plan:x"],"program_version":"restic 0.18.0","summary":{"files_new":3,"data_added":3157},"id":"f65dd6f3e77f5ac35a3baaa6d4631861b0b8f539a41876969389e782c906e680","short_id":"f65dd6f3"}',
    ));
    expect(s).toMatchObject({ id: 'f65dd6f3e77f5ac35a3baaa6d4631861b0b8f539a41876969389e782c906e680', shortId: 'f65dd6f3', tags: ['plan:x'], programVersion: 'restic 0.18.0' });
    expect(s.summary).toMatchObject({ filesNew: 3, dataAdded: 3157 });
    expect(s.summary).not.toHaveProperty('snapshotId');
  });
  it('reads a 0.14 snapshot without tags, and Windows paths in tree form', () => {
    const s = toSnapshot({ time: 't', tree: 'x', paths: ['C:\\Users\\ana'], hostname: 'pc', username: 'PC\\ana', id: 'c35c005ddfccbb932297b6708fe12a64540d00068a1857dbd8c9c4a3851e91fb' });
    expect(s.tags).toEqual([]);
    expect(s.paths).toEqual(['/C/Users/ana']);
    expect(s.shortId).toBe('c35c005d');
    expect(s.summary).toBeUndefined();
  });
});
