import { Chart, Testing } from 'cdk8s';
import { DnsNames } from '../../src';

describe('DnsNames', () => {
  const chart = Testing.chart();

  test.each(['a', 'spark-pi', '0day', 'a'.repeat(63)])('accepts label %s', (name) => {
    expect(DnsNames.validateLabel(chart, 'name', name)).toBe(name);
  });

  test.each([
    ['Spark', 'lowercase letters'],
    ['-spark', 'starts and ends with a letter or digit'],
    ['spark-', 'starts and ends with a letter or digit'],
    ['spark_pi', 'lowercase letters'],
    ['a.b', 'lowercase letters'],
    ['', '1 to 63 characters'],
    ['a'.repeat(64), '1 to 63 characters'],
  ])('rejects label %j naming path, property, value and the rule', (name, rule) => {
    const err = () => DnsNames.validateLabel(chart, 'metadata.name', name);
    expect(err).toThrow(`${chart.node.path}: invalid metadata.name ${JSON.stringify(name)}`);
    expect(err).toThrow(rule);
  });

  test('a tighter maximum leaves room for suffixes', () => {
    expect(() => DnsNames.validateLabel(chart, 'name', 'a'.repeat(50), 40)).toThrow('1 to 40 characters');
  });

  test('DNS-1035 labels must start with a letter', () => {
    expect(DnsNames.validateDns1035Label(chart, 'name', 'spark-pi')).toBe('spark-pi');
    expect(() => DnsNames.validateDns1035Label(chart, 'name', '1spark')).toThrow('starts with a letter');
  });

  test('subdomains allow dots but not empty parts', () => {
    expect(DnsNames.validateSubdomain(chart, 'name', 'sparkapplications.sparkoperator.k8s.io'))
      .toBe('sparkapplications.sparkoperator.k8s.io');
    expect(() => DnsNames.validateSubdomain(chart, 'name', 'a..b')).toThrow('DNS-1123 subdomain');
    expect(() => DnsNames.validateSubdomain(chart, 'name', 'a'.repeat(254))).toThrow('1 to 253 characters');
  });

  test('generated names are stable, unique per path and valid labels', () => {
    const app = Testing.app();
    const a = new Chart(app, 'platform');
    const b = new Chart(app, 'other');
    const first = DnsNames.generate(a);
    expect(DnsNames.generate(a)).toBe(first);
    expect(DnsNames.generate(b)).not.toBe(first);
    expect(DnsNames.isLabel(first)).toBe(true);
    expect(DnsNames.generate(a, { maxLength: 20 }).length).toBeLessThanOrEqual(20);
    expect(() => DnsNames.generate(a, { maxLength: 5 })).toThrow('invalid maxLength 5: an integer from 10 to 63');
  });

  test('join shortens long names deterministically and keeps them distinct', () => {
    expect(DnsNames.join(['spark', 'pi', 'driver'])).toBe('spark-pi-driver');
    const long1 = DnsNames.join(['x'.repeat(60), 'driver'], 40);
    const long2 = DnsNames.join(['x'.repeat(60), 'executor'], 40);
    expect(long1.length).toBeLessThanOrEqual(40);
    expect(long1).toMatch(/^x+-[0-9a-f]{8}$/);
    expect(long1).not.toBe(long2);
    expect(DnsNames.join(['x'.repeat(60), 'driver'], 40)).toBe(long1);
  });
});
