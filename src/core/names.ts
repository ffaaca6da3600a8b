import { createHash } from 'crypto';
import { Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from './errors';
import {
  dns1035Label, dnsLabel, dnsSubdomain, DNS_LABEL_MAX as LABEL_MAX, DNS_SUBDOMAIN_MAX as SUBDOMAIN_MAX, isDnsLabel,
} from './validate';

/**
 * Options for {@link DnsNames.generate}.
 */
export interface GeneratedNameOptions {
  /**
   * Maximum length of the generated name.
   * @default 63
   */
  readonly maxLength?: number;

  /**
   * Extra components appended to the construct path before hashing.
   * @default - none
   */
  readonly extra?: string[];
}

/**
 * Validation and generation of Kubernetes object names.
 *
 * Kubernetes uses three grammars: RFC 1123 labels (most names), RFC 1123
 * subdomains (ConfigMaps, Secrets, CRDs...) and RFC 1035 labels (Services, and
 * anything that becomes a DNS name starting with a letter, such as Spark
 * application names).
 */
export class DnsNames {
  /**
   * Throws unless `value` is a DNS-1123 label: at most 63 characters of
   * lowercase letters, digits and '-', starting and ending with a letter or digit.
   *
   * @param scope construct the value belongs to (named in the error)
   * @param property property name (named in the error)
   * @param value the name to check
   * @param maxLength a tighter limit, e.g. to leave room for suffixes added later
   */
  public static validateLabel(scope: IConstruct, property: string, value: string, maxLength: number = LABEL_MAX): string {
    return dnsLabel(scope, property, value, maxLength);
  }

  /**
   * Throws unless `value` is a DNS-1035 label: like a DNS-1123 label but
   * starting with a letter.
   */
  public static validateDns1035Label(scope: IConstruct, property: string, value: string, maxLength: number = LABEL_MAX): string {
    return dns1035Label(scope, property, value, maxLength);
  }

  /**
   * Throws unless `value` is a DNS-1123 subdomain: at most 253 characters of
   * dot-separated DNS-1123 labels.
   */
  public static validateSubdomain(scope: IConstruct, property: string, value: string, maxLength: number = SUBDOMAIN_MAX): string {
    return dnsSubdomain(scope, property, value, maxLength);
  }

  /** True when `value` is a DNS-1123 label. */
  public static isLabel(value: string): boolean {
    return isDnsLabel(value);
  }

  /**
   * A name derived from the construct path: readable, unique within the app,
   * and stable across synths as long as the path does not change.
   */
  public static generate(scope: IConstruct, options: GeneratedNameOptions = {}): string {
    const maxLength = options.maxLength ?? LABEL_MAX;
    check(Number.isInteger(maxLength) && maxLength >= 10 && maxLength <= LABEL_MAX, scope, 'maxLength', maxLength,
      `an integer from 10 to ${LABEL_MAX}`);
    return Names.toDnsLabel(scope, { maxLen: maxLength, extra: options.extra });
  }

  /**
   * Joins name parts with '-' and, when the result is longer than `maxLength`,
   * shortens it deterministically: the head is kept and an 8-character hash of
   * the full name is appended, so distinct long names stay distinct.
   */
  public static join(parts: string[], maxLength: number = LABEL_MAX): string {
    const full = parts.filter((p) => p.length > 0).join('-');
    if (full.length <= maxLength) {
      return full;
    }
    const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
    const head = full.slice(0, Math.max(0, maxLength - hash.length - 1)).replace(/-+$/, '');
    return `${head}-${hash}`;
  }

  private constructor() {}
}
