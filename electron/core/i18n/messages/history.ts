// Messages of the history domain. Same keys in both languages; `{name}` placeholders.
const en = {
  'history.status.pending': 'Waiting',
  'history.status.running': 'Running',
  'history.status.success': 'Succeeded',
  'history.status.warning': 'Finished with warnings',
  'history.status.failure': 'Failed',
  'history.status.cancelled': 'Cancelled',
  'history.status.interrupted': 'Interrupted (the app or the computer stopped during the operation)',
  'history.type.hook': 'Notification or script',
  'history.error.operationNotFound': 'There is no operation {id} in the history.',
  'history.error.badCursor': 'The history page marker is not valid; start again from the first page.',
} as const;

export const historyMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'history.status.pending': 'Aguardando',
    'history.status.running': 'Em andamento',
    'history.status.success': 'Concluído',
    'history.status.warning': 'Concluído com avisos',
    'history.status.failure': 'Falhou',
    'history.status.cancelled': 'Cancelado',
    'history.status.interrupted': 'Interrompido (o aplicativo ou o computador parou durante a operação)',
    'history.type.hook': 'Notificação ou script',
    'history.error.operationNotFound': 'Não existe a operação {id} no histórico.',
    'history.error.badCursor': 'O marcador de página do histórico não é válido; recomece pela primeira página.',
  },
};
