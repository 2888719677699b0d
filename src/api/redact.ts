/** The shortest piece of a secret that is hidden on its own, e.g. where a message was cut off inside a token. */
const MIN_FRAGMENT = 8;

/**
 * Replaces each secret with `***`: as it is, percent-encoded (either case of hex) and base64-encoded, and also any
 * piece of it at least MIN_FRAGMENT characters long, so a truncated token is hidden too.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret)
      [secret, encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64')].forEach((form) =>
        forms.add(form),
      );
  }
  if (forms.size === 0 || !text) return text;
  // encodeURIComponent writes upper-case hex; %2f and %2F are the same byte.
  const folded = text.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
  const hidden = new Array<boolean>(text.length).fill(false);
  for (const form of forms) markOccurrences(folded, form, hidden);
  let result = '';
  for (let i = 0; i < text.length; i++) {
    if (!hidden[i]) result += text[i];
    else if (i === 0 || !hidden[i - 1]) result += '***';
  }
  return result;
}

function markOccurrences(text: string, secret: string, hidden: boolean[]): void {
  if (secret.length <= MIN_FRAGMENT) {
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1))
      hidden.fill(true, at, at + secret.length);
    return;
  }
  const pieces = new Set<string>();
  for (let i = 0; i + MIN_FRAGMENT <= secret.length; i++) pieces.add(secret.slice(i, i + MIN_FRAGMENT));
  for (let i = 0; i + MIN_FRAGMENT <= text.length; i++) {
    if (pieces.has(text.slice(i, i + MIN_FRAGMENT))) hidden.fill(true, i, i + MIN_FRAGMENT);
  }
}
