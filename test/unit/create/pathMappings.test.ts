import assert from 'node:assert/strict';
import {
  mapLocalPath,
  mapResolved,
  resolveMappings,
  type MappingContext,
  type PathMapping,
} from '../../../src/create/pathMappings';

const posix: MappingContext = { workspaceFolders: ['/home/me/project'], home: '/home/me' };
const oss = 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com';

describe('path mappings', () => {
  it('maps a folder under a mapping, appending the rest with exactly one slash', () => {
    const mappings: PathMapping[] = [{ local: '/data/logs', remote: `${oss}/logs/` }];
    assert.deepEqual(mapLocalPath('/data/logs/run1', mappings, posix), {
      uri: `${oss}/logs/run1/`,
      type: 'OSS',
      mapping: mappings[0],
    });
    assert.equal(mapLocalPath('/data/logs/', mappings, posix)?.uri, `${oss}/logs/`);
    assert.equal(
      mapLocalPath('/data/logs', [{ local: '/data/logs/', remote: `${oss}/logs` }], posix)?.uri,
      `${oss}/logs/`,
    );
    assert.equal(
      mapLocalPath('/data/logs//a/./b', [{ local: '/data/logs', remote: `${oss}//logs//` }], posix)?.uri,
      `${oss}/logs/a/b/`,
    );
  });

  it('matches whole path segments only', () => {
    const mappings = [{ local: '/data/logs', remote: `${oss}/logs/` }];
    assert.equal(mapLocalPath('/data/logs2', mappings, posix), undefined);
    assert.equal(mapLocalPath('/data/log', mappings, posix), undefined);
    assert.equal(mapLocalPath('/data', mappings, posix), undefined);
    assert.equal(mapLocalPath('/Data/logs/x', mappings, posix), undefined, 'POSIX paths are case-sensitive');
  });

  it('lets the longest local folder win, whatever the order', () => {
    const mappings = [
      { local: '/data', remote: 'nas://1ca404a666.cn-hangzhou/' },
      { local: '/data/logs/team', remote: `${oss}/team/` },
      { local: '/data/logs', remote: `${oss}/logs/` },
    ];
    assert.equal(mapLocalPath('/data/logs/team/run1', mappings, posix)?.uri, `${oss}/team/run1/`);
    assert.equal(mapLocalPath('/data/logs/other', mappings, posix)?.uri, `${oss}/logs/other/`);
    const nas = mapLocalPath('/data/raw', mappings, posix);
    assert.equal(nas?.uri, 'nas://1ca404a666.cn-hangzhou/raw/');
    assert.equal(nas?.type, 'NAS');
  });

  it('expands ${workspaceFolder} for every open folder, and by name', () => {
    const context: MappingContext = {
      workspaceFolders: ['/work/a', { name: 'second', path: '/work/b-folder' }],
      home: '/home/me',
    };
    const mappings = [{ local: '${workspaceFolder}/runs', remote: `${oss}/runs/` }];
    assert.equal(mapLocalPath('/work/a/runs/x', mappings, context)?.uri, `${oss}/runs/x/`);
    assert.equal(mapLocalPath('/work/b-folder/runs/y', mappings, context)?.uri, `${oss}/runs/y/`);
    const named = [{ local: '${workspaceFolder:second}/out', remote: `${oss}/second/` }];
    assert.equal(mapLocalPath('/work/b-folder/out/z', named, context)?.uri, `${oss}/second/z/`);
    assert.equal(mapLocalPath('/work/a/out/z', named, context), undefined);
    const byBasename = [{ local: '${workspaceFolder:a}/out', remote: `${oss}/a/` }];
    assert.equal(mapLocalPath('/work/a/out', byBasename, context)?.uri, `${oss}/a/`);
  });

  it('expands ~ and ${userHome}', () => {
    assert.equal(
      mapLocalPath('/home/me/logs/r', [{ local: '~/logs', remote: `${oss}/l/` }], posix)?.uri,
      `${oss}/l/r/`,
    );
    assert.equal(
      mapLocalPath('/home/me/logs/r', [{ local: '${userHome}/logs', remote: `${oss}/l/` }], posix)?.uri,
      `${oss}/l/r/`,
    );
    assert.equal(
      mapLocalPath('/home/me/r', [{ local: '~', remote: `${oss}/home/` }], { ...posix, home: '/home/me/' })?.uri,
      `${oss}/home/r/`,
    );
  });

  it('handles Windows paths: either separator, any letter case, drive roots and UNC shares', () => {
    const context: MappingContext = { workspaceFolders: ['C:\\Users\\me\\proj'], home: 'C:\\Users\\me' };
    const mappings = [
      { local: 'D:\\Logs', remote: `${oss}/logs/` },
      { local: '${workspaceFolder}\\runs', remote: 'nas://1ca404a666.cn-hangzhou/runs/' },
      { local: '\\\\server\\share\\tb', remote: `${oss}/unc/` },
      { local: 'E:\\', remote: `${oss}/e/` },
    ];
    assert.equal(mapLocalPath('d:\\logs\\Run1', mappings, context)?.uri, `${oss}/logs/Run1/`);
    assert.equal(mapLocalPath('D:/LOGS/Run1/', mappings, context)?.uri, `${oss}/logs/Run1/`);
    assert.equal(mapLocalPath('D:\\Logs2\\x', mappings, context), undefined);
    assert.equal(
      mapLocalPath('c:\\users\\me\\proj\\runs\\a', mappings, context)?.uri,
      'nas://1ca404a666.cn-hangzhou/runs/a/',
    );
    assert.equal(mapLocalPath('\\\\SERVER\\share\\tb\\exp', mappings, context)?.uri, `${oss}/unc/exp/`);
    assert.equal(mapLocalPath('e:\\x\\y', mappings, context)?.uri, `${oss}/e/x/y/`);
    assert.equal(mapLocalPath('/mnt/x', mappings, context), undefined);
  });

  it('reports each bad mapping with a reason and keeps the good ones', () => {
    const { mappings, problems } = resolveMappings(
      [
        { local: '/ok', remote: `${oss}/ok/` },
        'not an object',
        { local: '', remote: `${oss}/x/` },
        { local: '/x' },
        { local: '/x', remote: 's3://bucket/x' },
        { local: 'relative/logs', remote: `${oss}/x/` },
        { local: '${env:HOME}/x', remote: `${oss}/x/` },
        { local: '/y', remote: 'oss://my-bucket/y' },
        null,
      ],
      posix,
    );
    assert.deepEqual(
      mappings.map((mapping) => mapping.local),
      ['/ok'],
    );
    assert.deepEqual(
      problems.map((problem) => problem.index),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.match(problems[0]!.reason, /^pathMappings\[1\]: must be an object/);
    assert.match(problems[2]!.reason, /"remote" must be an oss:\/\/ or nas:\/\/ URI/);
    assert.match(problems[3]!.reason, /"remote": .*not supported/);
    assert.match(problems[4]!.reason, /absolute folder/);
    assert.match(problems[5]!.reason, /\$\{env:HOME\}.*not supported/);
    assert.match(problems[6]!.reason, /endpoint/);
    assert.deepEqual(
      resolveMappings({ local: '/x' }, posix).problems.map((p) => p.index),
      [-1],
    );
    assert.deepEqual(resolveMappings(undefined, posix), { mappings: [], problems: [] });
  });

  it('completes an endpoint-less OSS remote with the region, when given', () => {
    const context = { ...posix, region: 'cn-shenzhen' };
    assert.equal(
      mapLocalPath('/y/z', [{ local: '/y', remote: 'oss://my-bucket/y' }], context)?.uri,
      'oss://my-bucket.oss-cn-shenzhen-internal.aliyuncs.com/y/z/',
    );
  });

  it('skips, without complaint, folder mappings that need a folder or home that is missing', () => {
    const none: MappingContext = { workspaceFolders: [] };
    const { mappings, problems } = resolveMappings(
      [
        { local: '${workspaceFolder}/runs', remote: `${oss}/runs/` },
        { local: '${workspaceFolder:gone}/x', remote: `${oss}/x/` },
      ],
      none,
    );
    assert.deepEqual([mappings, problems], [[], []]);
    assert.match(resolveMappings([{ local: '~/x', remote: `${oss}/x/` }], none).problems[0]!.reason, /home folder/);
  });

  it('maps with mappings resolved once', () => {
    const { mappings } = resolveMappings([{ local: '/data', remote: `${oss}/d/` }], posix);
    assert.equal(mapResolved('/data/a', mappings)?.uri, `${oss}/d/a/`);
    assert.equal(mapResolved('relative', mappings), undefined);
  });
});
