// Messages of the headless HTTP face.
const en = {
  'server.badHost': 'This address is not allowed. Open Cofre through 127.0.0.1 or localhost.',
  'server.unauthorized': 'Missing or wrong access token. Open the address printed by "cofre serve".',
  'server.methodNotAllowed': 'This HTTP method is not allowed here.',
  'server.jsonRequired': 'The request must be JSON (Content-Type: application/json).',
  'server.tooLarge': 'The request is too large.',
  'server.listening': 'Cofre is running. Open this address in your browser:',
  'server.stopHint': 'Press Ctrl+C to stop.',
} as const;

export const serverMessages: { en: typeof en; 'pt-BR': Record<keyof typeof en, string> } = {
  en,
  'pt-BR': {
    'server.badHost': 'Este endereço não é permitido. Abra o Cofre por 127.0.0.1 ou localhost.',
    'server.unauthorized': 'Token de acesso ausente ou errado. Abra o endereço mostrado por "cofre serve".',
    'server.methodNotAllowed': 'Este método HTTP não é permitido aqui.',
    'server.jsonRequired': 'A solicitação precisa ser JSON (Content-Type: application/json).',
    'server.tooLarge': 'A solicitação é grande demais.',
    'server.listening': 'O Cofre está em execução. Abra este endereço no navegador:',
    'server.stopHint': 'Pressione Ctrl+C para parar.',
  },
};
