// Runs the `cofre` command in process, as a user would type it, and captures what it prints.
import { main } from '../../electron/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) }, { ...process.env, LANG: 'pt_BR.UTF-8', ...env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
