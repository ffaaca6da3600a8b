import { check } from '../core/errors';
import { isPort } from '../core/validate';

/** How the Spark Thrift server authenticates JDBC/ODBC clients (`hive.server2.authentication`). */
export enum ThriftAuthenticationMode {
  /** SASL PLAIN without any check: every user name and password is accepted. */
  NONE = 'NONE',
  /** No SASL at all: clients must connect with `auth=noSasl` (binary transport). */
  NOSASL = 'NOSASL',
  /** The user name and password are checked by a simple bind against an LDAP server. */
  LDAP = 'LDAP',
}

/** Options of {@link ThriftServerAuthentication.ldap}. */
export interface LdapAuthenticationOptions {
  /**
   * The LDAP server(s): `ldap://` or `ldaps://` URLs, several separated by
   * blanks for failover (`hive.server2.authentication.ldap.url`).
   */
  readonly url: string;
  /**
   * The base DN users live under: a user `alice` binds as
   * `uid=alice,<baseDn>` (`hive.server2.authentication.ldap.baseDN`).
   * @default - none
   */
  readonly baseDn?: string;
  /**
   * DN patterns with `%s` for the user name, several separated by `:`,
   * tried in order; wins over `baseDn`
   * (`hive.server2.authentication.ldap.userDNPattern`).
   * @default - `uid=%s,<baseDn>`
   */
  readonly userDnPattern?: string;
  /**
   * A domain appended to user names without one, for Active Directory
   * (`alice` binds as `alice@<domain>`; `hive.server2.authentication.ldap.Domain`).
   * @default - none
   */
  readonly domain?: string;
}

const LDAP_URL = /^ldaps?:\/\/[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:\d{1,5})?\/?$/;
const DN = /^[A-Za-z][\w.-]*=[^,=]+(,\s*[A-Za-z][\w.-]*=[^,=]+)*$/;

/**
 * How the Spark Thrift server authenticates its clients.
 *
 * Spark's Thrift server checks LDAP users by binding as the user
 * (simple bind with the client's own name and password); it has no search
 * account, so there are no bind credentials to configure.
 */
export class ThriftServerAuthentication {
  /** Accept any user name and password (SASL PLAIN, unchecked). Use only behind a NetworkPolicy. */
  public static none(): ThriftServerAuthentication {
    return new ThriftServerAuthentication(ThriftAuthenticationMode.NONE, []);
  }

  /** No SASL handshake at all; clients connect with `;auth=noSasl`. */
  public static noSasl(): ThriftServerAuthentication {
    return new ThriftServerAuthentication(ThriftAuthenticationMode.NOSASL, []);
  }

  /** Check each client's user name and password against LDAP. */
  public static ldap(options: LdapAuthenticationOptions): ThriftServerAuthentication {
    const where = 'ThriftServerAuthentication.ldap';
    const urls = typeof options.url === 'string' ? options.url.trim().split(/\s+/) : [];
    const portsOk = urls.every((u) => {
      const port = /:(\d+)\/?$/.exec(u.replace(/^ldaps?:\/\//, ''))?.[1];
      return port === undefined || isPort(Number(port));
    });
    check(urls.length > 0 && urls.every((u) => LDAP_URL.test(u)) && portsOk, where, 'url', options.url,
      'one or more ldap:// or ldaps:// URLs of a host with an optional port 1-65535, separated by blanks, e.g. "ldaps://ldap.example.com:636"');
    const hive: Array<[string, string]> = [['hive.server2.authentication.ldap.url', urls.join(' ')]];
    if (options.baseDn !== undefined) {
      check(DN.test(options.baseDn), where, 'baseDn', options.baseDn, 'a distinguished name such as "ou=people,dc=example,dc=com"');
      hive.push(['hive.server2.authentication.ldap.baseDN', options.baseDn]);
    }
    if (options.userDnPattern !== undefined) {
      const patterns = options.userDnPattern.split(':');
      check(patterns.every((p) => p.includes('%s') && DN.test(p.replace(/%s/g, 'x'))), where, 'userDnPattern', options.userDnPattern,
        'one or more DN patterns containing %s, separated by ":", e.g. "uid=%s,ou=people,dc=example,dc=com"');
      hive.push(['hive.server2.authentication.ldap.userDNPattern', options.userDnPattern]);
    }
    if (options.domain !== undefined) {
      check(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/.test(options.domain), where, 'domain', options.domain,
        'a DNS domain such as "corp.example.com"');
      hive.push(['hive.server2.authentication.ldap.Domain', options.domain]);
    }
    return new ThriftServerAuthentication(ThriftAuthenticationMode.LDAP, hive);
  }

  /** The mode. */
  public readonly mode: ThriftAuthenticationMode;
  private readonly hive: Array<[string, string]>;

  private constructor(mode: ThriftAuthenticationMode, hive: Array<[string, string]>) {
    this.mode = mode;
    this.hive = [['hive.server2.authentication', mode], ...hive];
  }

  /** The Hive settings of this mode, as `{ key: value }` in order. */
  public hiveConf(): { [key: string]: string } {
    return Object.fromEntries(this.hive);
  }
}
