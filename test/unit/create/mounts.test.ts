import assert from 'node:assert/strict';
import { parseMounts, summaryUriFor, type SummaryUriCheck } from '../../../src/create/mounts';

// A PAI-DSW/DLC container as /proc/mounts shows it: overlay root, NAS over NFS, OSS over ossfs and JindoFuse.
const procMounts = [
  'overlay / overlay rw,relatime,lowerdir=/var/lib/containerd/l/A:/var/lib/containerd/l/B,upperdir=/u,workdir=/w 0 0',
  'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
  'tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755 0 0',
  '/dev/vda1 /etc/hosts ext4 rw,relatime 0 0',
  '1ca404a666-abcd1.cn-hangzhou.nas.aliyuncs.com:/ /mnt/nas nfs4 rw,relatime,vers=3,rsize=1048576,wsize=1048576,namlen=255,hard,nolock,noresvport,proto=tcp,timeo=600,retrans=2,sec=sys 0 0',
  '1ca404a666-abcd1.cn-hangzhou.nas.aliyuncs.com:/team/logs /mnt/team\\040logs nfs rw,relatime,vers=3 0 0',
  '00c7abcd-rivj.cn-hangzhou.extreme.nas.aliyuncs.com:/share /mnt/extreme nfs rw,relatime,vers=3 0 0',
  '192.168.0.10:/export /mnt/nfs-ip nfs4 rw,relatime 0 0',
  'ossfs /mnt/data fuse.ossfs rw,nosuid,nodev,relatime,user_id=0,group_id=0,allow_other 0 0',
  'ossfs2 /mnt/oss2 fuse.ossfs2 rw,nosuid,nodev,relatime,user_id=0,group_id=0,allow_other 0 0',
  'jindo-fuse /mnt/workspace fuse.jindo-fuse rw,nosuid,nodev,relatime,user_id=0,group_id=0,allow_other 0 0',
  'my-bucket:/prefix /mnt/named fuse.ossfs rw,nosuid,nodev,relatime,user_id=0,group_id=0 0 0',
  '1ca404a666-abcd1.cn-hangzhou.nas.aliyuncs.com:/nested /mnt/data/nested-nas nfs rw,relatime 0 0',
  'sshfs#me@host:/home /mnt/ssh fuse.sshfs rw,nosuid,nodev 0 0',
].join('\n');

const mounts = parseMounts(procMounts);

function ok(result: SummaryUriCheck): string {
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.uri;
}

function reason(result: SummaryUriCheck): string {
  assert.equal(result.ok, false, result.ok ? result.uri : '');
  return result.ok ? '' : result.reason;
}

describe('mount table', () => {
  it('parses /proc/mounts lines, unescaping octal escapes', () => {
    assert.equal(mounts.length, 14);
    assert.deepEqual(mounts[5], {
      device: '1ca404a666-abcd1.cn-hangzhou.nas.aliyuncs.com:/team/logs',
      mountPoint: '/mnt/team logs',
      fsType: 'nfs',
      options: ['rw', 'relatime', 'vers=3'],
    });
    assert.deepEqual(parseMounts('a\\011b /x\\134y\\012z ext4 rw 0 0')[0], {
      device: 'a\tb',
      mountPoint: '/x\\y\nz',
      fsType: 'ext4',
      options: ['rw'],
    });
  });

  it('skips blank lines, comments and short lines, and tolerates missing fields and CRLF', () => {
    assert.deepEqual(parseMounts('\n# fstab comment\n  \nbroken line\r\nossfs#bucket /mnt/o fuse\r\n'), [
      { device: 'ossfs#bucket', mountPoint: '/mnt/o', fsType: 'fuse', options: [] },
    ]);
  });

  it('maps a folder on general-purpose NAS to nas://<id>.<region>/<path>/', () => {
    assert.equal(ok(summaryUriFor('/mnt/nas/logs/run1', mounts)), 'nas://1ca404a666.cn-hangzhou/logs/run1/');
    assert.equal(ok(summaryUriFor('/mnt/nas', mounts)), 'nas://1ca404a666.cn-hangzhou/');
    assert.equal(ok(summaryUriFor('/mnt/nas/', mounts)), 'nas://1ca404a666.cn-hangzhou/');
    assert.equal(ok(summaryUriFor('/mnt/nas//a/./b/../c', mounts)), 'nas://1ca404a666.cn-hangzhou/a/c/');
  });

  it('adds the exported subdirectory and handles escaped mount points', () => {
    const result = summaryUriFor('/mnt/team logs/exp 7', mounts);
    assert.equal(ok(result), 'nas://1ca404a666.cn-hangzhou/team/logs/exp 7/');
    assert.equal(result.mount?.mountPoint, '/mnt/team logs');
  });

  it('lets the longest mount point win, so a nested mount beats its parent', () => {
    assert.equal(ok(summaryUriFor('/mnt/data/nested-nas/tb', mounts)), 'nas://1ca404a666.cn-hangzhou/nested/tb/');
    assert.match(
      reason(summaryUriFor('/mnt/data/nested', mounts)),
      /ossfs/,
      'a sibling sharing a prefix is not inside the nested mount',
    );
  });

  it('lets a later mount on the same point cover an earlier one', () => {
    const table = parseMounts(
      ['ossfs /mnt/x fuse.ossfs rw 0 0', '1ca404a666-abcd1.cn-hangzhou.nas.aliyuncs.com:/ /mnt/x nfs4 rw 0 0'].join(
        '\n',
      ),
    );
    assert.equal(ok(summaryUriFor('/mnt/x/y', table)), 'nas://1ca404a666.cn-hangzhou/y/');
  });

  it('does not guess the bucket behind ossfs or JindoFuse', () => {
    assert.match(
      reason(summaryUriFor('/mnt/data/logs', mounts)),
      /\/mnt\/data is mounted with ossfs.*which OSS bucket.*pathMappings/,
    );
    assert.match(reason(summaryUriFor('/mnt/oss2/logs', mounts)), /ossfs.*which OSS bucket/);
    assert.match(reason(summaryUriFor('/mnt/workspace/runs', mounts)), /JindoFuse.*which OSS bucket/);
  });

  it('names the bucket but not an endpoint it cannot see', () => {
    const text = reason(summaryUriFor('/mnt/named/run1', mounts));
    assert.match(text, /OSS bucket my-bucket/);
    assert.match(text, /"remote": "oss:\/\/my-bucket\.oss-<region>-internal\.aliyuncs\.com\/prefix"/);
  });

  it('maps fstab-style ossfs and JindoFuse lines that carry the endpoint or URI', () => {
    const fstab = parseMounts(
      [
        'ossfs#my-bucket:/exp /mnt/a fuse _netdev,allow_other,url=http://oss-cn-hangzhou-internal.aliyuncs.com 0 0',
        'my-bucket /mnt/b fuse.ossfs _netdev,url=https://oss-cn-beijing.aliyuncs.com/ 0 0',
        'jindo-fuse /mnt/c fuse.jindo-fuse uri=oss://other-bucket.oss-cn-shanghai-internal.aliyuncs.com/data/ 0 0',
        'jindo-fuse /mnt/d fuse.jindo-fuse uri=oss://other-bucket/data/ 0 0',
      ].join('\n'),
    );
    assert.equal(
      ok(summaryUriFor('/mnt/a/run1', fstab)),
      'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/exp/run1/',
    );
    assert.equal(ok(summaryUriFor('/mnt/b', fstab)), 'oss://my-bucket.oss-cn-beijing.aliyuncs.com/');
    assert.equal(
      ok(summaryUriFor('/mnt/c/tb', fstab)),
      'oss://other-bucket.oss-cn-shanghai-internal.aliyuncs.com/data/tb/',
    );
    assert.match(reason(summaryUriFor('/mnt/d/tb', fstab)), /JindoFuse/);
  });

  it('explains Extreme NAS, NFS by IP and other file systems', () => {
    assert.match(
      reason(summaryUriFor('/mnt/extreme/tb', mounts)),
      /Extreme NAS.*nas:\/\/extreme-<id>\.<region>\/share/,
    );
    assert.match(reason(summaryUriFor('/mnt/nfs-ip/tb', mounts)), /NFS from 192\.168\.0\.10/);
    assert.match(reason(summaryUriFor('/mnt/ssh/x', mounts)), /fuse\.sshfs mount/);
  });

  it('explains that the container root and local disks cannot be read by PAI', () => {
    assert.match(
      reason(summaryUriFor('/root/logs', mounts)),
      /own overlay file system.*\/mnt\/data or \/mnt\/workspace/,
    );
    assert.match(reason(summaryUriFor('/etc/hosts', mounts)), /own ext4/);
    assert.match(reason(summaryUriFor('/home/me/logs', parseMounts('/dev/sda1 / ext4 rw,relatime 0 0'))), /ext4/);
  });

  it('needs an absolute path and a mount that holds it', () => {
    assert.match(reason(summaryUriFor('logs/run1', mounts)), /absolute/);
    assert.match(reason(summaryUriFor('/mnt/nas/x', [])), /No mount/);
    assert.match(reason(summaryUriFor('/srv/x', parseMounts('ossfs /mnt/data fuse.ossfs rw 0 0'))), /No mount/);
  });
});
