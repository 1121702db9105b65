// Messages shared by every domain: generic errors and validation.
const en = {
  'error.invalidInput': 'Invalid input: {details}',
  'error.invalidField': '{path}: {problem}',
  'error.internal': 'Something unexpected went wrong. Details were written to the log.',
  'error.notFound': 'Not found: {what}',
  'error.forbidden': 'You are not allowed to do this.',
  'error.lockedByPolicy': 'This setting is managed by your organization and cannot be changed here.',
  'error.notAllowedByPolicy': 'Your organization does not allow this action on this computer.',
  'error.technicianRequired': 'This needs the technician password.',
  'error.conflict': 'The configuration was changed elsewhere in the meantime. Reload and try again.',
  'error.busy': 'Another operation is already running for this plan.',
  'common.justNow': 'just now',
  'common.todayAt': 'today, {time}',
  'common.yesterdayAt': 'yesterday, {time}',
} as const;

export const commonMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'error.invalidInput': 'Dados inválidos: {details}',
    'error.invalidField': '{path}: {problem}',
    'error.internal': 'Algo inesperado aconteceu. Os detalhes foram gravados no log.',
    'error.notFound': 'Não encontrado: {what}',
    'error.forbidden': 'Você não tem permissão para fazer isso.',
    'error.lockedByPolicy': 'Esta configuração é gerenciada pela sua organização e não pode ser alterada aqui.',
    'error.notAllowedByPolicy': 'Sua organização não permite esta ação neste computador.',
    'error.technicianRequired': 'Isto exige a senha do técnico.',
    'error.conflict': 'A configuração foi alterada em outro lugar enquanto isso. Recarregue e tente de novo.',
    'error.busy': 'Já existe uma operação em andamento para este plano.',
    'common.justNow': 'agora há pouco',
    'common.todayAt': 'hoje, {time}',
    'common.yesterdayAt': 'ontem, {time}',
  },
};
