import { Duration } from 'cdk8s';
import { ISecret } from 'cdk8s-plus-28';
import { brand, isBranded } from '../core/brand';
import { CertManagerIssuerRef, checkCertificateTimes, checkIssuerRef } from '../core/cert-manager';
import { check } from '../core/errors';
import { isHostName, isIpv4 } from '../core/host-port';
import { secretKey, secretRef } from '../core/validate';


/** Options of {@link RegistryTls.fromSecret}. */
export interface RegistryTlsSecretOptions {
  /**
   * Key of the PEM certificate (chain) in the Secret.
   * @default 'tls.crt'
   */
  readonly certificateKey?: string;

  /**
   * Key of the PEM private key in the Secret.
   * @default 'tls.key'
   */
  readonly privateKeyKey?: string;
}

/** Options of {@link RegistryTls.certManager}. */
export interface RegistryCertManagerOptions {
  /** The cert-manager issuer that signs the certificate (`Issuer` in the registry's namespace, or a `ClusterIssuer`). */
  readonly issuer: CertManagerIssuerRef;

  /**
   * Lifetime of the certificate (whole seconds, at least one hour).
   * @default - cert-manager's default (90 days)
   */
  readonly duration?: Duration;

  /**
   * How long before expiry cert-manager renews it (whole seconds, at least
   * five minutes, shorter than the duration).
   * @default - cert-manager's default (a third of the lifetime)
   */
  readonly renewBefore?: Duration;

  /**
   * More DNS names for the certificate.
   * @default - only the Service names, the ingress host and the endpoint host
   */
  readonly dnsNames?: string[];

  /**
   * More IP addresses for the certificate.
   * @default - only the fixed ClusterIP and an IP endpoint, when set
   */
  readonly ipAddresses?: string[];
}

/** Where the registry's TLS certificate comes from. */
export class RegistryTls {
  /** A `kubernetes.io/tls`-style Secret the user owns. */
  public static fromSecret(secret: ISecret, options: RegistryTlsSecretOptions = {}): RegistryTls {
    const where = 'RegistryTls.fromSecret';
    secretRef(where, 'secret', secret);
    const certificateKey = secretKey(where, 'certificateKey', options.certificateKey ?? 'tls.crt');
    const privateKeyKey = secretKey(where, 'privateKeyKey', options.privateKeyKey ?? 'tls.key');
    return new RegistryTls(false, secret, certificateKey, privateKeyKey, undefined);
  }

  /**
   * No TLS: the registry serves plain HTTP. Only for a registry the nodes
   * reach over a trusted network; they then need their own opt-in too
   * (`containerdMirror({ insecurePlainHttp: true })`).
   */
  public static plainHttp(): RegistryTls {
    return new RegistryTls(true, undefined, 'tls.crt', 'tls.key', undefined);
  }

  /** True when this is a {@link RegistryTls} (also from another copy of the library). */
  public static isRegistryTls(x: any): x is RegistryTls {
    return isBranded(x, 'RegistryTls');
  }

  /**
   * A cert-manager `Certificate` (cert-manager must be installed), emitted
   * next to the registry; cert-manager writes the Secret the registry mounts.
   */
  public static certManager(options: RegistryCertManagerOptions): RegistryTls {
    const where = 'RegistryTls.certManager';
    const issuer = checkIssuerRef(where, options?.issuer);
    const { duration, renewBefore } = checkCertificateTimes(where, options.duration, options.renewBefore);
    for (const name of options.dnsNames ?? []) {
      check(isHostName(name) && name === name.toLowerCase(), where, 'dnsNames', name, 'lowercase DNS names');
    }
    for (const ip of options.ipAddresses ?? []) {
      check(isIpv4(ip), where, 'ipAddresses', ip, 'IPv4 addresses');
    }
    return new RegistryTls(false, undefined, 'tls.crt', 'tls.key', {
      issuer,
      duration,
      renewBefore,
      dnsNames: [...(options.dnsNames ?? [])],
      ipAddresses: [...(options.ipAddresses ?? [])],
    });
  }

  /** @internal */
  public readonly _secret?: ISecret;
  /** @internal */
  public readonly _certificateKey: string;
  /** @internal */
  public readonly _privateKeyKey: string;
  /** @internal */
  public readonly _certManager?: {
    issuer: CertManagerIssuerRef; duration?: number; renewBefore?: number; dnsNames: string[]; ipAddresses: string[];
  };

  /** True when the registry serves plain HTTP ({@link RegistryTls.plainHttp}). */
  public readonly isPlainHttp: boolean;

  private constructor(plain: boolean, secret: ISecret | undefined, certificateKey: string, privateKeyKey: string,
    certManager: RegistryTls['_certManager']) {
    brand(this, 'RegistryTls');
    this.isPlainHttp = plain;
    this._secret = secret;
    this._certificateKey = certificateKey;
    this._privateKeyKey = privateKeyKey;
    this._certManager = certManager;
  }

  /** True when cert-manager issues the certificate. */
  public get isCertManager(): boolean {
    return this._certManager !== undefined;
  }
}
