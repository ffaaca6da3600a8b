import { isHostName, isIpv4, parseHostPort, validateHostPort } from '../../src/core/host-port';

describe('isIpv4 / isHostName', () => {
  test.each<[string, boolean, boolean]>([
    // value, IPv4, host name
    ['10.0.0.1', true, false],
    ['255.255.255.255', true, false],
    ['256.1.1.1', false, false],
    ['01.2.3.4', false, false],
    ['1.2.3', false, false],
    ['registry.example.com', false, true],
    ['Registry.Example.COM', false, true],
    ['localhost', false, true],
    ['a-b.c', false, true],
    ['1a.example', false, true],
    [`${'a'.repeat(63)}.com`, false, true],
    [`${'a'.repeat(64)}.com`, false, false],
    [[...Array(64)].map(() => 'abc').join('.'), false, false],
    ['-a.com', false, false],
    ['a-.com', false, false],
    ['a..com', false, false],
    ['a_b.com', false, false],
    ['', false, false],
  ])('%j: IPv4 %p, host name %p', (value, ipv4, host) => {
    expect(isIpv4(value)).toBe(ipv4);
    expect(isHostName(value)).toBe(host);
  });
});

describe('parseHostPort', () => {
  test.each<[string, { host: string; port?: number; isIpv4: boolean }]>([
    ['registry.example.com', { host: 'registry.example.com', port: undefined, isIpv4: false }],
    ['registry.example.com:5000', { host: 'registry.example.com', port: 5000, isIpv4: false }],
    ['10.96.0.50:5000', { host: '10.96.0.50', port: 5000, isIpv4: true }],
    ['localhost:1', { host: 'localhost', port: 1, isIpv4: false }],
    ['h:65535', { host: 'h', port: 65535, isIpv4: false }],
  ])('%j', (value, expected) => {
    expect(parseHostPort(value)).toEqual(expected);
  });

  test.each(['', 'h:0', 'h:65536', 'h:123456', 'h:', ':80', 'https://h', 'h/path', 'h:80:90', 'a b', '[::1]:80', '999.1.1.1'])('refuses %j', (value) => {
    expect(parseHostPort(value)).toBeUndefined();
  });

  test('refuses what is not a string', () => {
    expect(parseHostPort(5000 as any)).toBeUndefined();
  });
});

describe('validateHostPort', () => {
  test('returns the parts', () => {
    expect(validateHostPort('T', 'endpoint', '10.0.0.1:6443', true)).toEqual({ host: '10.0.0.1', port: 6443, isIpv4: true });
  });
  test.each<[string, boolean, string]>([
    ['10.0.0.1', true, 'T: invalid endpoint "10.0.0.1": HOST:PORT, where HOST is a DNS name or an IPv4 address'],
    ['https://r.example', false, 'T: invalid endpoint "https://r.example": HOST[:PORT], where HOST'],
    ['r.example:0', false, 'PORT is from 1 to 65535'],
  ])('refuses %j (port required: %p)', (value, requirePort, message) => {
    expect(() => validateHostPort('T', 'endpoint', value, requirePort)).toThrow(message);
  });
});
