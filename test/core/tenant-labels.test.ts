import { SPARK_ROLE_LABEL, validateLabels } from '../../src/core/tenant-labels';

// Label rules of k8s.io/apimachinery pkg/api/validate/content/kube.go (IsLabelKey, IsLabelValue).

describe('validateLabels', () => {
  test.each<[string, { [key: string]: string } | undefined]>([
    ['none', undefined],
    ['empty', {}],
    ['plain keys', { team: 'etl', tier: 'gold' }],
    ['prefixed keys and an empty value', { 'example.com/owner': '', 'app.kubernetes.io/name': 'spark' }],
    ['the Spark role label', { [SPARK_ROLE_LABEL]: 'driver' }],
  ])('accepts %s', (_name, labels) => {
    expect(() => validateLabels('Tenant', 'labels', labels)).not.toThrow();
  });

  test.each<[string, { [key: string]: string }, string]>([
    ['a blank in a key', { 'my team': 'a' }, 'Tenant: invalid labels key "my team": a label key'],
    ['an uppercase prefix', { 'Example.com/x': 'a' }, 'invalid labels key "Example.com/x"'],
    ['a name of 64 characters', { ['a'.repeat(64)]: 'a' }, 'invalid labels key'],
    ['two slashes', { 'a/b/c': 'a' }, 'invalid labels key "a/b/c"'],
    ['a blank in a value', { team: 'a b' }, 'Tenant: invalid labels["team"] "a b": a label value'],
    ['a value of 64 characters', { team: 'a'.repeat(64) }, 'invalid labels["team"]'],
    ['a value ending in a dash', { team: 'etl-' }, 'invalid labels["team"] "etl-"'],
    ['a value that is not a string', { team: 1 as any }, 'invalid labels["team"] 1'],
  ])('refuses %s', (_name, labels, message) => {
    expect(() => validateLabels('Tenant', 'labels', labels)).toThrow(message);
  });

  test('Spark labels its driver and executor pods spark-role (Spark: Constants.SPARK_ROLE_LABEL)', () => {
    expect(SPARK_ROLE_LABEL).toBe('spark-role');
  });
});
