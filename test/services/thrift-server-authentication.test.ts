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

  test('refuses bad LDAP settings', () => {
    expect(() => ThriftServerAuthentication.ldap({ url: 'https://ldap' }))
      .toThrow('ThriftServerAuthentication.ldap: invalid url "https://ldap": one or more ldap:// or ldaps:// URLs');
    expect(() => ThriftServerAuthentication.ldap({ url: 'ldap://ldap:99999' })).toThrow('invalid url "ldap://ldap:99999"');
    expect(() => ThriftServerAuthentication.ldap({ url: '' })).toThrow('invalid url ""');
    expect(() => ThriftServerAuthentication.ldap({ url: 'ldap://ldap', baseDn: 'people' }))
      .toThrow('ThriftServerAuthentication.ldap: invalid baseDn "people": a distinguished name');
    expect(() => ThriftServerAuthentication.ldap({ url: 'ldap://ldap', userDnPattern: 'uid=alice,dc=example' }))
      .toThrow('ThriftServerAuthentication.ldap: invalid userDnPattern "uid=alice,dc=example": one or more DN patterns containing %s');
    expect(() => ThriftServerAuthentication.ldap({ url: 'ldap://ldap', domain: 'a b' })).toThrow('invalid domain "a b"');
  });
});
