import { Duration } from 'cdk8s';
import { brand, isBranded } from '../core/brand';
import { CertManagerIssuerRef, checkCertificateTimes, checkIssuerRef, renderCertificateTimes } from '../core/cert-manager';


/** Where the webhook's serving certificate comes from. */
export enum WebhookCertificateSource {
  /** The webhook generates a CA and certificate itself. */
  SELF_GENERATED = 'self-generated',
  /** cert-manager issues the certificate and injects its CA. */
  CERT_MANAGER = 'cert-manager',
}

/** Options of {@link WebhookCertificate.certManager}. */
export interface CertManagerWebhookCertificateOptions {
  /**
   * The issuer that signs the webhook certificate.
   * @default - a self-signed `Issuer` created in the operator's namespace
   */
  readonly issuer?: CertManagerIssuerRef;

  /**
   * Lifetime of the certificate (whole seconds, at least one hour).
   * @default - cert-manager's default (90 days)
   */
  readonly duration?: Duration;

  /**
   * How long before expiry cert-manager renews the certificate (whole
   * seconds, shorter than `duration`).
   * @default - cert-manager's default (a third of the lifetime)
   */
  readonly renewBefore?: Duration;
}

/**
 * The TLS certificate the API server uses to reach the webhook.
 */
export class WebhookCertificate {
  /** True when `x` is a {@link WebhookCertificate} (also from another copy of the library, where `instanceof` fails). */
  public static isWebhookCertificate(x: any): x is WebhookCertificate {
    return isBranded(x, 'WebhookCertificate');
  }

  /**
   * The operator's own certificate (the default): on start the webhook
   * generates a CA and a serving certificate, keeps them in a Secret it
   * creates in the operator's namespace, and writes the CA into the caBundle
   * of its webhook configurations. Nothing else to install; the caBundle
   * fields change at run time (GitOps tools must ignore them).
   */
  public static selfGenerated(): WebhookCertificate {
    return new WebhookCertificate(WebhookCertificateSource.SELF_GENERATED, undefined, undefined, undefined);
  }

  /**
   * A certificate issued by cert-manager (which must be installed), whose
   * CA cert-manager's CA injector writes into the webhook configurations.
   */
  public static certManager(options: CertManagerWebhookCertificateOptions = {}): WebhookCertificate {
    const where = 'WebhookCertificate.certManager';
    const issuer = options.issuer === undefined ? undefined : checkIssuerRef(where, options.issuer);
    const { duration, renewBefore } = checkCertificateTimes(where, options.duration, options.renewBefore);
    return new WebhookCertificate(WebhookCertificateSource.CERT_MANAGER, issuer, duration, renewBefore);
  }

  /** Where the certificate comes from. */
  public readonly source: WebhookCertificateSource;
  /** The cert-manager issuer, when one was given. */
  public readonly issuer?: CertManagerIssuerRef;
  private readonly durationSeconds?: number;
  private readonly renewBeforeSeconds?: number;

  private constructor(source: WebhookCertificateSource, issuer: CertManagerIssuerRef | undefined,
    durationSeconds: number | undefined, renewBeforeSeconds: number | undefined) {
    brand(this, 'WebhookCertificate');
    this.source = source;
    this.issuer = issuer;
    this.durationSeconds = durationSeconds;
    this.renewBeforeSeconds = renewBeforeSeconds;
  }

  /** @internal cert-manager `duration`/`renewBefore` fields, when set. */
  public _certificateTimes(): { [key: string]: string } {
    return renderCertificateTimes({ duration: this.durationSeconds, renewBefore: this.renewBeforeSeconds });
  }
}
