// Which agent the window talks to (issue 13): the machine's Cofre service, an agent inside this
// user's own app, or `cofre serve`. The clerk's line on the status screen is quiet and plain; the
// technician's row in Diagnóstico names the mode exactly. Same keys in both languages.
const en = {
  'ui.agentMode.status.service': "Protected by this computer's Cofre service",
  'ui.agentMode.status.in-process': 'Cofre running in your user session',
  'ui.agentMode.status.serve': 'Cofre in windowless mode (open in the browser)',
  'ui.agentMode.diag.label': 'Agent',
  'ui.agentMode.diag.service': "this computer's service (one for all its users)",
  'ui.agentMode.diag.in-process': "this user's process (no service in use)",
  'ui.agentMode.diag.serve': 'cofre serve (windowless, through the browser)',
} as const;

export const agentModeMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'ui.agentMode.status.service': 'Protegido pelo serviço Cofre deste computador',
    'ui.agentMode.status.in-process': 'Cofre funcionando na sua sessão de usuário',
    'ui.agentMode.status.serve': 'Cofre no modo sem janela (aberto no navegador)',
    'ui.agentMode.diag.label': 'Agente',
    'ui.agentMode.diag.service': 'serviço do computador (um só para todos os usuários)',
    'ui.agentMode.diag.in-process': 'processo deste usuário (sem serviço em uso)',
    'ui.agentMode.diag.serve': 'cofre serve (sem janela, pelo navegador)',
  },
};
