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

  test.each([
    ['validateDns1035Label', 'spark-pi'],
    ['validateDns1035Label', 'a1'],
    ['validateSubdomain', 'sparkapplications.sparkoperator.k8s.io'],
    // IsDNS1123Subdomain limits the whole name, not each part (apimachinery pkg/api/validate/content/dns.go).
    ['validateSubdomain', `${'a'.repeat(64)}.example`],
  ])('%s accepts %j', (method, name) => {
    expect((DnsNames as any)[method](chart, 'name', name)).toBe(name);
  });

  test.each<[string, () => unknown, string]>([
    ['a label over a tighter maximum', () => DnsNames.validateLabel(chart, 'name', 'a'.repeat(50), 40), 'a DNS-1123 label of 1 to 40 characters is required'],
    ['a DNS-1035 label starting with a digit', () => DnsNames.validateDns1035Label(chart, 'name', '1spark'),
      'invalid name "1spark": a DNS-1035 label consists of lowercase letters, digits and \'-\', starts with a letter'],
    ['a DNS-1035 label over a tighter maximum', () => DnsNames.validateDns1035Label(chart, 'name', 'a'.repeat(41), 40),
      'a DNS-1035 label of 1 to 40 characters is required'],
    ['a subdomain with an empty part', () => DnsNames.validateSubdomain(chart, 'name', 'a..b'), 'invalid name "a..b": a DNS-1123 subdomain consists of'],
    ['a subdomain with an uppercase part', () => DnsNames.validateSubdomain(chart, 'name', 'a.B'), 'invalid name "a.B": a DNS-1123 subdomain'],
    ['a subdomain of 254 characters', () => DnsNames.validateSubdomain(chart, 'name', 'a'.repeat(254)), 'a DNS-1123 subdomain of 1 to 253 characters is required'],
    ['a generated name shorter than 10', () => DnsNames.generate(chart, { maxLength: 5 }), 'invalid maxLength 5: an integer from 10 to 63'],
    ['a generated name longer than 63', () => DnsNames.generate(chart, { maxLength: 64 }), 'invalid maxLength 64: an integer from 10 to 63'],
  ])('refuses %s', (_name, attempt, message) => {
    expect(attempt).toThrow(`${chart.node.path}: `);
    expect(attempt).toThrow(message);
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
