import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// json-bigint is the parser pop-core uses: null-prototype objects and BigNumber for integers beyond 2^53.
const jsonBigint = require('json-bigint') as { parse(text: string): unknown };

/** From out/test/unit/api back to the repository's test/fixtures/api. */
const fixtureDir = path.resolve(__dirname, '../../../../test/fixtures/api');

export function fixtureText(name: string): string {
  return readFileSync(path.join(fixtureDir, name), 'utf8');
}

/** A fixture exactly as pop-core would hand it over. */
export function fixture(name: string): object {
  return jsonBigint.parse(fixtureText(name)) as object;
}
