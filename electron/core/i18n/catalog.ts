// Aggregates each domain's messages. Every domain owns one file in ./messages/ with the same
// keys in both languages (a unit test checks that); add a domain by importing it here.
import { commonMessages } from './messages/common.js';
import { resticMessages } from './messages/restic.js';
import { configMessages } from './messages/config.js';
import { agentMessages } from './messages/agent.js';
import { restoreMessages } from './messages/restore.js';
import { cliMessages } from './messages/cli.js';
import { serverMessages } from './messages/server.js';
import { uiMessages } from './messages/ui.js';
import { desktopMessages } from './messages/desktop.js';
import { scheduleMessages } from './messages/schedule.js';
import { historyMessages } from './messages/history.js';
import { hooksMessages } from './messages/hooks.js';
import { jobsMessages } from './messages/jobs.js';
import { policyMessages } from './messages/policy.js';
import { importMessages } from './messages/import.js';
import { fleetMessages } from './messages/fleet.js';
import { hardeningMessages } from './messages/hardening.js';
import { serviceMessages } from './messages/service.js';
import { fleetUiMessages } from './messages/fleet-ui.js';
import { agentModeMessages } from './messages/agent-mode.js';

const domains = [commonMessages, resticMessages, configMessages, agentMessages, restoreMessages, cliMessages, serverMessages, uiMessages, desktopMessages,
  scheduleMessages, historyMessages, hooksMessages, jobsMessages, policyMessages, importMessages, fleetMessages, hardeningMessages, serviceMessages,
  fleetUiMessages, agentModeMessages] as const;

type Domain = (typeof domains)[number];
type KeysOf<D> = D extends { en: infer E } ? keyof E : never;
export type MessageKey = Extract<KeysOf<Domain>, string>;

function merge(locale: 'en' | 'pt-BR'): Record<MessageKey, string> {
  return Object.assign({}, ...domains.map((d) => d[locale])) as Record<MessageKey, string>;
}

export const catalog: Record<'en' | 'pt-BR', Record<MessageKey, string>> = {
  en: merge('en'),
  'pt-BR': merge('pt-BR'),
};

export const catalogDomains = domains;
