// Messages of the hardening domain (issue 15): request budgets on every face and one-shot CLI
// commands stopped by a signal. Same keys in both languages; `{name}` placeholders.
const en = {
  'limits.tooManyValues': 'The request holds too many values (more than {max}).',
  'limits.tooDeep': 'The request is nested too deeply (more than {max} levels).',
  'limits.tooLarge': 'The request is too large (more than {max} bytes).',
  'signals.interrupted': 'Stopped ({signal}): restic was asked to stop and release the repository. This attempt is recorded as interrupted.',
} as const;

export const hardeningMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'limits.tooManyValues': 'A solicitação contém valores demais (mais de {max}).',
    'limits.tooDeep': 'A solicitação tem níveis demais (mais de {max}).',
    'limits.tooLarge': 'A solicitação é grande demais (mais de {max} bytes).',
    'signals.interrupted': 'Interrompido ({signal}): o restic foi avisado para parar e liberar o repositório. Esta tentativa fica registrada como interrompida.',
  },
};
