// How Backrest turns config strings into restic arguments, reproduced so the same config.json
// behaves the same under Cofre (verified against Backrest's internal/orchestrator/repo/repo.go
// and env.go, and the google/shlex package it uses):
// - `${NAME}` is replaced by the process environment's value, an unknown name by nothing. Only
//   the braced form; `$NAME` stays as written. Backrest expands the repo `uri`, each `env`
//   value and each repo `flags` entry, but not plan `backup_flags`.
// - Each repo `flags` entry (after expansion) and each plan `backup_flags` entry is split into
//   shell words: blanks separate words; '...' keeps everything literally; "..." keeps everything
//   but lets a backslash escape the next character; a backslash outside quotes escapes the next
//   character; a '#' that starts a word starts a comment up to the end of the line. An unclosed
//   quote or a trailing backslash makes the entry invalid.
import { CofreError } from '../errors.js';

const reference = /\$\{([^}]*)\}/g;

/** `${NAME}` references replaced from `processEnv`; unknown names become empty (as Backrest). */
export function expandBackrestEnv(value: string, processEnv: NodeJS.ProcessEnv = process.env): string {
  return value.replace(reference, (_whole, name: string) => processEnv[name] ?? '');
}

/** The names referenced with `${NAME}` in a value, in order of appearance. */
export function referencedVariables(value: string): string[] {
  return [...value.matchAll(reference)].map((m) => m[1] ?? '');
}

export type ShellSplitResult = { ok: true; words: string[] } | { ok: false; reason: 'unclosed-quote' | 'trailing-escape' };

const blanks = new Set([' ', '\t', '\r', '\n']);

/** google/shlex's Split, as a pure function that reports instead of throwing. */
export function splitShellWords(input: string): ShellSplitResult {
  const words: string[] = [];
  let word: string[] | undefined; // undefined = between words
  let i = 0;
  const chars = [...input];
  while (i < chars.length) {
    const c = chars[i] as string;
    if (word === undefined) {
      if (blanks.has(c)) {
        i += 1;
        continue;
      }
      if (c === '#') {
        // A comment: skip to the end of the line.
        while (i < chars.length && chars[i] !== '\n') i += 1;
        continue;
      }
      word = [];
    }
    if (blanks.has(c)) {
      words.push(word.join(''));
      word = undefined;
      i += 1;
    } else if (c === '\\') {
      if (i + 1 >= chars.length) return { ok: false, reason: 'trailing-escape' };
      word.push(chars[i + 1] as string);
      i += 2;
    } else if (c === "'") {
      const end = chars.indexOf("'", i + 1);
      if (end < 0) return { ok: false, reason: 'unclosed-quote' };
      word.push(...chars.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      for (;;) {
        if (i >= chars.length) return { ok: false, reason: 'unclosed-quote' };
        const q = chars[i] as string;
        if (q === '"') {
          i += 1;
          break;
        }
        if (q === '\\') {
          if (i + 1 >= chars.length) return { ok: false, reason: 'trailing-escape' };
          word.push(chars[i + 1] as string);
          i += 2;
        } else {
          word.push(q);
          i += 1;
        }
      }
    } else {
      word.push(c);
      i += 1;
    }
  }
  if (word !== undefined) words.push(word.join(''));
  return { ok: true, words };
}

/**
 * Backrest config entries -> restic arguments. `field` names the config field of the entries
 * (`repos[nas].flags`), so an entry restic cannot be given is reported where it is written.
 */
export function flagEntriesToArgs(entries: readonly string[], field: string): string[] {
  const args: string[] = [];
  entries.forEach((entry, index) => {
    const split = splitShellWords(entry);
    if (!split.ok) {
      throw new CofreError('restic.flagUnparsable', {
        cause: 'invalid-input',
        params: { field: `${field}[${index}]` },
        detail: split.reason,
      });
    }
    args.push(...split.words);
  });
  return args;
}

/** A repo's `flags` as restic arguments: each entry `${VAR}`-expanded, then split (as Backrest). */
export function repoFlagArgs(repo: { id: string; flags?: readonly string[] }, processEnv: NodeJS.ProcessEnv = process.env): string[] {
  return flagEntriesToArgs((repo.flags ?? []).map((f) => expandBackrestEnv(f, processEnv)), `repos[${repo.id}].flags`);
}

/**
 * The repository URI with `${VAR}` expanded. Backrest silently expands an unknown variable to
 * nothing, which sends backups to another place than the one meant (the server's root, or a
 * repository literally named `${...}` when nothing expands): Cofre refuses instead.
 */
export function expandRepoUri(repo: { id: string; uri: string }, processEnv: NodeJS.ProcessEnv = process.env): string {
  const missing = referencedVariables(repo.uri).filter((name) => !processEnv[name]);
  if (missing.length > 0) {
    throw new CofreError('restic.uriVariableMissing', {
      cause: 'invalid-input',
      params: { repo: repo.id, variable: missing.join(', ') },
    });
  }
  return expandBackrestEnv(repo.uri, processEnv);
}

/** restic options that give backup its sources, so a plan may have no `paths`. */
export const filesFromFlags = ['--files-from', '--files-from-verbatim', '--files-from-raw'] as const;

export function hasFilesFrom(args: readonly string[]): boolean {
  return args.some((a) => filesFromFlags.some((f) => a === f || a.startsWith(`${f}=`)));
}
