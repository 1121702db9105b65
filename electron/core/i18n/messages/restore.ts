// Messages of the restore domain. Same keys in both languages; `{name}` placeholders.
const en = {
  'restore.error.invalidPath': 'This is not a valid path inside a backup: {path}',
  'restore.error.invalidSnapshot': 'This is not a valid backup identifier: {id}',
  'restore.error.notIndexed': 'The backup {id} is not available for browsing yet. Open it again in a moment.',
  'restore.error.invalidPattern': 'Type part of a file name to search (you may use * and ?).',
  'restore.error.notInSnapshot': 'This item is not in the chosen backup: {path}',
  'restore.error.emptySelection': 'Choose at least one file or folder to restore.',
  'restore.error.invalidDestination': 'The destination folder is not valid: {path}',
  'restore.error.replaceNotAllowed': 'Your organization does not allow replacing existing files. Choose "keep both" instead.',
  'restore.error.noSpace': 'Not enough free space in {path}: the restore needs {needed} and only {available} is free. Free some space or choose another folder.',
  'restore.error.crossVolume': 'The selected items are on different disks. Restore them separately.',
  'restore.error.stagingFailed': 'Cofre could not prepare the restore in {path}. Check that you can write to this folder.',
  'restore.error.placeFailed': 'A restored file could not be put in place ({path}). Nothing was changed at the destination.',
  'restore.error.failed': 'The restore failed. Nothing was changed at the destination.',
  'restore.replacedFolderName': 'Files replaced by Cofre',
} as const;

export const restoreMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'restore.error.invalidPath': 'Este não é um caminho válido dentro de um backup: {path}',
    'restore.error.invalidSnapshot': 'Este não é um identificador de backup válido: {id}',
    'restore.error.notIndexed': 'O backup {id} ainda não está disponível para navegação. Abra de novo daqui a pouco.',
    'restore.error.invalidPattern': 'Digite parte do nome de um arquivo para buscar (você pode usar * e ?).',
    'restore.error.notInSnapshot': 'Este item não está no backup escolhido: {path}',
    'restore.error.emptySelection': 'Escolha pelo menos um arquivo ou pasta para restaurar.',
    'restore.error.invalidDestination': 'A pasta de destino não é válida: {path}',
    'restore.error.replaceNotAllowed': 'Sua organização não permite substituir arquivos existentes. Escolha "manter os dois".',
    'restore.error.noSpace': 'Não há espaço livre suficiente em {path}: a restauração precisa de {needed} e só há {available} livres. Libere espaço ou escolha outra pasta.',
    'restore.error.crossVolume': 'Os itens selecionados estão em discos diferentes. Restaure-os separadamente.',
    'restore.error.stagingFailed': 'O Cofre não conseguiu preparar a restauração em {path}. Verifique se você pode gravar nesta pasta.',
    'restore.error.placeFailed': 'Um arquivo restaurado não pôde ser colocado no lugar ({path}). Nada foi alterado no destino.',
    'restore.error.failed': 'A restauração falhou. Nada foi alterado no destino.',
    'restore.replacedFolderName': 'Arquivos substituídos pelo Cofre',
  },
};
