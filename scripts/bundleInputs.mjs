// Prints, as one JSON line, what each production bundle is made of (esbuild's metafile): the files and their bytes.
// test/unit/bundle.test.ts reads it to keep the API stack out of what VS Code loads at activation.
import * as esbuild from 'esbuild';
import { bundles } from '../esbuild.mjs';

const report = {};
for (const options of bundles) {
  const result = await esbuild.build({ ...options, minify: true, sourcemap: false, write: false, logLevel: 'silent' });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  report[options.outfile] = { bytes: output.bytes, inputs: Object.keys(output.inputs) };
}
console.log(JSON.stringify(report));
