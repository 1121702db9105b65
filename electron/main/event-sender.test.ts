import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../core/api.js';
import { sendEvent, type EventWindow } from './event-sender.js';

function fakeWindow(destroyed = false): EventWindow & { sent: Array<[string, ApiEvent]> } {
  const sent: Array<[string, ApiEvent]> = [];
  return { sent, isDestroyed: () => destroyed, webContents: { send: (channel, payload) => sent.push([channel, payload]) } };
}

describe('event sender', () => {
  it('sends each agent event on the event channel the preload listens to, to every open window only', () => {
    const open = fakeWindow();
    const closed = fakeWindow(true);
    const event: ApiEvent = { type: 'configChanged', data: { modno: 7 } };
    sendEvent([open, closed], event);
    expect(open.sent).toEqual([['cofre:event', event]]);
    expect(closed.sent).toEqual([]);
  });
});
