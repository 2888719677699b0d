import assert from 'node:assert/strict';
import { findJobIds, isJobId, jobIdAt } from '../../../src/create/jobIds';

const ids = (text: string) => findJobIds(text).map((match) => match.jobId);

describe('job IDs', () => {
  it('finds both forms with their offsets', () => {
    const line = 'submitted dlc-20210126170216-mtl37ge7gkvdz, then dlc1a9r0uhfn24cl';
    assert.deepEqual(findJobIds(line), [
      { jobId: 'dlc-20210126170216-mtl37ge7gkvdz', start: 10, end: 42 },
      { jobId: 'dlc1a9r0uhfn24cl', start: 49, end: 65 },
    ]);
    assert.equal(line.slice(49, 65), 'dlc1a9r0uhfn24cl');
  });

  it('finds IDs in realistic log lines', () => {
    assert.deepEqual(ids('2024-05-01 10:00:01 INFO [dlc9s5e3m7h1q2x6] epoch 3/10 loss=0.231'), ['dlc9s5e3m7h1q2x6']);
    assert.deepEqual(ids('JobId: dlc-20210114104214-vf9lowjt3pso Status: Running'), [
      'dlc-20210114104214-vf9lowjt3pso',
    ]);
    assert.deepEqual(ids('{"JobId":"dlcfchvd6ou2zz4v","Status":"Succeeded"}'), ['dlcfchvd6ou2zz4v']);
    assert.deepEqual(ids("job_id='dlc7yq2c8kd0hx1m'"), ['dlc7yq2c8kd0hx1m']);
    assert.deepEqual(ids('pai dlc get job --job-id=dlc2k6p9t3w7z1c5'), ['dlc2k6p9t3w7z1c5']);
  });

  it('finds IDs in console, dashboard and terminal URLs', () => {
    assert.deepEqual(ids('https://pai.console.aliyun.com/?regionId=cn-hangzhou#/dlc/jobs/dlc1a9r0uhfn24cl'), [
      'dlc1a9r0uhfn24cl',
    ]);
    assert.deepEqual(
      ids(
        'https://pai.console.aliyun.com/?regionId=ap-southeast-1&workspaceId=262162#/dlc/jobs/dlc1q9arre48b0kx/overview',
      ),
      ['dlc1q9arre48b0kx'],
    );
    assert.deepEqual(ids('https://pai-dlc-proxy-1-cn-wulanchabu.aliyun.com/ray/dashboard/dlc1a9r0uhfn24cl'), [
      'dlc1a9r0uhfn24cl',
    ]);
    assert.deepEqual(ids('https://example.com/redirect?to=%2Fdlc%2Fjobs%2Fdlc1a9r0uhfn24cl%2Foverview'), [
      'dlc1a9r0uhfn24cl',
    ]);
  });

  it('finds the job ID inside pod names and file names', () => {
    assert.deepEqual(
      ids(
        'wss://pai-dlc-proxy-cn-shanghai.aliyun.com/terminal/t1157703270994901/dlcmjzjt1dxbmx4h/dlcmjzjt1dxbmx4h-worker-0?Token=x',
      ),
      ['dlcmjzjt1dxbmx4h', 'dlcmjzjt1dxbmx4h'],
    );
    assert.deepEqual(ids('dlc-20210126170216-mtl37ge7gkvdz-master-0 1/1 Running'), [
      'dlc-20210126170216-mtl37ge7gkvdz',
    ]);
    assert.deepEqual(ids('/mnt/data/logs/dlc1a9r0uhfn24cl_stdout.log'), ['dlc1a9r0uhfn24cl']);
  });

  it('ignores near-misses', () => {
    for (const text of [
      'dlcjob',
      'dlc-quota',
      'the dlc jobs page',
      'dlc-job-1',
      'QuotaName: dlc-quota',
      'dlcconfiguration', // 13 letters after dlc, no digit
      'dlcimplementation', // 14 letters, no digit
      'dlc12345', // too short
      'dlc1a9r0uhfn24cl0123', // 17 after dlc: too long
      'DLC1A9R0UHFN24CL', // IDs are lowercase
      'xdlc1a9r0uhfn24cl',
      'dlc1a9r0uhfn24clX',
      '1dlc1a9r0uhfn24cl',
      'dlc20210126170216', // an old-form ID that lost its hyphens
      'dlc-2021012617021-mtl37ge7gkvdz', // 13-digit timestamp
      'dlc-20210126170216-',
      'dlc-20210126170216-abc', // suffix missing or too short
      'dlc-20210126170216-********', // the docs' masked example
      'gdlc-20220629.htm',
    ]) {
      assert.deepEqual(ids(text), [], text);
    }
  });

  it('returns the ID under the cursor, ends included', () => {
    const line = 'see https://pai.console.aliyun.com/#/dlc/jobs/dlc1a9r0uhfn24cl and dlc-20210126170216-mtl37ge7gkvdz';
    const start = line.indexOf('dlc1a9');
    assert.equal(jobIdAt(line, start), 'dlc1a9r0uhfn24cl');
    assert.equal(jobIdAt(line, start + 8), 'dlc1a9r0uhfn24cl');
    assert.equal(jobIdAt(line, start + 16), 'dlc1a9r0uhfn24cl');
    assert.equal(jobIdAt(line, start - 1), undefined);
    assert.equal(jobIdAt(line, start + 17), undefined);
    assert.equal(jobIdAt(line, line.length), 'dlc-20210126170216-mtl37ge7gkvdz');
    assert.equal(jobIdAt(line, line.indexOf('/dlc/')), undefined);
    assert.equal(jobIdAt('', 0), undefined);
  });

  it('checks a whole string', () => {
    assert.equal(isJobId('dlc1a9r0uhfn24cl'), true);
    assert.equal(isJobId('  dlc-20210126170216-mtl37ge7gkvdz\n'), true);
    assert.equal(isJobId('dlcabcdefghijklm'), true, 'a typed ID of letters only is still an ID');
    assert.equal(isJobId('dlc1a9r0uhfn24cl '), true);
    assert.equal(isJobId('dlc1a9r0uhfn24cl/overview'), false);
    assert.equal(isJobId('dlc20210126170216'), false);
    assert.equal(isJobId('dlcjob'), false);
    assert.equal(isJobId('dlc-quota'), false);
    assert.equal(isJobId(''), false);
    assert.equal(isJobId('tb4k8lc5xfu36opt'), false);
  });
});
