import { ThriftAuthenticationMode, ThriftServerAuthentication } from '../../src';

describe('ThriftServerAuthentication', () => {
  test('none and noSasl', () => {
    expect(ThriftServerAuthentication.none().mode).toBe(ThriftAuthenticationMode.NONE);
    expect(ThriftServerAuthentication.none().hiveConf()).toEqual({ 'hive.server2.authentication': 'NONE' });
    expect(ThriftServerAuthentication.noSasl().hiveConf()).toEqual({ 'hive.server2.authentication': 'NOSASL' });
  });

  test('ldap: URL(s), base DN, DN patterns, domain', () => {
    const auth = ThriftServerAuthentication.ldap({
      url: 'ldaps://ldap-0.example.com:636 ldaps://ldap-1.example.com',
      baseDn: 'ou=people,dc=example,dc=com',
      userDnPattern: 'uid=%s,ou=people,dc=example,dc=com:cn=%s,ou=staff,dc=example,dc=com',
      domain: 'example.com',
    });
    expect(auth.mode).toBe(ThriftAuthenticationMode.LDAP);
    expect(auth.hiveConf()).toEqual({
      'hive.server2.authentication': 'LDAP',
      'hive.server2.authentication.ldap.url': 'ldaps://ldap-0.example.com:636 ldaps://ldap-1.example.com',
      'hive.server2.authentication.ldap.baseDN': 'ou=people,dc=example,dc=com',
      'hive.server2.authentication.ldap.userDNPattern': 'uid=%s,ou=people,dc=example,dc=com:cn=%s,ou=staff,dc=example,dc=com',
      'hive.server2.authentication.ldap.Domain': 'example.com',
    });
    expect(ThriftServerAuthentication.ldap({ url: 'ldap://ldap' }).hiveConf()).toEqual({
      'hive.server2.authentication': 'LDAP',
      'hive.server2.authentication.ldap.url': 'ldap://ldap',
    });
  });

  test.each<[string, () => unknown, string]>([
    ['an https:// URL', () => ThriftServerAuthentication.ldap({ url: 'https://ldap' }),
      'ThriftServerAuthentication.ldap: invalid url "https://ldap": one or more ldap:// or ldaps:// URLs'],
    ['a port above 65535', () => ThriftServerAuthentication.ldap({ url: 'ldap://ldap:99999' }), 'invalid url "ldap://ldap:99999"'],
    ['an empty URL', () => ThriftServerAuthentication.ldap({ url: '' }), 'invalid url ""'],
    ['a base DN that is not a DN', () => ThriftServerAuthentication.ldap({ url: 'ldap://ldap', baseDn: 'people' }),
      'ThriftServerAuthentication.ldap: invalid baseDn "people": a distinguished name'],
    ['a DN pattern without %s', () => ThriftServerAuthentication.ldap({ url: 'ldap://ldap', userDnPattern: 'uid=alice,dc=example' }),
      'ThriftServerAuthentication.ldap: invalid userDnPattern "uid=alice,dc=example": one or more DN patterns containing %s'],
    ['a domain with a space', () => ThriftServerAuthentication.ldap({ url: 'ldap://ldap', domain: 'a b' }), 'invalid domain "a b"'],
  ])('refuses bad LDAP settings: %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
