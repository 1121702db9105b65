// Messages of the policy domain (machine policy, technician gate, enrollment). Same keys in both
// languages; `{name}` placeholders.
const en = {
  'policy.invalid': 'The machine policy {file} is not valid: {details}. Restricted settings are in effect until IT fixes it.',
  'policy.notJson': 'The machine policy {file} is damaged (not valid JSON). Restricted settings are in effect until IT fixes it.',
  'policy.unreadable': 'The machine policy {file} could not be read. Restricted settings are in effect until IT fixes it.',
  'policy.problem.hash': 'must look like scrypt$N$r$p$salt$hash',
  'policy.technicianWrongPassword': 'The technician password is wrong.',
  'policy.technicianLockedOut': 'Too many wrong attempts. Wait, then try again (seconds left: {seconds}).',
  'policy.technicianLockedOutMachine': 'Too many wrong technician passwords were tried on this computer. Wait, then try again (seconds left: {seconds}).',
  'policy.noTechnicianPassword': 'No technician password is set for this computer.',
  'policy.enrollmentUnavailable': 'Your organization has not set up automatic enrollment on this computer.',
  'policy.enrollmentPlaceholder': 'The enrollment template uses an unknown placeholder: {name}.',
  'policy.enrollmentUri': 'The enrollment template does not produce a valid repository address: {problem}.',
} as const;

export const policyMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'policy.invalid': 'A política da máquina {file} não é válida: {details}. Configurações restritas estão em vigor até que a TI a corrija.',
    'policy.notJson': 'A política da máquina {file} está danificada (não é um JSON válido). Configurações restritas estão em vigor até que a TI a corrija.',
    'policy.unreadable': 'Não foi possível ler a política da máquina {file}. Configurações restritas estão em vigor até que a TI a corrija.',
    'policy.problem.hash': 'deve ter a forma scrypt$N$r$p$sal$hash',
    'policy.technicianWrongPassword': 'A senha do técnico está errada.',
    'policy.technicianLockedOut': 'Muitas tentativas erradas. Espere e tente de novo (segundos restantes: {seconds}).',
    'policy.technicianLockedOutMachine': 'Foram tentadas muitas senhas de técnico erradas neste computador. Espere e tente de novo (segundos restantes: {seconds}).',
    'policy.noTechnicianPassword': 'Nenhuma senha de técnico foi definida para este computador.',
    'policy.enrollmentUnavailable': 'Sua organização não configurou o cadastro automático neste computador.',
    'policy.enrollmentPlaceholder': 'O modelo de cadastro usa um marcador desconhecido: {name}.',
    'policy.enrollmentUri': 'O modelo de cadastro não gera um endereço de repositório válido: {problem}.',
  },
};
