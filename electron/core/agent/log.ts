// The agent's log file. Every line passes through the redactor built from every secret the agent
// knows, so a password can never reach the file, the "logs" screen or a support bundle.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { catalog } from '../i18n/catalog.js';
import { processSecrets } from '../process-secrets.js';
import { makeRedactor } from '../restic/index.js';

let messageWords: Set<string> | undefined;
/** Every word of Cofre's own messages, in both languages: text Cofre writes, never a secret to mask. */
export function ordinaryWords(): ReadonlySet<string> {
  if (!messageWords) {
    messageWords = new Set();
    for (const messages of Object.values(catalog)) {
      for (const text of Object.values(messages)) {
        for (const word of text.replace(/\{[^}]*\}/g, ' ').toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word.length >= 6) messageWords.add(word);
      }
    }
  }
  return messageWords;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogOptions {
  /** null = keep lines in memory only (tests, CLI one-shots). */
  file: string | null;
  maxBytes?: number;
  /** Mirror of each (redacted) line, e.g. to stderr for `cofre run --verbose`. */
  echo?: (line: string) => void;
  memoryLines?: number;
}

export class AgentLog {
  private readonly secrets = new Set<string>();
  private redact: (text: string) => string = makeRedactor([]);
  private readonly recent: string[] = [];

  constructor(private readonly options: LogOptions) {
    if (options.file) mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    // Secrets handed to the process (technician password, serve token) are known from the start.
    this.addSecrets(processSecrets());
  }

  addSecrets(values: Iterable<string | undefined>): void {
    let changed = false;
    for (const value of values) {
      if (value && value.length >= 3 && !this.secrets.has(value)) {
        this.secrets.add(value);
        changed = true;
      }
    }
    if (changed) this.redact = makeRedactor([...this.secrets], { ordinaryWords: ordinaryWords() });
  }

  /** Redacts arbitrary text with every secret known so far (for errors and history rows too). */
  scrub(text: string): string {
    return this.redact(text);
  }

  debug(message: string): void {
    this.write('debug', message);
  }
  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  error(message: string): void {
    this.write('error', message);
  }

  write(level: LogLevel, message: string): void {
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${this.redact(message).replace(/\r?\n/g, '\n    ')}`;
    this.recent.push(line);
    const keep = this.options.memoryLines ?? 2000;
    if (this.recent.length > keep) this.recent.splice(0, this.recent.length - keep);
    this.options.echo?.(line);
    if (!this.options.file) return;
    try {
      this.rotateIfNeeded(this.options.file);
      appendFileSync(this.options.file, line + '\n', { mode: 0o600 });
    } catch {
      // A full or read-only disk must not take the agent down; the in-memory tail still works.
    }
  }

  async tail(limit: number): Promise<string[]> {
    if (!this.options.file) return this.recent.slice(-limit);
    try {
      const text = await readFile(this.options.file, 'utf8');
      return text.split('\n').filter(Boolean).slice(-limit);
    } catch {
      return this.recent.slice(-limit);
    }
  }

  private rotateIfNeeded(file: string): void {
    const max = this.options.maxBytes ?? 5 * 1024 * 1024;
    try {
      if (statSync(file).size < max) return;
    } catch {
      return;
    }
    renameSync(file, `${file}.1`);
  }
}
