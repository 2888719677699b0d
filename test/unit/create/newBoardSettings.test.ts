import assert from 'node:assert/strict';
import { requestSchemas } from '../../../src/api/schemas';
import { buildCreateRequest, BoardRequestError } from '../../../src/create/boardRequest';
import { parseAdvancedSettings, settingFieldsOf } from '../../../src/create/newBoardSettings';

const SPEC = 'paiTensorboard.newBoard.tensorboardSpec';
const SOURCES = 'paiTensorboard.newBoard.dataSources';

function refusal(raw: Parameters<typeof parseAdvancedSettings>[0]): BoardRequestError {
  try {
    parseAdvancedSettings(raw);
  } catch (error) {
    assert.ok(error instanceof BoardRequestError, String(error));
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(raw)}`);
}

describe('new-board settings: the rare API objects', () => {
  it('takes TensorboardSpec with the PascalCase keys the API documents, and sends them', () => {
    const advanced = parseAdvancedSettings({
      tensorboardSpec: { EcsType: 'ecs.g6.large', VpcId: 'vpc-1', SwitchId: 'vsw-1', SecurityGroupId: 'sg-1' },
    });
    assert.deepEqual(advanced.tensorboardSpec, {
      ecsType: 'ecs.g6.large',
      vpcId: 'vpc-1',
      switchId: 'vsw-1',
      securityGroupId: 'sg-1',
    });
    // What used to go out was `TensorboardSpec: {}`: zod stripped the PascalCase keys.
    const body = requestSchemas.createTensorboard.parse({
      workspaceId: '1',
      tensorboardSpec: advanced.tensorboardSpec,
    }) as Record<string, unknown>;
    assert.deepEqual(body.TensorboardSpec, {
      EcsType: 'ecs.g6.large',
      VpcId: 'vpc-1',
      SwitchId: 'vsw-1',
      SecurityGroupId: 'sg-1',
    });
  });

  it('takes camelCase keys too, and DataSources items in either case', () => {
    assert.deepEqual(parseAdvancedSettings({ tensorboardSpec: { ecsType: 'ecs.g6.large' } }).tensorboardSpec, {
      ecsType: 'ecs.g6.large',
    });
    const { dataSources } = parseAdvancedSettings({
      dataSources: [
        { DataSourceType: 'nas', FileSystemId: '1ca404a666', MountPath: '/mnt/nas/' },
        { dataSourceId: 'd-k2x8vq3m9r1tzw', mountPath: '/mnt/data/', options: { a: 1 } },
      ],
    });
    assert.deepEqual(dataSources, [
      { dataSourceType: 'nas', fileSystemId: '1ca404a666', mountPath: '/mnt/nas/' },
      { dataSourceId: 'd-k2x8vq3m9r1tzw', mountPath: '/mnt/data/', options: '{"a":1}' },
    ]);
  });

  it('leaves empty objects and lists out, so nothing empty is sent', () => {
    assert.deepEqual(parseAdvancedSettings({ tensorboardSpec: {}, dataSources: [], mountPath: '  ' }), {});
    assert.deepEqual(parseAdvancedSettings({}), {});
  });

  it('refuses a key the API does not have, naming the setting and the keys it takes', () => {
    const typo = refusal({ tensorboardSpec: { EcsTyp: 'ecs.g6.large' } });
    assert.equal(typo.field, SPEC);
    assert.match(
      typo.message,
      /paiTensorboard\.newBoard\.tensorboardSpec has an unknown key "EcsTyp"\. TensorboardSpec takes EcsType, VpcId, SwitchId, SecurityGroupId/,
    );
    const item = refusal({ dataSources: [{ DataSourceId: 'd-k2x8vq3m9r1tzw' }, { Bucket: 'x' }] });
    assert.equal(item.field, SOURCES);
    assert.match(
      item.message,
      /dataSources\[1\] has an unknown key "Bucket"\. DataSources item takes DataSourceType, DataSourceId/,
    );
    for (const key of ['constructor', '__proto__', 'toString', 'ECSType']) {
      assert.match(
        refusal({ tensorboardSpec: JSON.parse(`{"${key}": "x"}`) }).message,
        new RegExp(`unknown key "${key}"`),
        key,
      );
    }
  });

  it('refuses wrong types and a key given twice, naming the setting and the field', () => {
    assert.match(
      refusal({ tensorboardSpec: { EcsType: 4 } }).message,
      /tensorboardSpec is not valid: EcsType must be a string, not a number/,
    );
    assert.match(refusal({ tensorboardSpec: { EcsType: '' } }).message, /EcsType must not be empty/);
    assert.match(
      refusal({ tensorboardSpec: ['ecs.g6.large'] }).message,
      /tensorboardSpec must be an object \(TensorboardSpec\), not a list/,
    );
    assert.match(refusal({ tensorboardSpec: 'ecs.g6.large' }).message, /must be an object/);
    assert.match(refusal({ tensorboardSpec: { EcsType: 'a', ecsType: 'b' } }).message, /gives EcsType twice/);
    assert.match(
      refusal({ dataSources: { DataSourceId: 'd-1' } }).message,
      /dataSources must be a list of data sources, not an object/,
    );
    assert.match(refusal({ dataSources: ['d-1'] }).message, /dataSources\[0\] must be an object/);
    assert.equal(refusal({ dataSources: [{ MountPath: 7 }] }).field, SOURCES);
  });
});

describe('new-board settings: the fields they put into a request', () => {
  it('lists every field a setting fills, as it goes on the wire, and none of the source fields', () => {
    const request = buildCreateRequest(
      { kind: 'uri', uri: 'oss://bkt.oss-cn-hangzhou.aliyuncs.com/logs/' },
      {
        maxRunningTimeMinutes: 525600,
        cpu: 64,
        memory: 256,
        accessibility: 'PUBLIC',
        priority: '9',
        quotaId: 'quota-1',
      },
      {
        workspaceId: '86923',
        advanced: parseAdvancedSettings({
          tensorboardSpec: { EcsType: 'ecs.gn6i' },
          dataSources: [{ DataSourceId: 'd-other' }],
          mountPath: '/root/data/',
        }),
      },
    );
    assert.deepEqual(
      settingFieldsOf(request).map((f) => [f.setting, f.field, f.value]),
      [
        ['maxRunningTimeMinutes', 'MaxRunningTimeMinutes', '525600'],
        ['cpu', 'Cpu', '64'],
        ['memory', 'Memory', '256'],
        ['accessibility', 'Accessibility', 'PUBLIC'],
        ['priority', 'Priority', '9'],
        ['quotaId', 'QuotaId', 'quota-1'],
        ['mountPath', 'Options', '{"mountpath":"/root/data/"}'],
        ['tensorboardSpec', 'TensorboardSpec', '{"EcsType":"ecs.gn6i"}'],
        ['dataSources', 'DataSources', '[{"DataSourceId":"d-other"}]'],
      ],
    );
  });

  it('leaves out what is not sent: no spec, no quota, and no mount path for a job', () => {
    const request = buildCreateRequest(
      { kind: 'job', jobId: 'dlc1a9r0uhfn24cl' },
      { maxRunningTimeMinutes: 240, accessibility: 'PRIVATE', priority: '1' },
      { workspaceId: '86923', advanced: { mountPath: '/root/data/' } },
    );
    assert.deepEqual(
      settingFieldsOf(request).map((f) => f.field),
      ['MaxRunningTimeMinutes', 'Accessibility', 'Priority'],
    );
  });
});
