import { ISecret } from 'cdk8s-plus-28';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { parseHostPort, validateHostPort } from '../core/host-port';


/** Options of {@link RegistryUpstream.custom}. */
export interface CustomRegistryUpstreamOptions {
  /**
   * The registry host image names use for this upstream (containerd's
   * `certs.d` directory and `RegistryMirror.imageOverride`'s source).
   * @default - the URL's `host[:port]`
   */
  readonly host?: string;

  /**
   * Allow an `http://` upstream URL.
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
}

/**
 * The one registry a pull-through cache fetches from.
 */
export class RegistryUpstream {
  /** True when `x` is a {@link RegistryUpstream} (also from another copy of the library, where `instanceof` fails). */
  public static isRegistryUpstream(x: any): x is RegistryUpstream {
    return isBranded(x, 'RegistryUpstream');
  }

  /** Docker Hub: images named `docker.io/...`, API at `registry-1.docker.io`. */
  public static dockerHub(): RegistryUpstream {
    return new RegistryUpstream('docker.io', 'https://registry-1.docker.io');
  }

  /** The Kubernetes project's registry, `registry.k8s.io`. */
  public static registryK8s(): RegistryUpstream {
    return new RegistryUpstream('registry.k8s.io', 'https://registry.k8s.io');
  }

  /** GitHub's container registry, `ghcr.io`. */
  public static ghcr(): RegistryUpstream {
    return new RegistryUpstream('ghcr.io', 'https://ghcr.io');
  }

  /** Red Hat's Quay, `quay.io`. */
  public static quay(): RegistryUpstream {
    return new RegistryUpstream('quay.io', 'https://quay.io');
  }

  /**
   * Any registry that speaks the OCI distribution API.
   * @param url e.g. `https://registry.gitlab.com` (no path)
   */
  public static custom(url: string, options: CustomRegistryUpstreamOptions = {}): RegistryUpstream {
    const where = 'RegistryUpstream.custom';
    const match = typeof url === 'string' ? /^(https?):\/\/([^/?#\s]+)\/?$/.exec(url) : null;
    const hostPort = match ? parseHostPort(match[2]) : undefined;
    check(match !== null && hostPort !== undefined, where, 'url', url,
      'a registry URL "https://HOST[:PORT]" without path, e.g. "https://registry.gitlab.com"');
    check(match![1] === 'https' || options.allowInsecureHttp === true, where, 'url', url,
      'an https:// URL; plain http:// only with allowInsecureHttp: true');
    const host = options.host ?? match![2];
    validateHostPort(where, 'host', host);
    return new RegistryUpstream(host, url.replace(/\/$/, ''));
  }

  /** The registry host image names use, e.g. `docker.io`. */
  public readonly host: string;
  /** The URL the cache fetches from, e.g. `https://registry-1.docker.io`. */
  public readonly url: string;

  private constructor(host: string, url: string) {
    brand(this, 'RegistryUpstream');
    this.host = host;
    this.url = url;
  }

  /** A DNS label for default object names, e.g. `docker-io`. */
  public get shortName(): string {
    return this.host.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  }
}

/** Credentials for the upstream registry, from a Secret the user owns. */
export interface RegistryUpstreamCredentials {
  /** The Secret holding user name and password (or token). */
  readonly secret: ISecret;

  /**
   * Key of the user name in the Secret.
   * @default 'username'
   */
  readonly usernameKey?: string;

  /**
   * Key of the password or access token in the Secret.
   * @default 'password'
   */
  readonly passwordKey?: string;
}
