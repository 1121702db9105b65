import { describe, expect, it } from 'vitest';
import { maxTooltipLength, trayTooltip } from './tooltip.js';
import { agentStatus, planStatus } from './test-status.js';

const now = new Date('2026-11-27T12:00:00.000Z');

describe('tray tooltip', () => {
  it('says when the last backup happened, in Portuguese', () => {
    expect(trayTooltip(agentStatus(), now, 'pt-BR')).toBe('Cofre\nÚltimo backup: há 2 horas');
    expect(trayTooltip(agentStatus(), now, 'en')).toBe('Cofre\nLast backup: 2 hours ago');
  });

  it('uses the most recent success across plans', () => {
    const status = agentStatus({ plans: [planStatus({ lastSuccessAt: '2026-11-20T12:00:00.000Z' }), planStatus({ planId: 'b', lastSuccessAt: '2026-11-27T11:00:00.000Z' })] });
    expect(trayTooltip(status, now, 'pt-BR')).toBe('Cofre\nÚltimo backup: há 1 hora');
  });

  it('names the problem first when something is wrong', () => {
    const failed = agentStatus({ health: 'failed', plans: [planStatus({ lastSuccessAt: null })] });
    expect(trayTooltip(failed, now, 'pt-BR')).toBe('Cofre\nO último backup falhou\nNenhum backup ainda');
    const running = agentStatus({
      health: 'running',
      plans: [planStatus({ running: { jobId: 'j', progress: { percentDone: 0.456, totalFiles: 1, filesDone: 0, totalBytes: 1, bytesDone: 0, secondsElapsed: 1, currentFiles: [], errorCount: 0 } } })],
    });
    expect(trayTooltip(running, now, 'pt-BR')).toContain('Fazendo backup: 45%');
    expect(trayTooltip(agentStatus({ health: 'not-configured', plans: [] }), now, 'pt-BR')).toBe('Cofre\nAinda não configurado');
    expect(trayTooltip(agentStatus({ health: 'paused', pausedUntil: null }), now, 'pt-BR')).toContain('Backups pausados');
  });

  it('fits the Windows tooltip limit', () => {
    const status = agentStatus({ health: 'paused', pausedUntil: '2026-11-28T08:00:00.000Z' });
    expect(trayTooltip(status, now, 'pt-BR').length).toBeLessThanOrEqual(maxTooltipLength);
  });
});
