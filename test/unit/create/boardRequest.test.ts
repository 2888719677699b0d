import assert from 'node:assert/strict';
import type { Job } from '../../../src/api';
import { requestSchemas } from '../../../src/api/schemas';
import {
  BoardRequestError,
  buildCreateRequest,
  defaultDisplayName,
  type BoardDefaults,
  type BoardSource,
} from '../../../src/create/boardRequest';

const defaults: BoardDefaults = { maxRunningTimeMinutes: 240, accessibility: 'PRIVATE', priority: 1 };
const options = { workspaceId: '86923' };

function job(overrides: Partial<Job> = {}): Job {
  return {
    jobId: 'dlc1a9r0uhfn24cl',
    status: 'Running',
    displayName: 'resnet50-imagenet',
    jobType: 'PyTorchJob',
    durationSeconds: 0,
    gmtCreateTime: '2024-05-01T10:00:00Z',
    workspaceId: '86923',
    workspaceName: 'emulator-workspace',
    userId: '1157703270994901',
    username: 'emulator-demo',
    dataSources: [{ dataSourceId: 'd-k2x8vq3m9r1tzw', mountPath: '/mnt/data/' }],
    reasonCode: '',
    reasonMessage: '',
    ...overrides,
  };
}

function refusal(
  source: BoardSource,
  d: BoardDefaults = defaults,
  o: Parameters<typeof buildCreateRequest>[2] = options,
) {
  try {
    buildCreateRequest(source, d, o);
  } catch (error) {
    assert.ok(error instanceof BoardRequestError);
    return error;
  }
  assert.fail('expected a BoardRequestError');
}

describe('CreateTensorboard request', () => {
  it('builds a job board with SourceType job and the root relative path', () => {
    assert.deepEqual(buildCreateRequest({ kind: 'job', jobId: 'dlc1a9r0uhfn24cl', job: job() }, defaults, options), {
      workspaceId: '86923',
      displayName: 'tb-resnet50-imagenet',
      maxRunningTimeMinutes: 240,
      accessibility: 'PRIVATE',
      priority: '1',
      jobId: 'dlc1a9r0uhfn24cl',
      sourceType: 'job',
      sourceId: 'dlc1a9r0uhfn24cl',
      summaryRelativePath: '/',
    });
  });

  it('passes every default and advanced setting through', () => {
    const request = buildCreateRequest(
      { kind: 'job', jobId: ' dlc-20210126170216-mtl37ge7gkvdz ', summaryRelativePath: 'output/runs' },
      { maxRunningTimeMinutes: 60, cpu: 2, memory: 8, accessibility: 'PUBLIC', priority: '9', quotaId: ' quota12345 ' },
      {
        workspaceId: ' 86923 ',
        displayName: '  my board ',
        advanced: {
          tensorboardSpec: { ecsType: 'ecs.g6.large', vpcId: 'vpc-1', switchId: 'vsw-1', securityGroupId: 'sg-1' },
          dataSources: [{ dataSourceType: 'nas', fileSystemId: '1ca404a666', mountPath: '/mnt/nas/' }],
          mountPath: '/root/data', // ignored: a job brings its own mounts
        },
      },
    );
    assert.deepEqual(request, {
      workspaceId: '86923',
      displayName: 'my board',
      maxRunningTimeMinutes: 60,
      accessibility: 'PUBLIC',
      priority: '9',
      cpu: 2,
      memory: 8,
      quotaId: 'quota12345',
      tensorboardSpec: { ecsType: 'ecs.g6.large', vpcId: 'vpc-1', switchId: 'vsw-1', securityGroupId: 'sg-1' },
      dataSources: [{ dataSourceType: 'nas', fileSystemId: '1ca404a666', mountPath: '/mnt/nas/' }],
      jobId: 'dlc-20210126170216-mtl37ge7gkvdz',
      sourceType: 'job',
      sourceId: 'dlc-20210126170216-mtl37ge7gkvdz',
      summaryRelativePath: '/output/runs/',
    });
  });

  it('builds a comparison board from several jobs, one data source each', () => {
    const request = buildCreateRequest(
      {
        kind: 'jobs',
        jobs: [
          { jobId: 'dlc1a9r0uhfn24cl', displayName: 'resnet50 imagenet' },
          { jobId: 'dlc7yq2c8kd0hx1m', summaryPath: '/tensorboard/run1' },
          { jobId: 'dlc1a9r0uhfn24cl', displayName: 'duplicate entry' },
        ],
      },
      defaults,
      options,
    );
    assert.deepEqual(request, {
      workspaceId: '86923',
      displayName: 'tb-resnet50-imagenet-vs-dlc7yq2c8kd0hx1m',
      maxRunningTimeMinutes: 240,
      accessibility: 'PRIVATE',
      priority: '1',
      tensorboardDataSources: [
        { sourceType: 'dlcjob', id: 'dlc1a9r0uhfn24cl', name: 'resnet50 imagenet', directoryName: 'resnet50-imagenet' },
        {
          sourceType: 'dlcjob',
          id: 'dlc7yq2c8kd0hx1m',
          name: 'dlc7yq2c8kd0hx1m',
          directoryName: 'dlc7yq2c8kd0hx1m',
          summaryPath: '/tensorboard/run1/',
        },
      ],
      summaryRelativePath: '/',
    });
  });

  it('gives same-named jobs distinct directories', () => {
    const request = buildCreateRequest(
      {
        kind: 'jobs',
        jobs: [
          { jobId: 'dlc1a9r0uhfn24cl', displayName: 'sweep' },
          { jobId: 'dlc7yq2c8kd0hx1m', displayName: 'sweep' },
        ],
      },
      defaults,
      options,
    );
    assert.deepEqual(
      request.tensorboardDataSources?.map((spec) => spec.directoryName),
      ['sweep-dlc1a9r0uhfn24cl', 'sweep-dlc7yq2c8kd0hx1m'],
    );
  });

  it('builds a board from an OSS URI, with the mount path as Options JSON', () => {
    const request = buildCreateRequest(
      { kind: 'uri', uri: 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1' },
      defaults,
      { ...options, advanced: { mountPath: '/root/data' } },
    );
    assert.deepEqual(request, {
      workspaceId: '86923',
      displayName: 'tb-run1',
      maxRunningTimeMinutes: 240,
      accessibility: 'PRIVATE',
      priority: '1',
      dataSourceType: 'OSS',
      uri: 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1/',
      summaryRelativePath: '/',
      options: '{"mountpath":"/root/data/"}',
    });
  });

  it('names the run of a folder board after the folder, not "." (one data source, DirectoryName the folder)', () => {
    const request = buildCreateRequest(
      { kind: 'uri', uri: 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1' },
      defaults,
      options,
    );
    assert.equal(request.uri, 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1/');
    assert.deepEqual(request.tensorboardDataSources, [
      {
        sourceType: 'datasource',
        dataSourceType: 'OSS',
        uri: 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1/',
        summaryPath: '/',
        name: 'run1',
        directoryName: 'run1',
      },
    ]);
    const nested = buildCreateRequest(
      { kind: 'uri', uri: 'nas://1ca404a666.cn-hangzhou/exp/', summaryRelativePath: '/run 2/' },
      defaults,
      options,
    );
    assert.equal(nested.tensorboardDataSources?.[0]?.directoryName, 'run-2');
    assert.equal(nested.tensorboardDataSources?.[0]?.summaryPath, '/run 2/');
    const bucketOnly = buildCreateRequest(
      { kind: 'uri', uri: 'oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/' },
      defaults,
      options,
    );
    assert.equal(bucketOnly.tensorboardDataSources?.[0]?.directoryName, 'my-bucket');
  });

  it('builds a board from a NAS URI and from oss://bucket/path in the workspace region', () => {
    const nas = buildCreateRequest(
      { kind: 'uri', uri: 'nas://1ca404a666.cn-hangzhou/logs/', summaryRelativePath: '/summary/' },
      defaults,
      options,
    );
    assert.equal(nas.dataSourceType, 'NAS');
    assert.equal(nas.uri, 'nas://1ca404a666.cn-hangzhou/logs/');
    assert.equal(nas.summaryRelativePath, '/summary/');
    assert.equal(nas.displayName, 'tb-logs');
    assert.equal(nas.options, undefined);
    const oss = buildCreateRequest({ kind: 'uri', uri: 'oss://my-bucket/runs' }, defaults, {
      ...options,
      region: 'cn-beijing',
    });
    assert.equal(oss.uri, 'oss://my-bucket.oss-cn-beijing-internal.aliyuncs.com/runs/');
    assert.equal(oss.displayName, 'tb-runs');
    // A bare bucket would be completed into a board over the whole bucket: refused, with the reason.
    assert.throws(
      () =>
        buildCreateRequest({ kind: 'uri', uri: 'oss://my-bucket/' }, defaults, { ...options, region: 'cn-beijing' }),
      /neither the bucket's endpoint nor a folder/,
    );
  });

  it('builds a board from a dataset', () => {
    assert.deepEqual(
      buildCreateRequest(
        { kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw', summaryRelativePath: 'output/runs/' },
        defaults,
        options,
      ),
      {
        workspaceId: '86923',
        displayName: 'tb-runs',
        maxRunningTimeMinutes: 240,
        accessibility: 'PRIVATE',
        priority: '1',
        dataSourceId: 'd-k2x8vq3m9r1tzw',
        summaryRelativePath: '/output/runs/',
      },
    );
  });

  it("builds only bodies the client's schema accepts, PascalCase on the wire", () => {
    const sources: BoardSource[] = [
      { kind: 'job', jobId: 'dlc1a9r0uhfn24cl', job: job() },
      { kind: 'jobs', jobs: [{ jobId: 'dlc1a9r0uhfn24cl' }, { jobId: 'dlc7yq2c8kd0hx1m', summaryPath: 'runs' }] },
      { kind: 'uri', uri: 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1' },
      { kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw' },
    ];
    for (const source of sources) {
      const request = buildCreateRequest(
        source,
        { ...defaults, cpu: 1, memory: 4, quotaId: 'quota1' },
        {
          ...options,
          advanced: { mountPath: '/root/data/', tensorboardSpec: { ecsType: 'ecs.g6.large' } },
        },
      );
      const wire = requestSchemas.createTensorboard.safeParse(request);
      assert.ok(wire.success, `${source.kind}: ${JSON.stringify(wire.error?.issues)}`);
      assert.equal(wire.data.SummaryRelativePath, request.summaryRelativePath);
      assert.equal(wire.data.WorkspaceId, '86923');
    }
  });

  it('refuses what cannot make a board, naming the field and the fix', () => {
    assert.equal(
      refusal({ kind: 'job', jobId: 'dlc1a9r0uhfn24cl' }, defaults, { workspaceId: ' ' }).field,
      'workspaceId',
    );
    assert.equal(refusal({ kind: 'job', jobId: 'not an id' }).field, 'jobId');
    assert.match(
      refusal({ kind: 'job', jobId: 'dlc1a9r0uhfn24cl', job: job({ workspaceId: '1', workspaceName: 'other' }) })
        .message,
      /workspace other/,
    );
    assert.equal(refusal({ kind: 'jobs', jobs: [] }).field, 'jobs');
    assert.match(refusal({ kind: 'uri', uri: 'oss://my-bucket/logs' }).message, /endpoint/);
    assert.equal(refusal({ kind: 'dataset', dataSourceId: 'mnist' }).field, 'dataSourceId');
    assert.equal(
      refusal({ kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw', summaryRelativePath: '../x' }).field,
      'summaryRelativePath',
    );
    const uri: BoardSource = { kind: 'uri', uri: 'nas://1ca404a666.cn-hangzhou/logs/' };
    assert.equal(refusal(uri, { ...defaults, priority: 10 }).field, 'priority');
    assert.equal(refusal(uri, { ...defaults, maxRunningTimeMinutes: 0 }).field, 'maxRunningTimeMinutes');
    assert.equal(refusal(uri, { ...defaults, cpu: 1.5 }).field, 'cpu');
    assert.equal(refusal(uri, { ...defaults, memory: -1 }).field, 'memory');
    assert.equal(refusal(uri, { ...defaults, accessibility: 'public' as 'PUBLIC' }).field, 'accessibility');
    assert.equal(refusal(uri, defaults, { ...options, advanced: { mountPath: 'data' } }).field, 'mountPath');
  });

  it('derives display names that are short, safe and never empty', () => {
    assert.equal(defaultDisplayName({ kind: 'job', jobId: 'dlc1a9r0uhfn24cl' }), 'tb-dlc1a9r0uhfn24cl');
    assert.equal(
      defaultDisplayName({ kind: 'job', jobId: 'dlc1a9r0uhfn24cl', job: job({ displayName: '图像分类' }) }),
      'tb-dlc1a9r0uhfn24cl',
    );
    assert.equal(
      defaultDisplayName({ kind: 'job', jobId: 'dlc1a9r0uhfn24cl', job: job({ displayName: 'BERT fine-tune (v2)' }) }),
      'tb-BERT-fine-tune-v2',
    );
    assert.equal(
      defaultDisplayName({ kind: 'job', jobId: 'dlc1a9r0uhfn24cl', job: job({ displayName: 'tb-already' }) }),
      'tb-already',
    );
    const long = defaultDisplayName({
      kind: 'job',
      jobId: 'dlc1a9r0uhfn24cl',
      job: job({ displayName: `${'a'.repeat(60)}-bcd` }),
    });
    assert.equal(long, `tb-${'a'.repeat(60)}`);
    assert.equal(long.length <= 64, true);
    assert.equal(
      defaultDisplayName({ kind: 'uri', uri: 'oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/logs/run 1/' }),
      'tb-run-1',
    );
    assert.equal(defaultDisplayName({ kind: 'uri', uri: 'nas://1ca404a666.cn-hangzhou/' }), 'tb-1ca404a666');
    assert.equal(defaultDisplayName({ kind: 'dataset', dataSourceId: 'd-k2x8vq3m9r1tzw' }), 'tb-d-k2x8vq3m9r1tzw');
    assert.equal(defaultDisplayName({ kind: 'jobs', jobs: [] }), 'tb-board');
  });
});
