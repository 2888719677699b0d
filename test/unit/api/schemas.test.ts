import * as assert from 'node:assert/strict';
import { describeIssues, requestSchemas, responseSchemas, toQuery } from '../../../src/api/schemas';
import { fixture } from './fixtures';

describe('api/schemas: responses', () => {
  it('reads a GetTensorboard body as the docs show it', () => {
    const board = responseSchemas.GetTensorboard.parse(fixture('getTensorboard.json'));
    assert.equal(board.tensorboardId, 'tensorboard-20210114104214-vf9lowjt3pso');
    assert.equal(board.status, 'running', 'Status keeps the service spelling');
    assert.equal(board.durationSeconds, 1234567, 'Duration is a string of seconds on boards');
    assert.equal(board.gmtFinishTime, undefined, 'GmtFinishTime: null');
    assert.equal(
      board.url,
      'https://pai-dlc-proxy-cn-hangzhou.aliyun.com/tensorboard/tensorboard-20210114104214-vf9lowjt3pso/',
    );
    assert.equal(board.userId, '1157703270994901', 'an unquoted number where a string is documented');
    assert.equal(board.memory, 9007199254740992, 'BigNumber beyond 2^53 becomes the nearest number');
    assert.equal(board.token, undefined);
    assert.equal(board.requestId, '473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E');
    assert.equal(board.options, '{"mountpath":"/root/data/"}');
    assert.deepEqual(board.tensorboardSpec, {
      ecsType: 'ecs.g6.large',
      vpcId: 'vpc-xxxx',
      switchId: 'vsw-xxxx',
      securityGroupId: 'sg-xxxxx',
    });
    assert.deepEqual(board.tensorboardDataSources[0], {
      directoryName: 'dlcJobName',
      name: 'dlcJobName',
      id: 'd-vf2fdhxxxxxx',
      dataSourceType: 'OSS',
      uri: 'oss://pai-demo.oss-cn-hangzhou-internal.aliyuncs.com/',
      sourceType: 'datasource',
      summaryPath: '/tensorboard/run1',
      fullSummaryPath: 'oss://pai-demo/tensorboard/run1',
    });
    assert.ok(!('SomethingNew' in board) && !('somethingNew' in board), 'unknown fields are dropped, not rejected');
  });

  it('reads a ListTensorboards page with mixed shapes', () => {
    const page = responseSchemas.ListTensorboards.parse(fixture('listTensorboards.json'));
    assert.equal(page.requestId, '5B2C1E0A-8F5D-4A8C-9C7E-2D3F4A5B6C7D');
    assert.equal(page.totalCount, 12345678901234567000);
    assert.deepEqual(
      page.tensorboards.map((b) => [b.tensorboardId, b.status, b.durationSeconds, b.priority]),
      [
        ['tb4k8lc5xfu36opt', 'Running', 3600, '1'],
        ['tb9q2w7e4r1t6y3u', 'STOPPED', 42, ''],
      ],
    );
    assert.deepEqual(page.tensorboards[0].tensorboardDataSources, [], 'null list becomes []');
    assert.equal(page.tensorboards[1].gmtFinishTime, '2026-01-01T04:00:00Z');
    assert.equal(page.tensorboards[1].url, '', 'absent text is empty');
  });

  it('reads ListJobs items, whose Duration is a number', () => {
    const page = responseSchemas.ListJobs.parse(fixture('listJobs.json'));
    assert.equal(page.totalCount, 2);
    const [running, old] = page.jobs;
    assert.equal(running.durationSeconds, 5460);
    assert.equal(running.subStatus, undefined);
    assert.deepEqual(running.dataSources, [
      { dataSourceId: 'd-p7c4n1h6y0bqej', mountPath: '/mnt/nas/' },
      { dataSourceId: 'd-k2x8vq3m9r1tzw', mountPath: '/mnt/data/' },
    ]);
    assert.equal(old.durationSeconds, 9007199254740992);
    assert.deepEqual(old.dataSources, []);
    assert.equal(old.username, '');
  });

  it('reads a GetJob body with data source URIs', () => {
    const job = responseSchemas.GetJob.parse(fixture('getJob.json'));
    assert.equal(job.jobId, 'dlc1a9r0uhfn24cl');
    assert.equal(job.status, 'Stopped');
    assert.equal(job.durationSeconds, 3602);
    assert.equal(job.dataSources[0].uri, 'oss://bucket.oss-cn-hangzhou-internal.aliyuncs.com/path/');
    assert.deepEqual(job.codeSource, {
      codeSourceId: 'code-20210111103721-xxxxxxxx',
      branch: 'master',
      commit: '44da109b59f8596152987eaa8f3b2487bb',
      mountPath: '/root/code/',
    });
    assert.equal(job.requestId, '473469C7-AA6F-4DC5-B3DB-xxxxxxxx');
  });

  it('accepts Status in any letter case', () => {
    for (const status of ['running', 'Running', 'RUNNING', 'Creating_Failed', 'SomethingNew']) {
      assert.equal(responseSchemas.GetTensorboard.parse({ TensorboardId: 'tb1', Status: status }).status, status);
    }
  });

  it('names the field a response lacks or gets wrong', () => {
    const cases: Array<[keyof typeof responseSchemas, object, string]> = [
      ['GetTensorboard', { Status: 'Running' }, 'TensorboardId is missing'],
      ['GetTensorboard', { TensorboardId: 'tb1', Status: null }, 'Status is null'],
      ['ListTensorboards', { RequestId: 'r' }, 'Tensorboards is missing'],
      ['ListTensorboards', { Tensorboards: [{ TensorboardId: 'tb1' }] }, 'Tensorboards[0].Status is missing'],
      ['GetTensorboard', { TensorboardId: 'tb1', Status: 'x', Duration: 'soon' }, 'Duration has an invalid format'],
      ['GetTensorboard', { TensorboardId: 'tb1', Status: 'x', Cpu: {} }, 'Cpu has an unexpected type (an object)'],
      ['TensorboardAction', { RequestId: 'r' }, 'TensorboardId is missing'],
      ['GetTensorboardSharedUrl', { RequestId: 'r' }, 'TensorboardSharedUrl is missing'],
      [
        'GetJob',
        { JobId: 'dlc1', Status: 'Running', DataSources: [{ MountPath: 5n }] },
        'DataSources[0].MountPath has an unexpected type',
      ],
    ];
    for (const [operation, body, expected] of cases) {
      const result = responseSchemas[operation].safeParse(body, { reportInput: true });
      assert.equal(
        result.success,
        false,
        `${operation} ${JSON.stringify(body, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
      );
      assert.match(describeIssues(result.error!.issues), new RegExp(expected.replace(/[[\]().]/g, '\\$&')));
    }
  });

  it('defaults a missing RequestId and TotalCount', () => {
    assert.deepEqual(responseSchemas.TensorboardAction.parse({ TensorboardId: 'tb1' }), {
      tensorboardId: 'tb1',
      requestId: '',
    });
    assert.equal(responseSchemas.ListJobs.parse({ Jobs: [{ JobId: 'j', Status: 'Running' }] }).totalCount, 1);
  });
});

describe('api/schemas: requests', () => {
  it('maps every CreateTensorboard field to its wire name', () => {
    const body = requestSchemas.createTensorboard.parse({
      workspaceId: '86923',
      jobId: 'dlc1a9r0uhfn24cl',
      dataSourceId: 'd-k2x8vq3m9r1tzw',
      dataSourceType: 'OSS',
      uri: 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/logs/',
      options: { mountpath: '/root/data/' },
      summaryPath: '/root/data/',
      summaryRelativePath: '/output/runs',
      displayName: 'resnet50',
      sourceType: 'job',
      sourceId: 'dlc1a9r0uhfn24cl',
      maxRunningTimeMinutes: 240,
      dataSources: [{ dataSourceId: 'd-1', mountPath: '/mnt/data/', dataSourceType: 'nas' }],
      cpu: 2,
      memory: 4,
      tensorboardDataSources: [
        { id: 'd-1', name: 'run', sourceType: 'datasource', summaryPath: '/runs', uri: 'oss://b/' },
      ],
      tensorboardSpec: { ecsType: 'ecs.g6.large', vpcId: 'vpc-1', switchId: 'vsw-1', securityGroupId: 'sg-1' },
      quotaId: 'quota1',
      priority: '9',
      accessibility: 'PUBLIC',
    });
    assert.deepEqual(body, {
      WorkspaceId: '86923',
      JobId: 'dlc1a9r0uhfn24cl',
      DataSourceId: 'd-k2x8vq3m9r1tzw',
      DataSourceType: 'OSS',
      Uri: 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/logs/',
      Options: '{"mountpath":"/root/data/"}',
      SummaryPath: '/root/data/',
      SummaryRelativePath: '/output/runs',
      DisplayName: 'resnet50',
      SourceType: 'job',
      SourceId: 'dlc1a9r0uhfn24cl',
      MaxRunningTimeMinutes: 240,
      DataSources: [{ DataSourceId: 'd-1', MountPath: '/mnt/data/', DataSourceType: 'nas' }],
      Cpu: 2,
      Memory: 4,
      TensorboardDataSources: [
        { Id: 'd-1', Name: 'run', SourceType: 'datasource', SummaryPath: '/runs', Uri: 'oss://b/' },
      ],
      TensorboardSpec: { EcsType: 'ecs.g6.large', VpcId: 'vpc-1', SwitchId: 'vsw-1', SecurityGroupId: 'sg-1' },
      QuotaId: 'quota1',
      Priority: '9',
      Accessibility: 'PUBLIC',
    });
  });

  it('leaves out what the caller left undefined', () => {
    const body = requestSchemas.createTensorboard.parse({
      jobId: 'dlc1',
      displayName: undefined,
      summaryRelativePath: '/',
    });
    assert.deepEqual(body, { JobId: 'dlc1', SummaryRelativePath: '/' });
  });

  it('validates CreateTensorboard input', () => {
    const bad: Array<[object, RegExp]> = [
      [{ cpu: 0 }, /cpu must be at least 1/],
      [{ memory: 1.5 }, /memory must be an integer/],
      [{ maxRunningTimeMinutes: -5 }, /maxRunningTimeMinutes must be at least 1/],
      [{ priority: '10' }, /priority has an invalid format/],
      [{ priority: 3 }, /priority must be a string/],
      [{ accessibility: 'public' }, /accessibility must be one of "PUBLIC", "PRIVATE"/],
      [{ displayName: '  ' }, /displayName must not be empty/],
      [{ jobId: 'x'.repeat(257) }, /jobId must be at most 256 characters/],
    ];
    for (const [input, message] of bad) {
      const result = requestSchemas.createTensorboard.safeParse(input, { reportInput: true });
      assert.equal(result.success, false, JSON.stringify(input));
      assert.match(describeIssues(result.error!.issues), message);
    }
  });

  it("spells GetTensorboard's job parameter JodId", () => {
    assert.deepEqual(requestSchemas.getTensorboard.parse({ workspaceId: '86923', jobId: 'dlc1', token: 'jwt' }), {
      WorkspaceId: '86923',
      JodId: 'dlc1',
      Token: 'jwt',
    });
    assert.deepEqual(requestSchemas.getTensorboard.parse({}), {});
  });

  it('puts UpdateTensorboard changes in the query as strings', () => {
    assert.deepEqual(
      requestSchemas.updateTensorboard.parse({
        workspaceId: '86923',
        maxRunningTimeMinutes: 300,
        accessibility: 'PRIVATE',
        priority: '2',
      }),
      { WorkspaceId: '86923', MaxRunningTimeMinutes: '300', Accessibility: 'PRIVATE', Priority: '2' },
    );
  });

  it('builds ListTensorboards queries: strings only, times in UTC without milliseconds', () => {
    const query = requestSchemas.listTensorboards.parse({
      workspaceId: '86923',
      verbose: true,
      showOwn: false,
      pageNumber: 2,
      pageSize: 100,
      startTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      endTime: '2026-01-09T08:00:00+08:00',
      order: 'desc',
      sortBy: 'GmtCreateTime',
      status: 'Running',
      jobId: 'dlc1',
      displayName: undefined,
    });
    assert.deepEqual(query, {
      WorkspaceId: '86923',
      Verbose: 'true',
      ShowOwn: 'false',
      PageNumber: '2',
      PageSize: '100',
      StartTime: '2026-01-02T03:04:05Z',
      EndTime: '2026-01-09T00:00:00Z',
      Order: 'desc',
      SortBy: 'GmtCreateTime',
      Status: 'Running',
      JobId: 'dlc1',
    });
    for (const value of Object.values(query)) assert.equal(typeof value, 'string');
  });

  it('bounds paging and rejects bad times', () => {
    const cases: Array<[object, RegExp]> = [
      [{ pageSize: 101 }, /pageSize must be at most 100/],
      [{ pageSize: 0 }, /pageSize must be at least 1/],
      [{ pageNumber: 1001 }, /pageNumber must be at most 1000/],
      [{ startTime: 'last tuesday' }, /startTime must be a date, not an invalid date/],
      [{ order: 'up' }, /order must be one of "asc", "desc"/],
    ];
    for (const [input, message] of cases) {
      const result = requestSchemas.listTensorboards.safeParse(input, { reportInput: true });
      assert.equal(result.success, false, JSON.stringify(input));
      assert.match(describeIssues(result.error!.issues), message);
    }
  });

  it('builds ListJobs queries: tags as JSON text, job IDs comma-joined, never an array', () => {
    const query = requestSchemas.listJobs.parse({
      workspaceId: '86923',
      tags: { team: 'vision' },
      jobIds: ['dlc1', 'dlc2'],
      fromAllWorkspaces: true,
      showOwn: true,
      pageSize: 50,
      sortBy: 'GmtCreateTime',
    });
    assert.deepEqual(query, {
      WorkspaceId: '86923',
      Tags: '{"team":"vision"}',
      JobIds: 'dlc1,dlc2',
      FromAllWorkspaces: 'true',
      ShowOwn: 'true',
      PageSize: '50',
      SortBy: 'GmtCreateTime',
    });
  });

  it('GetJob NeedDetail and the shared URL expiry are strings', () => {
    assert.deepEqual(requestSchemas.getJob.parse({ needDetail: false }), { NeedDetail: 'false' });
    assert.deepEqual(requestSchemas.getTensorboardSharedUrl.parse({ expireTimeSeconds: 86400 }), {
      ExpireTimeSeconds: '86400',
    });
    assert.equal(requestSchemas.getTensorboardSharedUrl.safeParse({ expireTimeSeconds: 604801 }).success, false);
  });

  it('toQuery drops undefined, null and empty values and refuses arrays and objects', () => {
    assert.deepEqual(toQuery({ A: undefined, B: null, C: '', D: 0, E: false, F: 'x' }), { D: '0', E: 'false', F: 'x' });
    assert.throws(() => toQuery({ A: ['1', '2'] }), /A must be a string, number or boolean/);
    assert.throws(() => toQuery({ A: {} }), /A must be/);
  });
});
