import { contains, formatIpv4, overlaps, parseCidr, parseIpv4, size, SPECIAL_PURPOSE } from '../../src/core/cidr';

describe('parseIpv4 / formatIpv4', () => {
  test.each<[string, number]>([
    ['0.0.0.0', 0],
    ['10.0.0.1', 10 * 2 ** 24 + 1],
    ['192.168.56.10', 3232249866],
    ['255.255.255.255', 2 ** 32 - 1],
  ])('%s is %d and back', (text, value) => {
    expect(parseIpv4(text)).toBe(value);
    expect(formatIpv4(value)).toBe(text);
  });

  // Leading zeros are refused: Go's net.ParseIP (kubeadm, flannel) rejects them since Go 1.17.
  test.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', '1.2.3.-4', ' 1.2.3.4', 'a.b.c.d', '', '::1'])('refuses %j', (text) => {
    expect(parseIpv4(text)).toBeUndefined();
  });

  test('refuses what is not a string', () => {
    expect(parseIpv4(42 as any)).toBeUndefined();
  });
});

describe('parseCidr', () => {
  test.each<[string, number, number]>([
    ['10.244.0.0/16', 10 * 2 ** 24 + 244 * 2 ** 16, 16],
    ['0.0.0.0/0', 0, 0],
    ['192.168.1.7/32', parseIpv4('192.168.1.7')!, 32],
    ['10.96.0.0/12', parseIpv4('10.96.0.0')!, 12],
  ])('%s', (text, network, prefix) => {
    expect(parseCidr(text)).toEqual({ network, prefix, text });
  });

  test.each<[string, string]>([
    ['10.244.0.1/16', 'host bits set'],
    ['10.0.0.0/33', 'prefix over 32'],
    ['10.0.0.0/08', 'leading zero in the prefix (Go refuses it)'],
    ['10.0.0.0/', 'empty prefix'],
    ['10.0.0.0', 'no prefix'],
    ['10.0.0.0/8/8', 'two slashes'],
    ['10.0.0/8', 'bad address'],
    ['10.0.0.0/-1', 'negative prefix'],
  ])('refuses %j (%s)', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('arithmetic', () => {
  test.each<[number, number]>([[32, 1], [24, 256], [16, 65536], [0, 2 ** 32]])('a /%d holds %d addresses', (prefix, n) => {
    expect(size(prefix)).toBe(n);
  });

  test('contains: the first and the last address, not the ones beside', () => {
    const cidr = parseCidr('10.96.0.0/12')!;
    expect(contains(cidr, parseIpv4('10.96.0.0')!)).toBe(true);
    expect(contains(cidr, parseIpv4('10.111.255.255')!)).toBe(true);
    expect(contains(cidr, parseIpv4('10.112.0.0')!)).toBe(false);
    expect(contains(cidr, parseIpv4('10.95.255.255')!)).toBe(false);
  });

  test.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.244.0.0/16', true],
    ['10.244.0.0/16', '10.0.0.0/8', true],
    ['10.244.0.0/16', '10.96.0.0/12', false],
    ['192.168.0.0/24', '192.168.1.0/24', false],
    ['192.168.0.0/23', '192.168.1.0/24', true],
  ])('%s and %s overlap: %p', (a, b, expected) => {
    expect(overlaps(parseCidr(a)!, parseCidr(b)!)).toBe(expected);
  });

  test.each<[string, boolean]>([
    ['0.1.2.3', true], ['127.0.0.1', true], ['169.254.169.254', true], ['224.0.0.1', true], ['255.255.255.255', true],
    ['10.0.0.1', false], ['192.168.56.10', false], ['223.255.255.255', false],
  ])('%s is special-purpose (RFC 6890): %p', (ip, special) => {
    expect(SPECIAL_PURPOSE.some((c) => contains(c, parseIpv4(ip)!))).toBe(special);
  });
});
