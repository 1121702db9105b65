// Secrets must never reach a log line, an error or an event. Every text that leaves the engine
// goes through a redactor built from the values the invocation handed to restic.

const MASK = '***';
// Short values (an env flag like `1` or `max`) would shred every log line if masked everywhere;
// below this length they are masked only as whole words.
const MIN_ANYWHERE = 4;

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

export function makeRedactor(secrets: string[]): (text: string) => string {
  const forms = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0).flatMap(variants))].sort(
    (a, b) => b.length - a.length,
  );
  const anywhere = forms.filter((f) => f.length >= MIN_ANYWHERE).map(escapeRegExp);
  const wholeWord = forms.filter((f) => f.length < MIN_ANYWHERE).map(escapeRegExp);
  const parts: string[] = [];
  if (anywhere.length > 0) parts.push(anywhere.join('|'));
  if (wholeWord.length > 0) parts.push(`(?<![\\p{L}\\p{N}])(?:${wholeWord.join('|')})(?![\\p{L}\\p{N}])`);
  const pattern = parts.length > 0 ? new RegExp(parts.join('|'), 'gu') : undefined;
  return (text: string): string => {
    let out = pattern ? text.replace(pattern, MASK) : text;
    out = out.replace(URL_USERINFO, `$1${MASK}:${MASK}@`);
    return out;
  };
}
