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
  'history.error.damagedMovedAside': 'The list of past backups was damaged and could not be read. It was kept as {file} and a new, empty list was started. Your backups themselves are not affected.',
  'history.error.dataDirReadOnly': 'Cofre cannot write to its folder {folder} (read-only or no permission). Give this user write access to the folder, or choose another one with --data-dir.',
  'history.notice.fileDeleted': 'The list of past backups ({file}) was deleted while Cofre was running. A new list was started; what was in the old one is gone. Your backups themselves are not affected.',
  'history.notice.fileReplaced': 'The list of past backups ({file}) was replaced while Cofre was running. Cofre now uses the new list, the same one the other Cofre windows and commands see. Your backups themselves are not affected.',
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
    'history.error.damagedMovedAside': 'A lista de backups anteriores estava danificada e não pôde ser lida. Ela foi guardada como {file} e uma lista nova, vazia, foi iniciada. Os seus backups em si não foram afetados.',
    'history.error.dataDirReadOnly': 'O Cofre não consegue gravar na pasta {folder} (somente leitura ou sem permissão). Dê a este usuário permissão de gravação na pasta, ou escolha outra com --data-dir.',
    'history.notice.fileDeleted': 'A lista de backups anteriores ({file}) foi apagada enquanto o Cofre estava aberto. Uma lista nova foi iniciada; o que havia na antiga se perdeu. Os seus backups em si não foram afetados.',
    'history.notice.fileReplaced': 'A lista de backups anteriores ({file}) foi substituída enquanto o Cofre estava aberto. O Cofre passou a usar a lista nova, a mesma que as outras janelas e comandos do Cofre veem. Os seus backups em si não foram afetados.',
  },
};
