// Messages of the fleet audit (cofre fleet, the technician's fleet screen, the HTML report).
// Same keys in both languages; `{name}` placeholders. pt-BR is for the Prefeitura's IT staff.
const en = {
  'fleet.notYet': 'The fleet audit is not available yet.',
} as const;

export const fleetMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'fleet.notYet': 'A auditoria da frota ainda não está disponível.',
  },
};
