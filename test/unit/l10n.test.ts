import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** scripts/l10nStrings.mjs, the one reader of vscode.l10n.t calls, shared with scripts/l10nExtract.mjs. */
interface L10nStrings {
  extractMessages(root: string): {
    messages: Map<string, { file: string; line: number }[]>;
    problems: { file: string; line: number; snippet: string }[];
  };
  placeholdersOf(text: string): string[];
}

// Compiled to out/test/unit/, so the checkout is three folders up.
const root = path.resolve(__dirname, '..', '..', '..');
const LOCALES = ['zh-cn'];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
}

function readStrings(file: string): Record<string, string> {
  const json = readJson(file);
  for (const [key, value] of Object.entries(json))
    assert.equal(typeof value, 'string', `${file}: the value of ${JSON.stringify(key)} is not a string`);
  return json as Record<string, string>;
}

/** Each difference on its own line, so a failure names every message at once. */
function assertNone(problems: string[], what: string): void {
  assert.deepEqual(problems, [], `${what}:\n  ${problems.join('\n  ')}`);
}

const matches = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => m[0]).sort();
/** What a translation must keep as it is: markdown command links, `#setting#` references, inline code. */
const commandLinks = (text: string) => matches(text, /\]\(command:[^)]*\)/g);
const settingRefs = (text: string) => matches(text, /#paiTensorboard\.[\w.]+#/g);
const codeSpans = (text: string) => matches(text, /`[^`]*`/g);

/** Every `%key%` anywhere in package.json's values. */
function manifestKeys(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const match = /^%(.+)%$/.exec(value);
    if (match) found.add(match[1]!);
  } else if (Array.isArray(value)) {
    value.forEach((v) => manifestKeys(v, found));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => manifestKeys(v, found));
  }
  return found;
}

describe('localization', () => {
  let strings: L10nStrings;
  let extracted: ReturnType<L10nStrings['extractMessages']>;
  let messages: Map<string, { file: string; line: number }[]>;

  before(async () => {
    strings = (await import(pathToFileURL(path.join(root, 'scripts', 'l10nStrings.mjs')).href)) as L10nStrings;
    extracted = strings.extractMessages(root);
    messages = extracted.messages;
  });

  it('finds the messages of src/, each a string literal a bundle can be keyed on', () => {
    assertNone(
      extracted.problems.map((p) => `${p.file}:${p.line}: ${p.snippet}`),
      'vscode.l10n.t calls whose message is not a string literal',
    );
    assert.ok(messages.size > 100, `only ${messages.size} messages found in src/`);
  });

  describe('package.nls.json', () => {
    let english: Record<string, string>;
    before(() => {
      english = readStrings('package.nls.json');
    });

    it('has a key for every %key% in package.json, and no key package.json does not use', () => {
      const used = manifestKeys(readJson('package.json'));
      assertNone(
        [...used].filter((k) => !(k in english)),
        'used in package.json, missing from package.nls.json',
      );
      assertNone(
        Object.keys(english).filter((k) => !used.has(k)),
        'in package.nls.json, used nowhere in package.json',
      );
      assertNone(
        Object.keys(english).filter((k) => !english[k]!.trim()),
        'empty in package.nls.json',
      );
    });

    for (const locale of LOCALES) {
      const file = `package.nls.${locale}.json`;

      it(`${file} translates exactly its keys, none empty`, () => {
        const translated = readStrings(file);
        assertNone(
          Object.keys(english).filter((k) => !(k in translated)),
          `missing from ${file}`,
        );
        assertNone(
          Object.keys(translated).filter((k) => !(k in english)),
          `in ${file} but not in package.nls.json`,
        );
        assertNone(
          Object.keys(translated).filter((k) => !translated[k]!.trim()),
          `empty in ${file}`,
        );
        assertNone(
          Object.keys(translated).filter((k) => /%[\w.]+%/.test(translated[k]!)),
          `a %key% in a value of ${file}`,
        );
      });

      it(`${file} keeps placeholders, command links, setting references and code as they are`, () => {
        const translated = readStrings(file);
        const differ = (pick: (text: string) => string[]) =>
          Object.keys(english).filter(
            (k) => k in translated && pick(english[k]!).join('\n') !== pick(translated[k]!).join('\n'),
          );
        assertNone(differ(strings.placeholdersOf), `{n} placeholders differ in ${file}`);
        assertNone(differ(commandLinks), `command: links differ in ${file}`);
        assertNone(differ(settingRefs), `#setting# references differ in ${file}`);
        assertNone(differ(codeSpans), `inline code differs in ${file}`);
      });
    }
  });

  describe('l10n bundles', () => {
    it('package.json points VS Code at l10n/', () => {
      assert.equal(readJson('package.json').l10n, './l10n');
    });

    it('l10n/bundle.l10n.json holds every message of src/ as itself, and nothing else (run scripts/l10nExtract.mjs)', () => {
      const bundle = readStrings('l10n/bundle.l10n.json');
      assertNone(
        [...messages.keys()].filter((m) => !(m in bundle)).map((m) => JSON.stringify(m)),
        'messages missing from l10n/bundle.l10n.json',
      );
      assertNone(
        Object.keys(bundle)
          .filter((m) => !messages.has(m))
          .map((m) => JSON.stringify(m)),
        'unused in l10n/bundle.l10n.json',
      );
      assertNone(
        Object.keys(bundle)
          .filter((m) => bundle[m] !== m)
          .map((m) => JSON.stringify(m)),
        'not mapped to itself in l10n/bundle.l10n.json',
      );
    });

    for (const locale of LOCALES) {
      const file = `l10n/bundle.l10n.${locale}.json`;

      it(`${file} translates every message of src/, none empty, and holds nothing else`, () => {
        const translated = readStrings(file);
        const where = (m: string) =>
          `${JSON.stringify(m)} (${messages
            .get(m)!
            .map((at) => `${at.file}:${at.line}`)
            .join(', ')})`;
        assertNone([...messages.keys()].filter((m) => !(m in translated)).map(where), `missing from ${file}`);
        assertNone(
          [...messages.keys()].filter((m) => m in translated && !translated[m]!.trim()).map(where),
          `empty in ${file}`,
        );
        assertNone(
          Object.keys(translated)
            .filter((m) => !messages.has(m))
            .map((m) => JSON.stringify(m)),
          `unused in ${file}`,
        );
      });

      it(`${file} keeps every message's {n} placeholders`, () => {
        const translated = readStrings(file);
        const differ = [...messages.keys()].filter(
          (m) => m in translated && strings.placeholdersOf(m).join() !== strings.placeholdersOf(translated[m]!).join(),
        );
        assertNone(
          differ.map((m) => `${JSON.stringify(m)} -> ${JSON.stringify(translated[m])}`),
          `{n} placeholders differ in ${file}`,
        );
      });
    }
  });
});
