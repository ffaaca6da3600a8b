import { Duration } from 'cdk8s';
import { check, Where } from './errors';
import { enumValue, isDnsSubdomain, wholeSeconds } from './validate';

/** Kind of a cert-manager issuer. */
export enum CertManagerIssuerKind {
  /** A namespaced `Issuer` (in the namespace of the certificate). */
  ISSUER = 'Issuer',
  /** A `ClusterIssuer`. */
  CLUSTER_ISSUER = 'ClusterIssuer',
}

/** A reference to an existing cert-manager issuer. */
export interface CertManagerIssuerRef {
  /** Name of the issuer. */
  readonly name: string;

  /**
   * Kind of the issuer.
   * @default CertManagerIssuerKind.ISSUER
   */
  readonly kind?: CertManagerIssuerKind;

  /**
   * API group of the issuer (for external issuers).
   * @default 'cert-manager.io'
   */
  readonly group?: string;
}

// cert-manager's own defaults (cert-manager.io/v1 Certificate: duration 90 days; minimum duration one hour,
// minimum renewBefore five minutes: pkg/apis/certmanager/v1 validation).
const DEFAULT_DURATION_SECONDS = 90 * 24 * 3600;
const MIN_DURATION_SECONDS = 3600;
const MIN_RENEW_BEFORE_SECONDS = 300;

/** Throws unless `issuer` names an issuer (name a DNS-1123 subdomain, a known kind, an API group). */
export function checkIssuerRef(where: Where, issuer: CertManagerIssuerRef | undefined): CertManagerIssuerRef {
  check(issuer !== undefined && issuer !== null && typeof issuer.name === 'string' && isDnsSubdomain(issuer.name),
    where, 'issuer.name', issuer?.name, 'a DNS-1123 subdomain: the name of the Issuer or ClusterIssuer that signs the certificate');
  if (issuer!.kind !== undefined) {
    enumValue(where, 'issuer.kind', issuer!.kind, CertManagerIssuerKind);
  }
  if (issuer!.group !== undefined) {
    check(typeof issuer!.group === 'string' && isDnsSubdomain(issuer!.group), where, 'issuer.group', issuer!.group,
      'an API group, e.g. "cert-manager.io"');
  }
  return issuer!;
}

/** The `issuerRef` of a cert-manager Certificate, with cert-manager's defaults written out. */
export function renderIssuerRef(issuer: CertManagerIssuerRef): { [key: string]: string } {
  return {
    name: issuer.name,
    kind: issuer.kind ?? CertManagerIssuerKind.ISSUER,
    group: issuer.group ?? 'cert-manager.io',
  };
}

/** A certificate's checked lifetime and renewal time, in whole seconds. */
export interface CertificateTimes {
  readonly duration?: number;
  readonly renewBefore?: number;
}

/** Checks a certificate's `duration` and `renewBefore` against cert-manager's bounds. */
export function checkCertificateTimes(where: Where, duration: Duration | undefined, renewBefore: Duration | undefined): CertificateTimes {
  const durationSeconds = duration === undefined ? undefined : wholeSeconds(where, 'duration', duration);
  if (durationSeconds !== undefined) {
    check(durationSeconds >= MIN_DURATION_SECONDS, where, 'duration', `${durationSeconds}s`, 'at least one hour (cert-manager\'s minimum)');
  }
  const renewSeconds = renewBefore === undefined ? undefined : wholeSeconds(where, 'renewBefore', renewBefore);
  if (renewSeconds !== undefined) {
    check(renewSeconds >= MIN_RENEW_BEFORE_SECONDS, where, 'renewBefore', `${renewSeconds}s`, 'at least five minutes');
    check(renewSeconds < (durationSeconds ?? DEFAULT_DURATION_SECONDS), where, 'renewBefore', `${renewSeconds}s`,
      'shorter than the certificate duration');
  }
  return { duration: durationSeconds, renewBefore: renewSeconds };
}

/** The `duration`/`renewBefore` fields of a Certificate spec, when set. */
export function renderCertificateTimes(times: CertificateTimes): { [key: string]: string } {
  return {
    ...(times.duration !== undefined ? { duration: `${times.duration}s` } : {}),
    ...(times.renewBefore !== undefined ? { renewBefore: `${times.renewBefore}s` } : {}),
  };
}
