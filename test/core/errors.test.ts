import { Testing } from 'cdk8s';
import { check, invalidInput, maskCredentials } from '../../src/core/errors';

describe('maskCredentials', () => {
  test.each<[string, string, string]>([
    ['user and token', 'https://ci-bot:ghp_abc123@git.example.com/p.git', 'https://***@git.example.com/p.git'],
    ['a token alone', 'https://ghp_abc123@git.example.com/p.git', 'https://***@git.example.com/p.git'],
    ['an s3a URI with keys', 's3a://AKIAX:wJalr/secret@bucket/logs', 's3a://***@bucket/logs'],
    ['a token query parameter', 'https://mirror.example.com/k8s?token=s3cr3t&arch=amd64', 'https://mirror.example.com/k8s?token=***&arch=amd64'],
    ['a presigned URL', 'https://b.s3.amazonaws.com/o?X-Amz-Credential=AKIA%2F&X-Amz-Signature=ab12', 'https://b.s3.amazonaws.com/o?X-Amz-Credential=***&X-Amz-Signature=***'],
    ['two URLs in one message', 'a https://u:p@x.io and http://t@y.io/z', 'a https://***@x.io and http://***@y.io/z'],
    ['a path holding @ (masked too: the safe side)', 'https://git.example.com/users/a@b/repo.git', 'https://***@b/repo.git'],
    ['a password parameter', 'jdbc:mysql://db:3306/hive?user=hive&password=pw', 'jdbc:mysql://db:3306/hive?user=hive&password=***'],
  ])('masks %s', (_name, input, masked) => {
    expect(maskCredentials(input)).toBe(masked);
  });

  test.each([
    'hdfs://namenode.hadoop.svc:8020/spark-logs',
    'thrift://hive-metastore.hive.svc:9083',
    'oci://registry.example.com/charts/spark@sha256:0123abcd',
    'registry.example.com:5000/apache/spark:3.5.7',
    'https://mirror.example.com/k8s?arch=amd64',
  ])('leaves %s alone', (text) => {
    expect(maskCredentials(text)).toBe(text);
  });
});

describe('invalidInput', () => {
  test('names where, the property, the value and what is allowed', () => {
    expect(invalidInput(Testing.chart(), 'port', 70000, 'a port from 1 to 65535').message)
      .toBe('test: invalid port 70000: a port from 1 to 65535');
  });

  test('never repeats a credential given in a URL', () => {
    const planted = 'ghp_PLANTED0123456789';
    expect(() => check(false, 'ArgoCdApplication', 'repoUrl', `https://bot:${planted}@git.example.com/p.git`,
      `an https URL without credentials (got https://bot:${planted}@git.example.com/p.git)`)).toThrow(
      'ArgoCdApplication: invalid repoUrl "https://***@git.example.com/p.git": an https URL without credentials (got https://***@git.example.com/p.git)');
    try {
      check(false, 'x', 'url', { url: `s3a://key:${planted}@bucket` }, 'y');
    } catch (e) {
      expect((e as Error).message).not.toContain(planted);
    }
  });
});
