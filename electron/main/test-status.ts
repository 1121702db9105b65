// Builders of agent status values for the shell's unit tests (not shipped: only index.ts is bundled).
import type { AgentStatus, PlanStatus } from '../core/api.js';

export function planStatus(overrides: Partial<PlanStatus> = {}): PlanStatus {
  return {
    planId: 'documentos',
    repoId: 'financeiro',
    paths: ['C:\\Users\\ana\\Documents'],
    state: 'ok',
    lastSuccessAt: '2026-11-27T10:00:00.000Z',
    lastAttemptAt: '2026-11-27T10:00:00.000Z',
    lastOutcome: 'success',
    lastCause: null,
    lastMessage: null,
    lastBackupBytes: 1024,
    nextRunAt: '2026-11-27T13:00:00.000Z',
    overdue: false,
    managed: false,
    running: null,
    ...overrides,
  };
}

export function agentStatus(overrides: Partial<AgentStatus> = {}): AgentStatus {
  return {
    health: 'ok',
    cause: null,
    causePlanId: null,
    pausedUntil: null,
    plans: [planStatus()],
    generatedAt: '2026-11-27T12:00:00.000Z',
    ...overrides,
  };
}
