// Public surface of Backrest-compatible hooks.
export { conditionMatches, conditionsFor, isErrorCondition, isStartCondition, matchingHooks, type OperationKind, type OperationPhase } from './conditions.js';
export { renderTemplate, parseTemplate, TemplateError } from './template.js';
export { defaultSummary, hookEnvironment, shellEscape, stripUriCredentials, templateData, type HookEvent } from './vars.js';
export { healthchecksUrl, defaultMessageTemplate } from './actions.js';
export { actionOf, redact, runHooks, supportedActions, type HookActionName, type HookRunResult, type HookVars, type RunHooksOptions } from './run-hooks.js';
