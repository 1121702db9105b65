// Secrets this process was given through its environment. They never go to a child that does not
// need them (hooks get a minimal environment) and are masked wherever text is logged or recorded.
export const secretEnvironmentNames = [
  'COFRE_TECHNICIAN_PASSWORD',
  'COFRE_SERVE_TOKEN',
  'RESTIC_PASSWORD',
  'RESTIC_REST_PASSWORD',
  'RESTIC_REST_USERNAME',
  'AWS_SECRET_ACCESS_KEY',
  'B2_ACCOUNT_KEY',
  'AZURE_ACCOUNT_KEY',
] as const;

/** Values of the secret variables present in `env` (empty ones left out). */
export function processSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const values: string[] = [];
  for (const name of secretEnvironmentNames) {
    const value = env[name];
    if (value) values.push(value);
  }
  return values;
}
