// Runs compiled mocha tests in plain Node and ends with the line CI reads: "N passed, N failed".
// Usage: node scripts/runMocha.mjs <folder> [--grep pattern]   (runs every *.test.js below the folder)
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const grepIndex = args.indexOf('--grep');
const grep = grepIndex >= 0 ? args.splice(grepIndex, 2)[1] : undefined;
const files = args
  .flatMap((folder) => readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((f) => path.join(folder, f)))
  .filter((file) => file.endsWith('.test.js'))
  .sort();
if (files.length === 0) {
  console.error(`no *.test.js files below ${args.join(' ')}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// forbidOnly: a stray .only fails the run instead of quietly skipping every other test.
const mocha = new Mocha({ reporter: 'spec', timeout: 10_000, grep, forbidOnly: true });
for (const file of files) mocha.addFile(path.resolve(file));
let runner;
try {
  runner = mocha.run(() => {
    const { passes = 0, failures = 0 } = runner.stats ?? {};
    console.log(`${passes} passed, ${failures} failed`);
    process.exitCode = failures > 0 || passes === 0 ? 1 : 0;
  });
} catch (error) {
  // Loading the files failed (a `.only`, a test file that throws): nothing ran.
  console.error(error instanceof Error ? error.message : String(error));
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
}
