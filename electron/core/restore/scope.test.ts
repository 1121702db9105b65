import { describe, expect, it } from 'vitest';
import type { CofreError } from '../errors.js';
import {
  assertPathInScope, childInScope, folderAccess, instanceVisible, leadingChildNames, mayHideChildren, mayHoldProfiles, pathInScope, profileFolderOf,
  userScopeRoots, type RestoreScope,
} from './scope.js';
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

  it("gives an end user what this machine's plans back up, their home and policy's roots", () => {
    const linux = { platform: 'linux' as const, homeDir: '/home/ana', planPaths: ['/srv/setor', '/home/ana/Documentos', 'relativo'], policyRoots: ['/mnt/arquivo/'] };
    expect(userScopeRoots({ ...linux, mode: 'plans' })).toEqual(['/home/ana', '/srv/setor', '/home/ana/Documentos', '/mnt/arquivo']);
    expect(userScopeRoots({ ...linux, mode: 'home' })).toEqual(['/home/ana', '/mnt/arquivo']);
    const windows = { platform: 'win32' as const, homeDir: 'C:\\Users\\Ana', planPaths: ['D:\\Compras', 'c:\\'], policyRoots: [], mode: 'plans' as const };
    expect(userScopeRoots(windows)).toEqual(['/C/Users/Ana', '/D/Compras', '/C']);
  });

  it("hides other users' profile folders inside a plan that backs up all of them", () => {
    const plansHome: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/home/ana', '/home'], home: '/home/ana' };
    expect(pathInScope(plansHome, '/home/ana/Documentos/x.txt')).toBe(true);
    expect(pathInScope(plansHome, '/home')).toBe(true);
    expect(pathInScope(plansHome, '/home/bruno')).toBe(false);
    expect(pathInScope(plansHome, '/home/bruno/segredo.txt')).toBe(false);
    expect(folderAccess(plansHome, '/home')).toBe('all');
    expect(mayHideChildren(plansHome, '/home')).toBe(true);
    expect(childInScope(plansHome, '/home', 'ana')).toBe(true);
    expect(childInScope(plansHome, '/home', 'bruno')).toBe(false);
    expect(folderAccess(plansHome, '/home/bruno')).toBe('none');
    expect(pathInScope({ ...plansHome, technician: true }, '/home/bruno/segredo.txt')).toBe(true);

    const wholeDisk: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/'], home: '/Users/ana' };
    expect(pathInScope(wholeDisk, '/Users/bruno/x')).toBe(false);
    expect(pathInScope(wholeDisk, '/Users/Shared/x')).toBe(true);
    expect(pathInScope(wholeDisk, '/etc/hosts')).toBe(true);
  });

  it('drops a root that lies in another user\'s profile folder', () => {
    const scope: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/home/ana', '/home/bruno/Compartilhado'], home: '/home/ana' };
    expect(pathInScope(scope, '/home/bruno/Compartilhado/x')).toBe(false);
    expect([...leadingChildNames(scope, '/home')]).toEqual(['ana']);
    expect(childInScope(scope, '/home', 'bruno')).toBe(false);
  });

  it('compares Windows drives, Users and profile names without case', () => {
    const ana: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/C/Users/Ana', '/D/Compras', '/C'], home: '/C/Users/Ana', caseInsensitive: true };
    expect(profileFolderOf('/C/Users/Ana/x')).toBe('/C/Users/Ana');
    expect(profileFolderOf('/C/Compras')).toBeNull();
    expect(pathInScope(ana, '/c/users/ana/Desktop/x.docx')).toBe(true);
    expect(pathInScope(ana, '/d/compras/pedido.xlsx')).toBe(true);
    expect(pathInScope(ana, '/C/Users/Bruno/x')).toBe(false);
    expect(pathInScope(ana, '/C/USERS/bruno/x')).toBe(false);
    expect(pathInScope(ana, '/c/Users/ANA/x')).toBe(true);
    expect(pathInScope(ana, '/C/Users/Public/Documents/x')).toBe(true);
    expect(pathInScope(ana, '/E/Outro')).toBe(false);
    expect(childInScope(ana, '/C/Users', 'bruno')).toBe(false);
    expect(childInScope(ana, '/C/Users', 'ana')).toBe(true);

    const compras: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/C/Users/Ana', '/D/Compras'], home: '/C/Users/Ana', caseInsensitive: true };
    expect(folderAccess(compras, '/d')).toBe('lead');
    expect(childInScope(compras, '/', 'd')).toBe(true);
    expect(childInScope(compras, '/D', 'compras')).toBe(true);
    expect(childInScope(compras, '/D', 'Vendas')).toBe(false);
  });

  it('says why a path is out of scope and who can help', () => {
    const scope: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/home/ana'], home: '/home/ana' };
    const error = (s: RestoreScope, path: string) => {
      try {
        assertPathInScope(s, path);
      } catch (e) {
        return e as CofreError;
      }
      throw new Error(`${path} was in scope`);
    };
    expect(error(scope, '/etc').code).toBe('restore.error.outOfScope');
    expect(error(scope, '/etc').toPayload('pt-BR').message).toMatch(/O técnico pode restaurar/);
    expect(error(scope, '/home/bruno/x').code).toBe('restore.error.otherProfile');
    const withContact = error({ ...scope, supportContact: 'Suporte TI, ramal 2040' }, '/srv/outro');
    expect(withContact.code).toBe('restore.error.outOfScope.contact');
    expect(withContact.toPayload('pt-BR').message).toMatch(/fale com Suporte TI, ramal 2040/);
  });

  it("takes a file's versions from this instance's snapshots and untagged ones", () => {
    const scope: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/'], instance: 'pc-a' };
    expect(instanceVisible(scope, ['plan:documentos', 'created-by:pc-a'])).toBe(true);
    expect(instanceVisible(scope, ['plan:documentos', 'created-by:pc-b'])).toBe(false);
    expect(instanceVisible(scope, ['plan:documentos'])).toBe(true);
    expect(instanceVisible({ ...scope, technician: true }, ['created-by:pc-b'])).toBe(true);
  });

  it("treats folders next to the user's home as other profiles, but not a disk's top folders", () => {
    const elsewhere: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/export'], home: '/export/home/ana' };
    expect(pathInScope(elsewhere, '/export/home/ana/x')).toBe(true);
    expect(pathInScope(elsewhere, '/export/home/bruno/x')).toBe(false);
    expect(pathInScope(elsewhere, '/export/dados/x')).toBe(true);
    expect(mayHideChildren(elsewhere, '/export/home')).toBe(true);
    const admin: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/root', '/srv/setor'], home: '/root' };
    expect(pathInScope(admin, '/srv/setor/x')).toBe(true);
    const perfis: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/D'], home: '/D/Perfis/Ana', caseInsensitive: true };
    expect(pathInScope(perfis, '/D/Perfis/Bruno/x')).toBe(false);
    expect(pathInScope(perfis, '/d/perfis/ana/x')).toBe(true);
    expect(pathInScope(perfis, '/D/Compras/x')).toBe(true);
  });

  it('knows which folders may hold other profiles below them, so the index only looks there', () => {
    const linux: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/'], home: '/home/ana' };
    for (const folder of ['/', '/home', '/Users']) expect(mayHoldProfiles(linux, folder), folder).toBe(true);
    for (const folder of ['/srv/setor', '/home/ana', '/etc']) expect(mayHoldProfiles(linux, folder), folder).toBe(false);
    const windows: RestoreScope = { technician: false, hostname: 'PC-01', roots: ['/C'], home: '/C/Users/Ana', caseInsensitive: true };
    for (const folder of ['/C', '/D', '/c/users']) expect(mayHoldProfiles(windows, folder), folder).toBe(true);
    expect(mayHoldProfiles(windows, '/D/Compras')).toBe(false);
    expect(mayHoldProfiles({ ...linux, technician: true }, '/')).toBe(false);
  });
});
