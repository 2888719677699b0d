// Writes l10n/bundle.l10n.json, the English bundle (message -> itself), from every vscode.l10n.t call in src/.
// Usage: node scripts/l10nExtract.mjs          write the bundle, and list messages a translation lacks or no longer uses
//        node scripts/l10nExtract.mjs --check  write nothing; exit 1 when the bundle is out of date
// Exits 1, listing them, when a call's first argument is not a string literal: a bundle keyed on the English text
// cannot translate a message that is only known at run time. Translations live in l10n/bundle.l10n.<locale>.json.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { englishBundle, extractMessages, placeholdersOf } from './l10nStrings.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundlePath = path.join(root, 'l10n', 'bundle.l10n.json');
const check = process.argv.includes('--check');

const { messages, problems } = extractMessages(root);
if (problems.length > 0) {
  console.error(`${problems.length} vscode.l10n.t call(s) without a string literal as the message:`);
  for (const p of problems) console.error(`  ${p.file}:${p.line}: ${p.snippet}`);
  process.exit(1);
}

const text = `${JSON.stringify(englishBundle(messages), null, 2)}\n`;
if (check) {
  const current = existsSync(bundlePath) ? readFileSync(bundlePath, 'utf8') : '';
  if (current !== text) {
    console.error('l10n/bundle.l10n.json is out of date: run node scripts/l10nExtract.mjs');
    process.exit(1);
  }
  console.log(`l10n/bundle.l10n.json is up to date (${messages.size} messages)`);
  process.exit(0);
}

writeFileSync(bundlePath, text);
console.log(`l10n/bundle.l10n.json: ${messages.size} messages`);

// What each translation still needs: the unit test fails on these, this only says which.
for (const file of readdirSync(path.dirname(bundlePath))
  .filter((f) => /^bundle\.l10n\..+\.json$/.test(f))
  .sort()) {
  const translated = JSON.parse(readFileSync(path.join(path.dirname(bundlePath), file), 'utf8'));
  const missing = [...messages.keys()].filter((m) => !translated[m]);
  const unused = Object.keys(translated).filter((m) => !messages.has(m));
  const mismatched = [...messages.keys()].filter(
    (m) => translated[m] && placeholdersOf(m).join() !== placeholdersOf(translated[m]).join(),
  );
  console.log(`l10n/${file}: ${messages.size - missing.length} of ${messages.size} translated`);
  for (const m of missing) console.log(`  missing: ${JSON.stringify(m)}`);
  for (const m of unused) console.log(`  unused: ${JSON.stringify(m)}`);
  for (const m of mismatched) console.log(`  placeholders differ: ${JSON.stringify(m)}`);
}
