// The messages of every `vscode.l10n.t(...)` and `sentence(...)` call in src/, read straight from the sources (no TypeScript needed).
// Shared by scripts/l10nExtract.mjs, which writes l10n/bundle.l10n.json, and test/unit/l10n.test.ts, which checks
// that every message has a translation: one way of finding them, so the two can never disagree.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `vscode.l10n.t(` or `l10n.t(` (an `import { l10n } from 'vscode'` would be found too), and `sentence(`: the
 * sentences of src/api/errors.ts, which cannot import vscode and are translated by the VS Code layer.
 */
const CALL = /\b(?:(?:vscode\s*\.\s*)?l10n\s*\.\s*t|sentence)\s*\(/g;

const SIMPLE_ESCAPES = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0' };

/**
 * Reads the string literal starting at `text[start]` (a quote or a backtick): its value and the index after it, or
 * undefined when it is not a literal the message can be known from (not a quote, a `${…}` template, unterminated).
 */
function readLiteral(text, start) {
  const quote = text[start];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return { value, end: i + 1 };
    if (quote === '`' && c === '$' && text[i + 1] === '{') return undefined;
    if ((c === '\n' || c === '\r') && quote !== '`') return undefined;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = text[++i];
    if (next === undefined) return undefined;
    if (next === '\r' || next === '\n') {
      if (next === '\r' && text[i + 1] === '\n') i++; // a line continuation adds nothing
    } else if (next === 'x') {
      value += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (next === 'u' && text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      value += String.fromCodePoint(parseInt(text.slice(i + 2, close), 16));
      i = close;
    } else if (next === 'u') {
      value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      value += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return undefined;
}

function skipSpace(text, i) {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function lineAt(text, index) {
  let line = 1;
  for (let i = 0; i < index; i++) if (text[i] === '\n') line++;
  return line;
}

/** A match in a `//` or `/** … *\/` comment line is prose about the API, not a call. */
function inCommentLine(text, index) {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const before = text.slice(lineStart, index).trimStart();
  return before.startsWith('//') || before.startsWith('*') || before.startsWith('/*');
}

/**
 * The messages of one file's calls, in order, and the calls whose first argument is not a plain string literal
 * (a variable, a concatenation, a template with `${…}`, the `{ message, args }` form): those cannot be translated
 * by a bundle keyed on the English text, so they are reported as problems.
 */
export function extractFromText(text, file) {
  const messages = [];
  const problems = [];
  for (const match of text.matchAll(CALL)) {
    if (inCommentLine(text, match.index)) continue;
    // `function sentence(text: string, …)`: the definition, not a call.
    if (/\bfunction\s+$/.test(text.slice(Math.max(0, match.index - 20), match.index))) continue;
    const argStart = skipSpace(text, match.index + match[0].length);
    const literal = readLiteral(text, argStart);
    const after = literal ? skipSpace(text, literal.end) : argStart;
    const line = lineAt(text, match.index);
    if (literal && (text[after] === ',' || text[after] === ')')) {
      messages.push({ message: literal.value, file, line });
    } else {
      const lineEnd = text.indexOf('\n', argStart);
      problems.push({
        file,
        line,
        snippet: text
          .slice(match.index, lineEnd < 0 ? undefined : lineEnd)
          .trim()
          .slice(0, 100),
      });
    }
  }
  return { messages, problems };
}

/** Every `.ts` file below `dir`, sorted, as paths relative to `root` with forward slashes. */
export function sourceFiles(root, dir = 'src') {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')))
    .sort();
}

/**
 * Every message in src/ of the checkout at `root`: `messages` maps each distinct message (in order of first use)
 * to where it is used; `problems` lists the calls that are not a literal.
 */
export function extractMessages(root) {
  const messages = new Map();
  const problems = [];
  for (const file of sourceFiles(root)) {
    const found = extractFromText(readFileSync(path.join(root, file), 'utf8'), file);
    for (const { message, line } of found.messages) {
      if (!messages.has(message)) messages.set(message, []);
      messages.get(message).push({ file, line });
    }
    problems.push(...found.problems);
  }
  return { messages, problems };
}

/** The English bundle: each message maps to itself (VS Code's format for l10n/bundle.l10n.json). */
export function englishBundle(messages) {
  return Object.fromEntries([...messages.keys()].map((m) => [m, m]));
}

/** The `{0}`-style placeholders of a text, sorted and without repeats, for comparing a message with its translation. */
export function placeholdersOf(text) {
  return [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();
}
