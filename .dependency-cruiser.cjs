/**
 * The house rules of src/, checked by `npm run lint` (and so by CI): no circles; each folder imports only the folders
 * below it in `layers`; and what a unit test loads never reaches `vscode`, so pure logic stays testable in plain Node.
 */
const layers = [
  ['root', '^src/[^/]+\\.ts$'], // activation, the composition root and what it hands around
  ['commands', '^src/commands/'], // the one command boundary and registration list
  ['create', '^src/create/'], // what the user pointed at → a CreateTensorboard request, and the create flow
  ['export', '^src/export/'], // Export Board Data: a running board's scalars, read from its data API, to one file
  ['panel', '^src/panel/'], // the board panel: HTML, frame, probe, loopback proxy, links
  ['guard', '^src/guard/'], // boards that stop when nobody needs them: the pure policy, seen-times, the notices
  ['sync', '^src/sync/'], // a local log folder mirrored to OSS: planner, runner, lean V4 client, CRC64 (no vscode)
  ['boards', '^src/boards/'], // the one board model, its polling and waiting, the tree and status bar, lifecycle
  ['account', '^src/account/'], // credential sources, sign-in, the connection, region and workspace
  ['base', '^src/base/'], // what every VS Code face uses: settings, context keys, command ids, the log, error reports
  ['api', '^src/api/'], // the PAI-DLC client, which owns where signed requests may go
  ['net', '^src/net/'], // URL safety, the loopback check, port forwarding
];

const upward = layers.map(([name, path], index) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} may import only the layers below it (see layers in .dependency-cruiser.cjs)`,
  severity: 'error',
  from: { path },
  to: {
    path:
      layers
        .slice(0, index)
        .map(([, above]) => above)
        .concat(index === 0 ? ['^$'] : [])
        .join('|') || '^$',
  },
}));
// A folder's own files may import each other: the rules above only name the folders above it.

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no circle of imports in the extension',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-at-run-time',
      comment:
        "tests and tools: no circle either, but one made through type imports (the emulator's records) runs fine",
      severity: 'error',
      from: { pathNot: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...upward.filter((rule) => rule.to.path !== '^$'),
    {
      name: 'pure-stays-pure',
      comment: 'a file that a unit test loads runs in plain Node: it must not reach vscode',
      severity: 'error',
      from: { path: '^test/unit/' },
      to: { path: '^(vscode|node_modules/@types/vscode/)', reachable: true },
    },
    {
      name: 'api-and-net-are-pure',
      comment: 'the client and the URL rules never import vscode',
      severity: 'error',
      from: { path: '^src/(api|net)/' },
      to: { path: '^(vscode|node_modules/@types/vscode/)' },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
