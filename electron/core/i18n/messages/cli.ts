// Messages of the `cofre` command.
const en = {
  'cli.usage': `Usage: cofre <command> [options]

Commands:
  status                         backup state of every plan
  backup <planId>                back up now, apply retention and wait (exit 0 ok, 3 warning, 1 failure)
  snapshots [--plan ID]          snapshots of this machine
  history [--plan ID] [--limit N]
  browse <snapshotId> [<path>]   list a folder of a snapshot
  find <pattern> [--snapshot ID] search files by name (* and ? allowed)
  versions <path>                versions of one file across snapshots
  restore <snapshotId> <path>... [--to DIR | --original] [--conflict keep-both|replace|skip]
  config validate | export-backrest [<file>] [--include-secrets] [--backrest 1.10|1.13|current]
                                 (--backrest: the Backrest release the file is for; default: the config's own version)
  config import-backrest <file> [--replace] [--take-instance] [--dry-run]
                                 add or update the file's repositories and plans (nothing else
                                 changes); --replace takes the whole file; --dry-run only shows
                                 what would change
  config undo-import             restore the configuration and passwords from before the last import
  policy show
  run                            run the agent with its scheduler in the foreground
  serve [--port N]               run the agent and its web interface on 127.0.0.1
  fleet [--file F] [--json|--csv|--html OUT.html] [--check] [--ping URL] [--department D] [--refresh]
                                 (technician) audit of every repository of the fleet file
                                 (default <config folder>/fleet.json); --check: exit 2 when a
                                 machine is overdue or a repository unreadable

Global options:
  --config FILE  --policy FILE  --data-dir DIR  --restic FILE  --lang pt-BR|en  --json  --technician  --help
Environment: COFRE_CONFIG, COFRE_POLICY, COFRE_DATA_DIR, COFRE_RESTIC, COFRE_TECHNICIAN_PASSWORD`,
  'cli.unknownCommand': 'Unknown command "{command}". Run "cofre --help" for the list of commands.',
  'cli.badArguments': 'Invalid arguments: {details}. Run "cofre --help".',
  'cli.missingArgument': 'Missing argument: {name}. Run "cofre --help".',
  'cli.health': 'Overall state: {state}',
  'cli.planLine': 'Plan {plan} ({repo}): {state}',
  'cli.lastBackup': '  last backup: {when}',
  'cli.lastBackupNever': '  last backup: never',
  'cli.nextRun': '  next run: {when}',
  'cli.problem': '  problem: {message}',
  'cli.noPlans': 'No backup plan is configured yet.',
  'cli.pausedUntil': 'Backups are paused until {when}.',
  'cli.backupStarted': 'Backup of plan {plan} started.',
  'cli.progress': '{percent}% - files: {files}, {bytes}',
  'cli.backupDone': 'Backup finished: snapshot {snapshot}.',
  'cli.backupWarning': 'Backup finished with warnings: {message}',
  'cli.retentionApplied.one': 'Retention applied: {count} old backup removed.',
  'cli.retentionApplied.other': 'Retention applied: {count} old backups removed.',
  'cli.retentionNothing': 'Retention applied: no old backup to remove.',
  'cli.retentionByServer': 'Old backups are removed by the server itself (it does not accept deletions from this computer): nothing to do here.',
  'cli.retentionFailed': 'The backup was made, but removing old backups (retention) failed: {message}',
  'cli.retentionCancelled': 'The backup was made, but removing old backups (retention) was interrupted; it runs again after the next backup.',
  'cli.jobFailed': 'Failed: {message}',
  'cli.action': 'What to do: {action}',
  'cli.noSnapshots': 'No snapshots yet.',
  'cli.noHistory': 'No operations recorded yet.',
  'cli.configValid': 'The configuration is valid: {repos}, {plans}.',
  'cli.configRecovered': 'The configuration file was damaged; the last good copy ({file}) is in use.',
  'cli.imported': 'Imported {repos} and {plans}. Secrets moved to the secret store: {secrets}.',
  'cli.exported': 'Backrest configuration written to {file}.',
  'cli.noPolicy': 'No machine policy is installed.',
  'cli.agentRunning': 'Cofre agent running (scheduler active). Press Ctrl+C to stop.',
  'cli.agentStopping': 'Stopping: waiting for running operations to end...',
  'cli.restoreStarted': 'Restore started.',
  'cli.restoreDone': 'Restored {restored}, unchanged {unchanged}, kept both {keptBoth}, skipped {skipped}, replaced {replaced}, failed {failed}.',
  'cli.restoreDestination': 'Destination: {path}',
  'cli.replacedFolder': 'Replaced files were kept in: {path}',
  'cli.versionLine': '{mtime}  {size}  in {snapshots} (latest {latest})',
  'cli.noResults': 'Nothing found.',
  'cli.noResultsInScope': 'Nothing found in the folders you may restore (your own folder and the folders this computer backs up).',
  'cli.moreResults': '... and {count} more.',
  'cli.technicianNeeded': 'This command needs the technician password: set COFRE_TECHNICIAN_PASSWORD.',
  'cli.lastInterrupted': '  last attempt interrupted: {when} (Cofre or the computer stopped during the backup)',
  'cli.clockSkew': '  note: some recorded times were in the future (the computer clock was wrong); they are shown as now',
  'cli.extraArguments': 'Too many arguments for "{command}": {extra}. Run "cofre --help".',
  'cli.configIsFolder': '--config must name a file, but "{path}" is a folder.',
  'cli.dataDirIsFile': '--data-dir must name a folder, but "{path}" is a file.',
  'cli.file.ENOENT': 'The folder for "{path}" does not exist. Create it or choose another place.',
  'cli.file.ENOTDIR': 'Part of the path "{path}" is a file, not a folder.',
  'cli.file.EISDIR': '"{path}" is a folder; a file name is needed.',
  'cli.file.EACCES': 'No permission to write or read "{path}".',
  'cli.file.EROFS': '"{path}" is on a read-only disk.',
  'cli.file.ENOSPC': 'The disk holding "{path}" is full.',
} as const;

export const cliMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'cli.usage': `Uso: cofre <comando> [opções]

Comandos:
  status                         situação do backup de cada plano
  backup <planoId>               faz o backup agora, aplica a retenção e espera (saída 0 ok, 3 aviso, 1 falha)
  snapshots [--plan ID]          snapshots deste computador
  history [--plan ID] [--limit N]
  browse <snapshotId> [<caminho>] lista uma pasta de um snapshot
  find <padrão> [--snapshot ID]  procura arquivos pelo nome (* e ? permitidos)
  versions <caminho>             versões de um arquivo nos snapshots
  restore <snapshotId> <caminho>... [--to PASTA | --original] [--conflict keep-both|replace|skip]
  config validate | export-backrest [<arquivo>] [--include-secrets] [--backrest 1.10|1.13|current]
                                 (--backrest: a versão do Backrest que vai ler o arquivo; padrão: a versão da própria configuração)
  config import-backrest <arquivo> [--replace] [--take-instance] [--dry-run]
                                 adiciona ou atualiza os repositórios e planos do arquivo (nada
                                 mais muda); --replace usa o arquivo inteiro; --dry-run só mostra
                                 o que mudaria
  config undo-import             volta a configuração e as senhas de antes da última importação
  policy show
  run                            executa o agente com o agendador em primeiro plano
  serve [--port N]               executa o agente e a interface web em 127.0.0.1
  fleet [--file F] [--json|--csv|--html SAIDA.html] [--check] [--ping URL] [--department S] [--refresh]
                                 (técnico) auditoria de todos os repositórios do arquivo da frota
                                 (padrão <pasta da config>/fleet.json); --check: saída 2 quando uma
                                 máquina está vencida ou um repositório ilegível

Opções globais:
  --config ARQUIVO  --policy ARQUIVO  --data-dir PASTA  --restic ARQUIVO  --lang pt-BR|en  --json  --technician  --help
Ambiente: COFRE_CONFIG, COFRE_POLICY, COFRE_DATA_DIR, COFRE_RESTIC, COFRE_TECHNICIAN_PASSWORD`,
    'cli.unknownCommand': 'Comando desconhecido "{command}". Execute "cofre --help" para ver os comandos.',
    'cli.badArguments': 'Argumentos inválidos: {details}. Execute "cofre --help".',
    'cli.missingArgument': 'Falta o argumento: {name}. Execute "cofre --help".',
    'cli.health': 'Situação geral: {state}',
    'cli.planLine': 'Plano {plan} ({repo}): {state}',
    'cli.lastBackup': '  último backup: {when}',
    'cli.lastBackupNever': '  último backup: nunca',
    'cli.nextRun': '  próxima execução: {when}',
    'cli.problem': '  problema: {message}',
    'cli.noPlans': 'Nenhum plano de backup configurado ainda.',
    'cli.pausedUntil': 'Os backups estão pausados até {when}.',
    'cli.backupStarted': 'Backup do plano {plan} iniciado.',
    'cli.progress': '{percent}% - arquivos: {files}, {bytes}',
    'cli.backupDone': 'Backup concluído: snapshot {snapshot}.',
    'cli.backupWarning': 'Backup concluído com avisos: {message}',
    'cli.retentionApplied.one': 'Retenção aplicada: {count} backup antigo removido.',
    'cli.retentionApplied.other': 'Retenção aplicada: {count} backups antigos removidos.',
    'cli.retentionNothing': 'Retenção aplicada: nenhum backup antigo para remover.',
    'cli.retentionByServer': 'Os backups antigos são removidos pelo próprio servidor (ele não aceita exclusões vindas deste computador): nada a fazer aqui.',
    'cli.retentionFailed': 'O backup foi feito, mas a remoção dos backups antigos (retenção) falhou: {message}',
    'cli.retentionCancelled': 'O backup foi feito, mas a remoção dos backups antigos (retenção) foi interrompida; ela roda de novo depois do próximo backup.',
    'cli.jobFailed': 'Falhou: {message}',
    'cli.action': 'O que fazer: {action}',
    'cli.noSnapshots': 'Nenhum snapshot ainda.',
    'cli.noHistory': 'Nenhuma operação registrada ainda.',
    'cli.configValid': 'A configuração é válida: {repos}, {plans}.',
    'cli.configRecovered': 'O arquivo de configuração estava danificado; a última cópia boa ({file}) está em uso.',
    'cli.imported': 'Importação feita: {repos} e {plans}. Segredos guardados no cofre de segredos: {secrets}.',
    'cli.exported': 'Configuração do Backrest gravada em {file}.',
    'cli.noPolicy': 'Nenhuma política da máquina está instalada.',
    'cli.agentRunning': 'Agente do Cofre em execução (agendador ativo). Pressione Ctrl+C para parar.',
    'cli.agentStopping': 'Parando: aguardando as operações em andamento terminarem...',
    'cli.restoreStarted': 'Restauração iniciada.',
    'cli.restoreDone': 'Restaurados {restored}, sem alteração {unchanged}, mantidas as duas versões {keptBoth}, ignorados {skipped}, substituídos {replaced}, com falha {failed}.',
    'cli.restoreDestination': 'Destino: {path}',
    'cli.replacedFolder': 'Os arquivos substituídos foram guardados em: {path}',
    'cli.versionLine': '{mtime}  {size}  em {snapshots} (último {latest})',
    'cli.noResults': 'Nada encontrado.',
    'cli.noResultsInScope': 'Nada encontrado nas pastas que você pode restaurar (a sua pasta pessoal e as pastas que este computador protege).',
    'cli.moreResults': '... e mais {count}.',
    'cli.technicianNeeded': 'Este comando exige a senha do técnico: defina COFRE_TECHNICIAN_PASSWORD.',
    'cli.lastInterrupted': '  última tentativa interrompida: {when} (o Cofre ou o computador parou durante o backup)',
    'cli.clockSkew': '  observação: alguns horários registrados estavam no futuro (o relógio do computador estava errado); eles aparecem como agora',
    'cli.extraArguments': 'Argumentos demais para "{command}": {extra}. Execute "cofre --help".',
    'cli.configIsFolder': '--config precisa indicar um arquivo, mas "{path}" é uma pasta.',
    'cli.dataDirIsFile': '--data-dir precisa indicar uma pasta, mas "{path}" é um arquivo.',
    'cli.file.ENOENT': 'A pasta de "{path}" não existe. Crie-a ou escolha outro lugar.',
    'cli.file.ENOTDIR': 'Parte do caminho "{path}" é um arquivo, não uma pasta.',
    'cli.file.EISDIR': '"{path}" é uma pasta; é preciso um nome de arquivo.',
    'cli.file.EACCES': 'Sem permissão para gravar ou ler "{path}".',
    'cli.file.EROFS': '"{path}" está em um disco somente leitura.',
    'cli.file.ENOSPC': 'O disco onde fica "{path}" está cheio.',
  },
};
