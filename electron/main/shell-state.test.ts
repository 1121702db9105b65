import { describe, expect, it } from 'vitest';
import { memoryBackend, reachableBounds, reachablePosition, ShellState } from './shell-state.js';

describe('shell state', () => {
  it('remembers window places, the popover position, shown notifications and the first run across a restart', () => {
    const backend = memoryBackend();
    const before = new ShellState(backend);
    before.rememberWindowBounds('settings', { x: 100, y: 80, width: 900, height: 700 });
    before.rememberPopoverPosition({ x: 1500, y: 540 });
    before.rememberNotifier({ announcedOutcome: { docs: 'failure:server-unreachable' }, announcedOverdue: ['fotos'] });
    before.markFirstRunDone();
    const after = new ShellState(backend);
    expect(after.windowBounds('settings')).toEqual({ x: 100, y: 80, width: 900, height: 700 });
    expect(after.windowBounds('restore')).toBeNull();
    expect(after.popoverPosition()).toEqual({ x: 1500, y: 540 });
    expect(after.notifier()).toEqual({ announcedOutcome: { docs: 'failure:server-unreachable' }, announcedOverdue: ['fotos'] });
    expect(after.firstRunDone()).toBe(true);
  });

  it('starts fresh from a damaged or foreign file instead of failing', () => {
    const backend = memoryBackend();
    backend.set('windowBounds', { settings: { x: 'a', y: 1, width: 2, height: 3 }, restore: null });
    backend.set('popoverPosition', 'bottom-right');
    backend.set('notifier', { announcedOutcome: { docs: 42, fotos: 'warning' }, announcedOverdue: 'docs' });
    backend.set('firstRunDone', 'yes');
    const state = new ShellState(backend);
    expect(state.windowBounds('settings')).toBeNull();
    expect(state.windowBounds('restore')).toBeNull();
    expect(state.popoverPosition()).toBeNull();
    expect(state.notifier()).toEqual({ announcedOutcome: {}, announcedOverdue: [] });
    expect(state.firstRunDone()).toBe(false);
  });

  it('puts a window back only where it can still be reached (a monitor may be gone)', () => {
    const laptop = { x: 0, y: 0, width: 1920, height: 1040 };
    expect(reachableBounds({ x: 100, y: 80, width: 900, height: 700 }, [laptop])).toEqual({ x: 100, y: 80, width: 900, height: 700 });
    expect(reachableBounds({ x: 2200, y: 80, width: 900, height: 700 }, [laptop])).toBeNull();
    expect(reachablePosition({ x: 1500, y: 500 }, { width: 380, height: 520 }, laptop)).toEqual({ x: 1500, y: 500 });
    expect(reachablePosition({ x: 1700, y: 500 }, { width: 380, height: 520 }, laptop)).toBeNull();
  });
});
