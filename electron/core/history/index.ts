// Operation history (SQLite) and the status derived from it.
export { HistoryStore, type HistoryStoreOptions } from './store.js';
export { deriveStatus, derivePlanStatus, type AgentStatus, type Health, type PlanState, type PlanStatus, type RunningPlan, type StatusInput } from './status.js';
export * from './types.js';
