import { describe, expect, it } from 'vitest';
import type { CapabilitySwitches } from '../core/api.js';
import { buildTrayMenu, findMenuItem, type TrayMenuInput, type TrayMenuItem } from './tray-menu.js';
import { agentStatus, planStatus } from './test-status.js';

const everything: CapabilitySwitches = {
  backupNow: true, pause: true, quit: true, restore: true, restoreOutsideHome: true, overwriteOnRestore: true, openSettings: true,
};
const lockedDown: CapabilitySwitches = {
  backupNow: true, pause: false, quit: false, restore: true, restoreOutsideHome: false, overwriteOnRestore: false, openSettings: false,
};
const now = new Date('2026-11-27T12:00:00.000Z');

function menu(overrides: Partial<TrayMenuInput> = {}): TrayMenuItem[] {
  return buildTrayMenu({
    status: agentStatus(), capabilities: everything, locale: 'pt-BR', technician: false, technicianPasswordRequired: false, now, ...overrides,
  });
}
const ids = (items: TrayMenuItem[]) => items.filter((i) => i.type !== 'separator').map((i) => i.id);

describe('tray menu', () => {
  it('offers the everyday actions in Portuguese on an unmanaged machine', () => {
    const items = menu();
    expect(ids(items)).toEqual(['open', 'backup', 'pause', 'restore', 'history', 'settings', 'quit']);
    expect(items.map((i) => i.label).filter(Boolean)).toEqual([
      'Abrir o Cofre', 'Fazer backup agora', 'Pausar backups', 'Restaurar arquivos…', 'Histórico', 'Configurações', 'Sair do Cofre',
    ]);
    expect(findMenuItem(items, 'backup')?.action).toEqual({ kind: 'backup', planIds: ['documentos'] });
  });

  it('speaks English when asked', () => {
    expect(menu({ locale: 'en' })[0]?.label).toBe('Open Cofre');
  });

  it('hides quit, pause and settings when the policy forbids them, and labels settings for the technician', () => {
    expect(ids(menu({ capabilities: lockedDown }))).toEqual(['open', 'backup', 'restore', 'history']);
    const withPassword = menu({ capabilities: lockedDown, technicianPasswordRequired: true });
    expect(findMenuItem(withPassword, 'settings')?.label).toBe('Configurações (técnico)');
    expect(findMenuItem(withPassword, 'quit')).toBeUndefined();
  });

  it('lets a logged-in technician quit and pause on a locked-down machine', () => {
    const items = menu({ capabilities: lockedDown, technician: true, technicianPasswordRequired: true });
    expect(ids(items)).toContain('quit');
    expect(ids(items)).toContain('pause');
    expect(findMenuItem(items, 'settings')?.label).toBe('Configurações');
  });

  it('offers only opening and settings before the machine is configured', () => {
    const items = menu({ status: agentStatus({ health: 'not-configured', plans: [] }) });
    expect(ids(items)).toEqual(['open', 'settings', 'quit']);
  });

  it('disables "back up now" while that plan runs and offers to cancel it', () => {
    const running = agentStatus({ health: 'running', plans: [planStatus({ state: 'running', running: { jobId: 'job-7', progress: null } })] });
    const items = menu({ status: running });
    expect(findMenuItem(items, 'backup')?.enabled).toBe(false);
    expect(findMenuItem(items, 'cancel')?.action).toEqual({ kind: 'cancel', jobIds: ['job-7'] });
  });

  it('lists each plan under "back up now" when there are several', () => {
    const status = agentStatus({ plans: [planStatus({ planId: 'documentos' }), planStatus({ planId: 'fotos', running: { jobId: 'j', progress: null } })] });
    const backup = findMenuItem(menu({ status }), 'backup');
    expect(backup?.type).toBe('submenu');
    expect(findMenuItem(backup?.submenu ?? [], 'backup:all')?.action).toEqual({ kind: 'backup', planIds: ['documentos'] });
    expect(findMenuItem(backup?.submenu ?? [], 'backup:fotos')?.enabled).toBe(false);
  });

  it('pauses for fixed durations from now, or indefinitely, and offers resume when paused', () => {
    const pause = findMenuItem(menu(), 'pause');
    expect(pause?.submenu?.map((i) => i.action)).toEqual([
      { kind: 'pause', until: '2026-11-27T13:00:00.000Z' },
      { kind: 'pause', until: '2026-11-27T16:00:00.000Z' },
      { kind: 'pause', until: expect.any(String) },
      { kind: 'pause', until: null },
    ]);
    const tomorrow = new Date((pause?.submenu?.[2]?.action as { until: string }).until);
    expect(tomorrow.getHours()).toBe(8);
    expect(tomorrow.getTime()).toBeGreaterThan(now.getTime());
    const paused = menu({ status: agentStatus({ health: 'paused', pausedUntil: '2026-11-27T13:00:00.000Z' }) });
    expect(ids(paused)).toContain('resume');
    expect(ids(paused)).not.toContain('pause');
  });
});
