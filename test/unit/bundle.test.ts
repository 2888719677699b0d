import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface BundleReport {
  readonly bytes: number;
  readonly inputs: readonly string[];
}

const root = path.resolve(__dirname, '../../..');

/** What each production bundle is made of, from esbuild's metafile, built the way esbuild.mjs builds them. */
function bundles(): Record<string, BundleReport> {
  const result = spawnSync(process.execPath, ['scripts/bundleInputs.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, BundleReport>;
}

describe('the bundles', () => {
  let report: Record<string, BundleReport>;
  before(function () {
    this.timeout(30_000);
    report = bundles();
  });

  it('what VS Code loads at activation holds the registrations only: no API stack, no dependency', () => {
    const activation = report['dist/extension.js']!;
    const heavy = activation.inputs.filter(
      (input) => input.includes('node_modules/') || /^src\/(api|boards|proxy|auth|webview|views)\//.test(input),
    );
    assert.deepEqual(heavy, [], 'the activation bundle takes in code that should load at first need');
    assert.ok(activation.bytes <= 40 * 1024, `the activation bundle is ${activation.bytes} bytes, over 40 KB`);
  });

  it('the rest is in dist/app.js, which the activation bundle requires and does not contain', () => {
    const app = report['dist/app.js']!;
    for (const part of ['src/app.ts', 'src/api/client.ts', 'src/boards/boardModel.ts', 'src/panel/boardProxy.ts']) {
      assert.ok(app.inputs.includes(part), `${part} is not in dist/app.js`);
    }
    assert.ok(!report['dist/extension.js']!.inputs.includes('src/app.ts'));
  });

  it('pop-core, the credentials library and json-bigint are dist/vendor.js, which dist/app.js does not contain', () => {
    const app = report['dist/app.js']!;
    const vendor = report['dist/vendor.js']!;
    for (const part of ['@alicloud/pop-core/', '@alicloud/credentials/', 'json-bigint/', 'bignumber.js/']) {
      assert.ok(
        vendor.inputs.some((input) => input.includes(`node_modules/${part}`)),
        `${part} is not in dist/vendor.js`,
      );
      assert.ok(!app.inputs.some((input) => input.includes(`node_modules/${part}`)), `${part} is in dist/app.js`);
    }
    assert.ok(!vendor.inputs.some((input) => input.startsWith('src/')), 'dist/vendor.js takes in the extension');
  });

  it('the log folder sync is dist/sync.js, which dist/app.js requires at the first sync and does not contain', () => {
    const app = report['dist/app.js']!;
    const sync = report['dist/sync.js']!;
    for (const part of ['src/sync/syncFace.ts', 'src/sync/planner.ts', 'src/sync/ossClient.ts', 'src/sync/signer.ts'])
      assert.ok(sync.inputs.includes(part), `${part} is not in dist/sync.js`);
    const heavy = app.inputs.filter((input) => input.startsWith('src/sync/') && input !== 'src/sync/syncServices.ts');
    assert.deepEqual(heavy, [], 'dist/app.js takes in sync code that should load at the first sync');
    assert.ok(!sync.inputs.some((input) => input.includes('node_modules/')), 'the sync takes in a dependency');
    const copies = sync.inputs.filter((input) => input.startsWith('src/') && !input.startsWith('src/sync/'));
    assert.deepEqual(copies, [], 'dist/sync.js bundles its own copy of modules it should take from dist/app.js');
  });

  it('dist/vendor.js takes in none of what the stubs of esbuild.mjs stand for', () => {
    const vendor = report['dist/vendor.js']!;
    const stubbed = vendor.inputs.filter((input) =>
      /^node_modules\/(.*\/)?((xml2js|xmlbuilder|sax|debug)\/|package\.json$)/.test(input),
    );
    assert.deepEqual(stubbed, [], 'a module the bundle replaces is in it');
    assert.ok(
      vendor.inputs.includes('package-identity:' + path.join(root, 'node_modules/@alicloud/pop-core/package.json')),
      'pop-core keeps its name and version',
    );
  });
});
