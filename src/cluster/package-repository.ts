import { brand, isBranded } from '../core/brand';
import { pkgsK8sIoBase } from '../core/compatibility-kubernetes';
import { validateFingerprint, validateRepositoryUrl } from './private/repository-url';
/**
 * Fingerprint of the key that signs the pkgs.k8s.io repositories
 * ("isv:kubernetes OBS Project"); the same key signs the deb and rpm
 * repositories of every minor version.
 */
const PKGS_K8S_IO_KEY_FINGERPRINT = 'DE15B14486CD377B9E876E1A234654DA9A296436';

/** A Kubernetes package repository as the scripts use it. */
interface ResolvedPackageRepository {
  readonly debUrl: string;
  readonly debKeyUrl: string;
  readonly rpmUrl: string;
  readonly rpmKeyUrl: string;
  readonly keyFingerprint: string;
}


/**
 * Options for {@link PackageRepository.mirror}.
 */
export interface PackageMirrorOptions {
  /**
   * URL of the Debian (flat) repository for the Kubernetes minor version being
   * installed, e.g. `https://mirror.example.com/pkgs.k8s.io/core:/stable:/v1.33/deb/`.
   */
  readonly debUrl: string;

  /**
   * URL of the RPM repository for the Kubernetes minor version being
   * installed, e.g. `https://mirror.example.com/pkgs.k8s.io/core:/stable:/v1.33/rpm/`.
   */
  readonly rpmUrl: string;

  /**
   * URL of the key that signs the Debian repository.
   * @default - `Release.key` in `debUrl`, where pkgs.k8s.io keeps it
   */
  readonly debKeyUrl?: string;

  /**
   * URL of the key that signs the RPM packages.
   * @default - `repodata/repomd.xml.key` in `rpmUrl`, where pkgs.k8s.io keeps it
   */
  readonly rpmKeyUrl?: string;

  /**
   * OpenPGP fingerprint (40 hex digits, spaces allowed) the downloaded key
   * must have; the scripts refuse any other key.
   * @default - the fingerprint of the pkgs.k8s.io signing key, right for mirrors that proxy pkgs.k8s.io
   */
  readonly keyFingerprint?: string;

  /**
   * Allow `http://` URLs. Packages are still verified with the signing key,
   * but the key itself is then fetched without transport security, so only
   * its fingerprint protects it.
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
}

/**
 * Where the scripts install kubelet, kubeadm and kubectl from.
 */
export class PackageRepository {
  /** True when `x` is a PackageRepository (of any copy of this library). */
  public static isPackageRepository(x: any): x is PackageRepository {
    return isBranded(x, 'PackageRepository');
  }

  /**
   * The community repositories at pkgs.k8s.io, one per Kubernetes minor
   * version (`https://pkgs.k8s.io/core:/stable:/v1.NN/deb/` and `/rpm/`).
   */
  public static kubernetesIo(): PackageRepository {
    return new PackageRepository((minor) => {
      const base = pkgsK8sIoBase(minor);
      return {
        debUrl: `${base}/deb/`,
        debKeyUrl: `${base}/deb/Release.key`,
        rpmUrl: `${base}/rpm/`,
        rpmKeyUrl: `${base}/rpm/repodata/repomd.xml.key`,
        keyFingerprint: PKGS_K8S_IO_KEY_FINGERPRINT,
      };
    });
  }

  /**
   * A mirror of pkgs.k8s.io, or any repository with the same packages.
   */
  public static mirror(options: PackageMirrorOptions): PackageRepository {
    const where = 'PackageRepository.mirror';
    const insecure = options.allowInsecureHttp ?? false;
    const debUrl = validateRepositoryUrl(where, 'debUrl', options.debUrl, insecure, true);
    const rpmUrl = validateRepositoryUrl(where, 'rpmUrl', options.rpmUrl, insecure, true);
    const debKeyUrl = options.debKeyUrl === undefined
      ? `${debUrl}Release.key` : validateRepositoryUrl(where, 'debKeyUrl', options.debKeyUrl, insecure, false);
    const rpmKeyUrl = options.rpmKeyUrl === undefined
      ? `${rpmUrl}repodata/repomd.xml.key` : validateRepositoryUrl(where, 'rpmKeyUrl', options.rpmKeyUrl, insecure, false);
    const keyFingerprint = options.keyFingerprint === undefined
      ? PKGS_K8S_IO_KEY_FINGERPRINT : validateFingerprint(where, 'keyFingerprint', options.keyFingerprint);
    const given: [string, string][] = [['debUrl', debUrl], ['rpmUrl', rpmUrl]];
    if (options.debKeyUrl !== undefined) given.push(['debKeyUrl', debKeyUrl]);
    if (options.rpmKeyUrl !== undefined) given.push(['rpmKeyUrl', rpmKeyUrl]);
    return new PackageRepository(() => ({ debUrl, debKeyUrl, rpmUrl, rpmKeyUrl, keyFingerprint }), given);
  }

  private constructor(
    private readonly resolve: (minor: string) => ResolvedPackageRepository,
    private readonly givenUrls: [string, string][] = []) {
    brand(this, 'PackageRepository');
  }

  /**
   * The URLs the user gave, by option name, to check the Kubernetes minor
   * version they name against the one installed.
   * @internal
   */
  public _urlsNamingMinors(): [string, string][] {
    return [...this.givenUrls];
  }

  /**
   * The repository for one Kubernetes minor version, e.g. `1.33`.
   * @internal
   */
  public _forMinor(minor: string): ResolvedPackageRepository {
    return this.resolve(minor);
  }
}
