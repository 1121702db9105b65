import { describe, expect, it } from 'vitest';
import { childInScope, folderAccess, leadingChildNames, pathInScope, type RestoreScope } from './scope.js';
import { foldName, fromLocalPath, parseSnapshotPath, toLocalPath } from './snapshot-path.js';

const ana: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/home/ana', '/srv/shared/finance'] };

describe('restore scope', () => {
  it('matches whole path segments, not string prefixes', () => {
    expect(pathInScope(ana, '/home/ana')).toBe(true);
    expect(pathInScope(ana, '/home/ana/Documentos/x.txt')).toBe(true);
    expect(pathInScope(ana, '/home/anabela')).toBe(false);
    expect(pathInScope(ana, '/home/anabela/x')).toBe(false);
    expect(pathInScope(ana, '/home')).toBe(false);
    expect(pathInScope({ ...ana, technician: true }, '/etc/shadow')).toBe(true);
  });

  it('lets a user walk from / down to their roots and no further sideways', () => {
    expect(folderAccess(ana, '/')).toBe('lead');
    expect(folderAccess(ana, '/home')).toBe('lead');
    expect(folderAccess(ana, '/home/ana/x')).toBe('all');
    expect(folderAccess(ana, '/etc')).toBe('none');
    expect([...leadingChildNames(ana, '/')].sort()).toEqual(['home', 'srv']);
    expect([...leadingChildNames(ana, '/srv')]).toEqual(['shared']);
    expect(childInScope(ana, '/home', 'ana')).toBe(true);
    expect(childInScope(ana, '/home', 'anabela')).toBe(false);
  });

  it('normalises request paths and refuses traversal', () => {
    expect(parseSnapshotPath('/home/ana/')).toBe('/home/ana');
    expect(parseSnapshotPath('/')).toBe('/');
    for (const bad of ['', 'home', '/a/../b', '/a/./b', '/a//b', '/a\0b', 42]) expect(() => parseSnapshotPath(bad), String(bad)).toThrow();
  });

  it('maps Windows drive paths both ways', () => {
    expect(toLocalPath('/C/Users/Ana/Relatório.xlsx', 'win32')).toBe('C:\\Users\\Ana\\Relatório.xlsx');
    expect(toLocalPath('/C', 'win32')).toBe('C:\\');
    expect(fromLocalPath('C:\\Users\\Ana', 'win32')).toBe('/C/Users/Ana');
    expect(fromLocalPath('/home/ana/', 'linux')).toBe('/home/ana');
  });

  it('folds names for accent- and case-insensitive search', () => {
    expect(foldName('Relatório AÇÃO')).toBe('relatorio acao');
    expect(foldName('cafe\u0301')).toBe(foldName('café'));
  });
});
