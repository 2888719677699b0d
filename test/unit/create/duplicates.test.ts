import assert from 'node:assert/strict';
import type { Tensorboard } from '../../../src/api';
import { findExistingBoard, sourceKey, sourceOfBoard } from '../../../src/create/duplicates';
import { makeBoard } from '../../shared/boardFixture';

let counter = 0;
function board(overrides: Partial<Tensorboard> = {}): Tensorboard {
  counter++;
  return makeBoard({ tensorboardId: `tb${counter}`, displayName: `board ${counter}`, ...overrides });
}

const ids = (found: Tensorboard | undefined) => found?.tensorboardId;
const job = { kind: 'job', jobId: 'dlc1a9r0uhfn24cl' } as const;

describe('existing boards', () => {
  it('finds the board of the same job, comparing IDs exactly', () => {
    const mine = board({ jobId: 'dlc1a9r0uhfn24cl' });
    const boards = [board({ jobId: 'dlc7yq2c8kd0hx1m' }), board({ jobId: 'DLC1A9R0UHFN24CL' }), mine];
    assert.equal(findExistingBoard(boards, job), mine);
    assert.equal(findExistingBoard(boards, { kind: 'job', jobId: ' dlc1a9r0uhfn24cl ' }), mine);
    assert.equal(findExistingBoard(boards.slice(0, 2), job), undefined);
    assert.equal(findExistingBoard([], job), undefined);
  });

  it('prefers running, then pending, then stopped, and never offers failed or deleted boards', () => {
    const stopped = board({ jobId: job.jobId, status: 'Stopped' });
    const creating = board({ jobId: job.jobId, status: 'Creating' });
    const running = board({ jobId: job.jobId, status: 'running' });
    const failed = board({ jobId: job.jobId, status: 'Creating_Failed' });
    const deleted = board({ jobId: job.jobId, status: 'Deleted' });
    assert.equal(findExistingBoard([failed, stopped, creating, running, deleted], job), running);
    assert.equal(findExistingBoard([failed, stopped, creating, deleted], job), creating);
    assert.equal(findExistingBoard([failed, stopped, deleted], job), stopped);
    assert.equal(findExistingBoard([failed, board({ jobId: job.jobId, status: 'Failed' }), deleted], job), undefined);
  });

  it('takes an unknown status over nothing, and the newest among equals', () => {
    const odd = board({ jobId: job.jobId, status: 'Hibernating' });
    assert.equal(findExistingBoard([odd, board({ jobId: job.jobId, status: 'Failed' })], job), odd);
    const older = board({ jobId: job.jobId, status: 'Stopped', gmtCreateTime: '2024-05-01T10:00:00Z' });
    const newer = board({ jobId: job.jobId, status: 'Succeeded', gmtCreateTime: '2024-05-02T10:00:00Z' });
    assert.equal(findExistingBoard([older, newer, odd], job), newer);
    assert.equal(findExistingBoard([newer, older], job), newer);
  });

  it('matches a comparison board by its set of jobs, in any order', () => {
    const spec = (id: string) => ({ sourceType: 'dlcjob', id, name: id, directoryName: id });
    const both = board({ tensorboardDataSources: [spec('dlc7yq2c8kd0hx1m'), spec('dlc1a9r0uhfn24cl')] });
    const three = board({
      tensorboardDataSources: [spec('dlc7yq2c8kd0hx1m'), spec('dlc1a9r0uhfn24cl'), spec('dlc2k6p9t3w7z1c5')],
    });
    const single = board({ tensorboardDataSources: [{ ...spec('dlc1a9r0uhfn24cl'), sourceType: 'DlcJob' }] });
    const wanted = { kind: 'jobs', jobs: [{ jobId: 'dlc1a9r0uhfn24cl' }, { jobId: 'dlc7yq2c8kd0hx1m' }] } as const;
    assert.equal(ids(findExistingBoard([three, both, single], wanted)), both.tensorboardId);
    assert.equal(findExistingBoard([three, single], wanted), undefined);
    assert.equal(findExistingBoard([three, single], job), single, 'a one-job comparison board is that job’s board');
    const classic = board({ jobId: 'dlc1a9r0uhfn24cl' });
    assert.equal(findExistingBoard([classic], { kind: 'jobs', jobs: [{ jobId: 'dlc1a9r0uhfn24cl' }] }), classic);
    assert.equal(findExistingBoard([classic], { kind: 'jobs', jobs: [] }), undefined);
  });

  it('matches a URI board by bucket and folder, whatever the endpoint and trailing slash', () => {
    const oss = board({
      dataSourceType: 'OSS',
      uri: 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/',
      summaryRelativePath: '/run1',
    });
    const source = (uri: string, summaryRelativePath?: string) =>
      ({ kind: 'uri', uri, ...(summaryRelativePath !== undefined ? { summaryRelativePath } : {}) }) as const;
    assert.equal(
      findExistingBoard([oss], source('oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1')),
      oss,
    );
    assert.equal(findExistingBoard([oss], source('oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/logs/run1/')), oss);
    assert.equal(findExistingBoard([oss], source('oss://my-bucket/logs', 'run1/')), oss);
    assert.equal(findExistingBoard([oss], source('oss://my-bucket/logs/')), undefined);
    assert.equal(findExistingBoard([oss], source('oss://my-bucket/logs/run10')), undefined);
    assert.equal(findExistingBoard([oss], source('oss://other-bucket/logs/run1')), undefined);
    assert.equal(findExistingBoard([oss], source('not a uri')), undefined);
  });

  it("matches a board's only data source by FullSummaryPath or Uri plus SummaryPath", () => {
    const full = board({
      tensorboardDataSources: [
        { sourceType: 'datasource', id: 'd-k2x8vq3m9r1tzw', fullSummaryPath: 'oss://my-bucket/tensorboard/run1' },
      ],
    });
    const parts = board({
      tensorboardDataSources: [
        { sourceType: 'datasource', uri: 'nas://1ca404a666.cn-hangzhou/', summaryPath: '/tb/run2' },
      ],
    });
    const several = board({
      tensorboardDataSources: [
        { sourceType: 'datasource', fullSummaryPath: 'oss://my-bucket/tensorboard/run1' },
        { sourceType: 'datasource', fullSummaryPath: 'oss://my-bucket/tensorboard/run2' },
      ],
    });
    assert.equal(
      findExistingBoard([several, full], {
        kind: 'uri',
        uri: 'oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/tensorboard/run1/',
      }),
      full,
    );
    assert.equal(findExistingBoard([several], { kind: 'uri', uri: 'oss://my-bucket/tensorboard/run1' }), undefined);
    assert.equal(findExistingBoard([parts], { kind: 'uri', uri: 'nas://1ca404a666.cn-hangzhou/tb/run2' }), parts);
    assert.equal(
      findExistingBoard([parts], { kind: 'uri', uri: 'nas://1ca404a666-ab12.cn-hangzhou.nas.aliyuncs.com/tb/run2/' }),
      parts,
    );
  });

  it('matches a dataset board by dataset and relative folder', () => {
    const root = board({ dataSourceId: 'd-k2x8vq3m9r1tzw', summaryRelativePath: '/' });
    const runs = board({ dataSourceId: 'd-k2x8vq3m9r1tzw', summaryRelativePath: '/output/runs/' });
    const spec = board({
      tensorboardDataSources: [{ sourceType: 'datasource', id: 'd-p7c4n1h6y0bqej', summaryPath: '/runs' }],
    });
    assert.equal(findExistingBoard([runs, root], { kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw' }), root);
    assert.equal(
      findExistingBoard([root, runs], {
        kind: 'dataset',
        dataSourceId: 'd-k2x8vq3m9r1tzw',
        summaryRelativePath: 'output/runs',
      }),
      runs,
    );
    assert.equal(
      findExistingBoard([root, runs, spec], {
        kind: 'dataset',
        dataSourceId: 'd-p7c4n1h6y0bqej',
        summaryRelativePath: '/runs/',
      }),
      spec,
    );
    assert.equal(findExistingBoard([root], { kind: 'dataset', dataSourceId: 'd-p7c4n1h6y0bqej' }), undefined);
    assert.equal(
      findExistingBoard([board()], { kind: 'dataset', dataSourceId: ' ' }),
      undefined,
      'an empty ID matches nothing',
    );
  });

  it('never matches a board without a job to an empty job ID', () => {
    assert.equal(findExistingBoard([board()], { kind: 'job', jobId: '' }), undefined);
  });
});

describe('source keys (one create at a time per source)', () => {
  it('gives the same key to the same source however it is written, and different keys to different sources', () => {
    assert.equal(sourceKey({ kind: 'job', jobId: ' dlc1a9r0uhfn24cl ' }), sourceKey(job));
    assert.equal(
      sourceKey({ kind: 'jobs', jobs: [{ jobId: 'dlc1a9r0uhfn24cl' }] }),
      sourceKey(job),
      'one job alone is that job',
    );
    assert.equal(
      sourceKey({ kind: 'jobs', jobs: [{ jobId: 'dlcb' }, { jobId: 'dlca' }, { jobId: 'dlcb' }] }),
      sourceKey({ kind: 'jobs', jobs: [{ jobId: 'dlca' }, { jobId: 'dlcb' }] }),
    );
    assert.equal(
      sourceKey({ kind: 'uri', uri: 'oss://bkt.oss-cn-hangzhou-internal.aliyuncs.com/logs//run1' }),
      sourceKey({ kind: 'uri', uri: 'oss://bkt.oss-cn-hangzhou.aliyuncs.com/logs/', summaryRelativePath: 'run1/' }),
    );
    assert.equal(
      sourceKey({ kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw', summaryRelativePath: 'a/' }),
      sourceKey({ kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw', summaryRelativePath: '/a' }),
    );
    const keys = [
      sourceKey(job),
      sourceKey({ kind: 'job', jobId: 'DLC1A9R0UHFN24CL' }),
      sourceKey({ kind: 'jobs', jobs: [{ jobId: 'dlc1a9r0uhfn24cl' }, { jobId: 'dlc7yq2c8kd0hx1m' }] }),
      sourceKey({ kind: 'uri', uri: 'oss://bkt.oss-cn-hangzhou.aliyuncs.com/logs/' }),
      sourceKey({ kind: 'uri', uri: 'nas://bkt.cn-hangzhou/logs/' }),
      sourceKey({ kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw', summaryRelativePath: 'a/' }),
      sourceKey({ kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw' }),
    ];
    assert.equal(new Set(keys).size, keys.length, keys.join(' | '));
  });

  it('has no key for a source that names nothing', () => {
    assert.equal(sourceKey({ kind: 'job', jobId: ' ' }), undefined);
    assert.equal(sourceKey({ kind: 'jobs', jobs: [] }), undefined);
    assert.equal(sourceKey({ kind: 'uri', uri: 'not a uri' }), undefined);
    assert.equal(sourceKey({ kind: 'dataset', dataSourceId: 'd-x', summaryRelativePath: '../up' }), undefined);
  });
});

describe('the source of a board, to create it again', () => {
  const folder = 'oss://b.oss-cn-hangzhou.aliyuncs.com/logs/run1/';

  it('is its job, its jobs, its dataset folder, or its OSS/NAS folder', () => {
    assert.deepEqual(sourceOfBoard(board({ jobId: 'dlc1a9r0uhfn24cl' })), job);
    assert.deepEqual(
      sourceOfBoard(
        board({
          tensorboardDataSources: [
            { sourceType: 'dlcjob', id: 'dlc1a9r0uhfn24cl', name: 'a' },
            { sourceType: 'DLCJOB', id: 'dlc7yq2c8kd0hx1m' },
          ],
        }),
      ),
      {
        kind: 'jobs',
        jobs: [
          { jobId: 'dlc1a9r0uhfn24cl', displayName: 'a' },
          { jobId: 'dlc7yq2c8kd0hx1m', displayName: undefined },
        ],
      },
    );
    assert.deepEqual(
      sourceOfBoard(board({ dataSourceId: 'd-k2x8vq3m9r1tzw', uri: folder, summaryRelativePath: '/logs/' })),
      { kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw', summaryRelativePath: '/logs/' },
    );
    assert.deepEqual(sourceOfBoard(board({ uri: folder, summaryRelativePath: '/' })), {
      kind: 'uri',
      uri: folder,
      summaryRelativePath: '/',
    });
    assert.deepEqual(
      sourceOfBoard(board({ tensorboardDataSources: [{ sourceType: 'datasource', uri: folder, summaryPath: '/' }] })),
      { kind: 'uri', uri: folder, summaryRelativePath: '/' },
    );
  });

  it('is nothing for a board that names none', () => {
    assert.equal(sourceOfBoard(board()), undefined);
  });
});
