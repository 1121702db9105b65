// The fleet audit: read the repositories of a fleet file and report per department, host and plan.
export { buildFleetReport, type ReportDeps, type ReportOptions } from './report.js';
export { defaultFleetFile, loadFleetFile, parseFleetFile } from './fleet-file.js';
export * from './schema.js';
