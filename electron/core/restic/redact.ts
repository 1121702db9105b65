// Secrets must never reach a log line, an error or an event. Every text that leaves the engine
// goes through a redactor built from the values the invocation handed to restic.
//
// Only exact secret values are masked, and only values long enough to be told apart from words:
// a REST password "errada" once turned "A senha do repositório está errada." into "… está ***.",
// and a two-letter value shreds every line it occurs in. So a value is masked where it stands as
// a whole (not inside a longer word), values shorter than MIN_SECRET are never masked in free
// text, and words of Cofre's own messages (`ordinaryWords`) are never masked: Cofre writes those
// words itself, restic never prints a password. Credentials inside URLs are masked whatever they are.

const MASK = '***';
export const MIN_SECRET = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret can take in restic's output: raw, URL-encoded, JSON-escaped. */
function variants(secret: string): string[] {
  const forms = new Set<string>([secret]);
  try {
    forms.add(encodeURIComponent(secret));
    forms.add(encodeURI(secret));
  } catch {
    // lone surrogates cannot be URL-encoded; the raw form is still masked
  }
  forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms].filter((f) => f.length > 0);
}

// `scheme://user:pass@host` and `//user@host`: restic masks only the password (`user:***@`).
const URL_USERINFO = /(\/\/)[^/\s@"'<>]+@/g;

export interface RedactorOptions {
  /** Words (lower case) that are ordinary text here and must never be masked. */
  ordinaryWords?: ReadonlySet<string>;
}

/** A value masked only where it stands whole: not glued to a letter or digit on either side. */
function whole(form: string): string {
  const start = /^[\p{L}\p{N}]/u.test(form) ? '(?<![\\p{L}\\p{N}])' : '';
  const end = /[\p{L}\p{N}]$/u.test(form) ? '(?![\\p{L}\\p{N}])' : '';
  return `${start}${escapeRegExp(form)}${end}`;
}

export function makeRedactor(secrets: string[], options: RedactorOptions = {}): (text: string) => string {
  const ordinary = options.ordinaryWords;
  const maskable = secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET && !ordinary?.has(s.toLowerCase()));
  const forms = [...new Set(maskable.flatMap(variants))].filter((f) => f.length >= MIN_SECRET).sort((a, b) => b.length - a.length);
  const pattern = forms.length > 0 ? new RegExp(forms.map(whole).join('|'), 'gu') : undefined;
  return (text: string): string => {
    let out = pattern ? text.replace(pattern, MASK) : text;
    out = out.replace(URL_USERINFO, `$1${MASK}:${MASK}@`);
    return out;
  };
}
