import { describe, expect, it } from 'vitest';
import { absoluteFromRoots, escapeRestorePattern, normaliseSnapshotPath, TreePathMapper } from './paths.js';

describe('normaliseSnapshotPath', () => {
  it('turns Windows drive paths into restic tree form', () => {
    expect(normaliseSnapshotPath('C:\\Users\\ana\\Documents')).toBe('/C/Users/ana/Documents');
    expect(normaliseSnapshotPath('d:\\')).toBe('/D');
    expect(normaliseSnapshotPath('C:/Users/ana/')).toBe('/C/Users/ana');
  });
  it('leaves POSIX paths as they are', () => {
    expect(normaliseSnapshotPath('/home/ana/Relatório 2024.xlsx')).toBe('/home/ana/Relatório 2024.xlsx');
    expect(normaliseSnapshotPath('/')).toBe('/');
    expect(normaliseSnapshotPath('/home/back\\slash')).toBe('/home/back\\slash');
  });
});

describe('escapeRestorePattern', () => {
  it('escapes glob characters so a name matches only itself', () => {
    expect(escapeRestorePattern('/d/glob *?[x].txt')).toBe('/d/glob \\*\\?\\[x\\].txt');
    expect(escapeRestorePattern('/d/back\\slash')).toBe('/d/back\\\\slash');
  });
});

function mapAll(paths: string[], tree: string[]): string[] {
  const mapper = new TreePathMapper(paths);
  const out: string[] = [];
  for (const p of tree) mapper.push(p, p, (_item, abs) => out.push(abs));
  mapper.finish();
  return out;
}

describe('TreePathMapper', () => {
  it('keeps absolute trees as they are', () => {
    const tree = ['/tmp', '/tmp/rx', '/tmp/rx/src', '/tmp/rx/src/docs', '/tmp/rx/src/docs/a.txt'];
    expect(mapAll(['/tmp/rx/src/docs'], tree)).toEqual(tree);
  });
  it('maps trees of backups made with relative paths (real restic output)', () => {
    expect(mapAll(['/tmp/rx/src/docs'], ['/src', '/src/docs', '/src/docs/a.txt', '/src/docs/sub'])).toEqual([
      '/tmp/rx/src', '/tmp/rx/src/docs', '/tmp/rx/src/docs/a.txt', '/tmp/rx/src/docs/sub',
    ]);
  });
  it('maps Windows snapshots to /C/... form', () => {
    expect(mapAll(['C:\\Users\\ana'], ['/C', '/C/Users', '/C/Users/ana', '/C/Users/ana/x.txt'])).toEqual(['/C', '/C/Users', '/C/Users/ana', '/C/Users/ana/x.txt']);
  });
  it('does not mistake a root that repeats a folder name for a relative tree', () => {
    expect(mapAll(['/a/b/a'], ['/a', '/a/b', '/a/b/a', '/a/b/a/f'])).toEqual(['/a', '/a/b', '/a/b/a', '/a/b/a/f']);
  });
});

describe('absoluteFromRoots', () => {
  it('maps find matches of relative snapshots', () => {
    expect(absoluteFromRoots('/src/docs/a.txt', ['/tmp/rx/src/docs'])).toBe('/tmp/rx/src/docs/a.txt');
    expect(absoluteFromRoots('/tmp/rx/src/docs/a.txt', ['/tmp/rx/src/docs'])).toBe('/tmp/rx/src/docs/a.txt');
  });
});
