// Bundles the extension into four files: dist/extension.js, what VS Code loads at activation (the registrations
// only), dist/app.js, the rest, which the first one requires at first need, dist/sync.js, the log folder sync,
// which dist/app.js requires at the first sync, and dist/vendor.js, pop-core and the credentials library, which
// dist/app.js requires at the first signature or credential lookup. `--production` minifies; `--watch`
// rebuilds on change.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const production = process.argv.includes('--production');

/**
 * pop-core requires two modules the extension must not ship:
 * - `xml2js` (with xmlbuilder and sax, ~100 KB) parses XML answers, but the client always asks for JSON and
 *   treats anything else as an error;
 * - `debug` prints pop-core's string to sign when DEBUG=roa is set, and with STS that string holds the token.
 * Both are replaced by stubs in the bundle only; tests in plain Node use the real modules. And pop-core only ever
 * calls `parse` of json-bigint, so the bundle takes json-bigint's own parser without its unused stringify.
 */
const stubs = {
  'json-bigint': 'module.exports = { parse: require("json-bigint/lib/parse.js")() };',
  xml2js:
    'module.exports = { Parser: class { parseString(_xml, callback) { callback(new Error("XML responses are not supported")); } } };',
  debug: 'module.exports = () => () => {};',
};
const stubPlugin = {
  name: 'stub-pop-core-extras',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(stubs).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
      contents: stubs[args.path],
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};
/**
 * pop-core's and @alicloud/credentials' `helper.js` require their whole package.json (about 2.4 KB minified) for
 * the `name` and `version` in their user-agent strings, and read nothing else of it: the bundle takes those two.
 */
const packageIdentity = {
  name: 'package-identity',
  setup(build) {
    build.onResolve({ filter: /package\.json$/ }, (args) =>
      /node_modules\/@alicloud\/(pop-core|credentials)\/.*helper\.js$/.test(args.importer)
        ? { path: path.resolve(args.resolveDir, args.path), namespace: 'package-identity' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'package-identity' }, (args) => {
      const { name, version } = JSON.parse(readFileSync(args.path, 'utf8'));
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};
/** A sibling bundle (`./app.js`, `./sync.js`, `./vendor.js`) that this one requires at run time: never taken in. */
const keepOut = (file) => ({
  name: `keep-${file}-out`,
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${file.replaceAll('.', '\\.')}$`) }, () => ({ path: file, external: true }));
  },
});
/** Modules of `namespace` are taken at run time from the sibling bundle `file`, which exports them under `member`. */
function takeFromSibling(build, namespace, file, member) {
  build.onLoad({ filter: /.*/, namespace }, (args) => ({
    contents: `module.exports = require('${file}')${member}[${JSON.stringify(args.path)}];`,
    loader: 'js',
  }));
}
/**
 * The modules outside src/sync/ that the sync imports. dist/app.js holds them all already, so dist/sync.js takes
 * them from it (`modulesForSync`, exported by the app bundle's entry below) instead of bundling copies: one copy of
 * the HTTP exchange, the error vocabulary and the settings, and about 11 KB less to ship. A new import from the
 * sync into the rest of src/ fails the build until it is listed here.
 */
const fromApp = [
  'src/api/http.ts',
  'src/net/safeUrl.ts',
  'src/base/commandCalls.ts',
  'src/base/contextKeys.ts',
  'src/base/describe.ts',
  'src/base/notify.ts',
  'src/base/settings.ts',
];
const appEntry = [
  "export * from './src/app.ts';",
  ...fromApp.map((file, i) => `import * as shared${i} from './${file}';`),
  `export const modulesForSync = { ${fromApp.map((file, i) => `${JSON.stringify(file)}: shared${i}`).join(', ')} };`,
].join('\n');
const takeFromApp = {
  name: 'take-from-app',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const importer = path.relative(process.cwd(), args.importer);
      if (args.namespace !== 'file' || !importer.startsWith('src/sync/')) return undefined;
      const target = path.relative(process.cwd(), path.resolve(args.resolveDir, args.path));
      if (target.startsWith('src/sync/')) return undefined;
      const file = fromApp.find((listed) => listed.replace(/\.ts$/, '') === target);
      if (!file) return { errors: [{ text: `${importer} imports ${target}: list it in fromApp of esbuild.mjs` }] };
      return { path: file, namespace: 'from-app' };
    });
    takeFromSibling(build, 'from-app', './app.js', '.modulesForSync');
  },
};
/**
 * The modules of pop-core, @alicloud/credentials and json-bigint that src/ requires (transport.ts,
 * credentialLibrary.ts, answer.ts), each at its first use. With httpx, kitx, ini and bignumber.js they were about a
 * third of dist/app.js, and compiling the bundle is most of what loading it costs: they are dist/vendor.js, which
 * dist/app.js requires at the first of those calls. Each module is a getter there, so requiring one initialises
 * only what it needs, as before. A require of another module of these packages fails the build until it is listed.
 */
const vendorModules = [
  'json-bigint/lib/parse.js',
  '@alicloud/pop-core/lib/roa',
  '@alicloud/credentials/dist/src/providers/cli_profile',
  '@alicloud/credentials/dist/src/providers/default',
  '@alicloud/credentials/dist/src/providers/ecs_ram_role',
  '@alicloud/credentials/dist/src/providers/env',
  '@alicloud/credentials/dist/src/providers/http',
  '@alicloud/credentials/dist/src/providers/oidc_role_arn',
  '@alicloud/credentials/dist/src/providers/profile',
  '@alicloud/credentials/dist/src/providers/uri',
  '@alicloud/credentials/dist/src/util/utils',
];
const vendorEntry = `module.exports = { ${vendorModules
  .map((spec) => `get ${JSON.stringify(spec)}() { return require(${JSON.stringify(spec)}); }`)
  .join(', ')} };`;
const takeFromVendor = {
  name: 'take-from-vendor',
  setup(build) {
    build.onResolve({ filter: /^(@alicloud\/(pop-core|credentials)|json-bigint)(\/|$)/ }, (args) =>
      vendorModules.includes(args.path)
        ? { path: args.path, namespace: 'from-vendor' }
        : { errors: [{ text: `${args.path} is not in dist/vendor.js: list it in vendorModules of esbuild.mjs` }] },
    );
    takeFromSibling(build, 'from-vendor', './vendor.js', '');
  },
};
/**
 * Each module's `import * as vscode from 'vscode'` would be its own copy of VS Code's API object (esbuild's
 * `__toESM` defines a getter for each of its some 300 properties), made when the bundle loads: about 40 copies in
 * dist/app.js. Every import of `vscode` goes through one module instead, `export * from 'vscode'`, so the bundle
 * makes one copy, with the same getters.
 */
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-namespace'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-namespace' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  // '·' and '…' as UTF-8 bytes rather than \u escapes.
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
};

/** The four bundles; bench/ and test/unit/bundle.test.ts read the same list. */
export const bundles = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [oneVscodeNamespace, keepOut('./app.js')],
  },
  {
    ...common,
    // src/app.ts, and the modules dist/sync.js takes from it.
    stdin: { contents: appEntry, resolveDir: process.cwd(), sourcefile: 'app-entry.js', loader: 'js' },
    outfile: 'dist/app.js',
    // dist/app.js requires `./sync.js` at the first log folder sync, `./vendor.js` at the first signature.
    plugins: [oneVscodeNamespace, takeFromVendor, keepOut('./vendor.js'), keepOut('./sync.js')],
  },
  {
    ...common,
    entryPoints: ['src/sync/syncFace.ts'],
    outfile: 'dist/sync.js',
    plugins: [oneVscodeNamespace, takeFromApp, keepOut('./app.js')],
  },
  {
    ...common,
    stdin: { contents: vendorEntry, resolveDir: process.cwd(), sourcefile: 'vendor-entry.js', loader: 'js' },
    outfile: 'dist/vendor.js',
    plugins: [stubPlugin, packageIdentity],
  },
];

// Run as a script (not imported by scripts/bundleInputs.mjs): build.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (watch) {
    for (const options of bundles) await (await esbuild.context(options)).watch();
    console.log('[watch] watching src/ for changes');
  } else {
    for (const options of bundles) {
      const result = await esbuild.build(options);
      const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
      console.log(`${options.outfile}: ${bytes} bytes${production ? ' (minified)' : ''}`);
    }
  }
}
