// The tray menu as data: a pure function of (status, capabilities, language, technician). Items
// carry an `action` instead of a click handler, so the same template drives the real Electron
// menu (index.ts maps actions to agent calls), the unit tests and the e2e test hooks (Playwright
// cannot click a tray menu).
import { t, type Locale } from '../core/i18n/index.js';
import type { AgentStatus, CapabilitySwitches } from '../core/api.js';

export type WindowKind = 'status' | 'restore' | 'history' | 'settings';

export type TrayAction =
  | { kind: 'open'; window: WindowKind }
  | { kind: 'backup'; planIds: string[] }
  | { kind: 'cancel'; jobIds: string[] }
  | { kind: 'pause'; until: string | null }
  | { kind: 'resume' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  /** Stable id: e2e hooks click items by id. */
  id: string;
  type: 'normal' | 'separator' | 'submenu';
  label?: string;
  enabled?: boolean;
  action?: TrayAction;
  submenu?: TrayMenuItem[];
}

export interface TrayMenuInput {
  status: AgentStatus;
  capabilities: CapabilitySwitches;
  locale: Locale;
  /** The current desktop session is logged in as technician: policy switches do not bind it. */
  technician: boolean;
  /** The policy sets a technician password: settings need it, so the label says so. */
  technicianPasswordRequired: boolean;
  now: Date;
}

export function buildTrayMenu(input: TrayMenuInput): TrayMenuItem[] {
  const { status, capabilities, locale, technician, now } = input;
  const allowed = (switchName: keyof CapabilitySwitches) => technician || capabilities[switchName];
  const label = (key: Parameters<typeof t>[0]) => t(key, undefined, locale);
  const configured = status.health !== 'not-configured' && status.plans.length > 0;
  const items: TrayMenuItem[] = [{ id: 'open', type: 'normal', label: label('desktop.menu.open'), action: { kind: 'open', window: 'status' } }];

  if (configured && allowed('backupNow')) {
    const running = status.plans.flatMap((plan) => (plan.running ? [plan.running.jobId] : []));
    const idle = status.plans.filter((plan) => !plan.running).map((plan) => plan.planId);
    if (status.plans.length === 1) {
      items.push({ id: 'backup', type: 'normal', label: label('desktop.menu.backupNow'), enabled: idle.length > 0, action: { kind: 'backup', planIds: idle } });
    } else {
      items.push({
        id: 'backup',
        type: 'submenu',
        label: label('desktop.menu.backupNow'),
        submenu: [
          { id: 'backup:all', type: 'normal', label: label('desktop.menu.backupAll'), enabled: idle.length > 0, action: { kind: 'backup', planIds: idle } },
          { id: 'backup:separator', type: 'separator' },
          ...status.plans.map((plan): TrayMenuItem => ({
            id: `backup:${plan.planId}`,
            type: 'normal',
            label: plan.planId,
            enabled: !plan.running,
            action: { kind: 'backup', planIds: [plan.planId] },
          })),
        ],
      });
    }
    if (running.length > 0) {
      items.push({ id: 'cancel', type: 'normal', label: label('desktop.menu.cancelBackup'), action: { kind: 'cancel', jobIds: running } });
    }
  }

  if (configured && allowed('pause')) {
    if (status.health === 'paused' || status.pausedUntil) {
      items.push({ id: 'resume', type: 'normal', label: label('desktop.menu.resume'), action: { kind: 'resume' } });
    } else {
      const inHours = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
      items.push({
        id: 'pause',
        type: 'submenu',
        label: label('desktop.menu.pause'),
        submenu: [
          { id: 'pause:1h', type: 'normal', label: label('desktop.menu.pause1h'), action: { kind: 'pause', until: inHours(1) } },
          { id: 'pause:4h', type: 'normal', label: label('desktop.menu.pause4h'), action: { kind: 'pause', until: inHours(4) } },
          { id: 'pause:tomorrow', type: 'normal', label: label('desktop.menu.pauseTomorrow'), action: { kind: 'pause', until: tomorrowMorning(now).toISOString() } },
          { id: 'pause:indefinitely', type: 'normal', label: label('desktop.menu.pauseIndefinitely'), action: { kind: 'pause', until: null } },
        ],
      });
    }
  }

  items.push({ id: 'separator:windows', type: 'separator' });
  if (configured && allowed('restore')) {
    items.push({ id: 'restore', type: 'normal', label: label('desktop.menu.restore'), action: { kind: 'open', window: 'restore' } });
  }
  if (configured) {
    items.push({ id: 'history', type: 'normal', label: label('desktop.menu.history'), action: { kind: 'open', window: 'history' } });
  }
  // Settings stay reachable with a technician password even when the switch is off: that is how a
  // technician gets in on a locked-down machine.
  if (allowed('openSettings') || input.technicianPasswordRequired) {
    items.push({
      id: 'settings',
      type: 'normal',
      label: label(input.technicianPasswordRequired && !technician ? 'desktop.menu.settingsTechnician' : 'desktop.menu.settings'),
      action: { kind: 'open', window: 'settings' },
    });
  }

  if (allowed('quit')) {
    items.push({ id: 'separator:quit', type: 'separator' });
    items.push({ id: 'quit', type: 'normal', label: label('desktop.menu.quit'), action: { kind: 'quit' } });
  }
  return items;
}

/** 08:00 local time of the next day: "until tomorrow morning" means the start of the working day. */
export function tomorrowMorning(now: Date): Date {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 8, 0, 0, 0);
  return next;
}

/** Depth-first lookup used by the click router and the e2e hooks. */
export function findMenuItem(items: TrayMenuItem[], id: string): TrayMenuItem | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = item.submenu ? findMenuItem(item.submenu, id) : undefined;
    if (inner) return inner;
  }
  return undefined;
}
