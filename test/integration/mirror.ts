/**
 * A local apt repository laid out like pkgs.k8s.io
 * (`<base>/core:/stable:/v1.34/deb/` with `Release.key`, `InRelease`,
 * `Release`, `Release.gpg`, `Packages`, `Packages.gz` and `amd64/*.deb`),
 * signed by an OpenPGP key made for the test run, with small fake kubeadm,
 * kubelet, kubectl, cri-tools and kubernetes-cni packages built by dpkg-deb.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const FAKES = path.join(__dirname, 'fakes');

/** One package of the repository. */
interface FakePackage {
  readonly name: string;
  readonly upstream: string;
  readonly depends?: string;
  /** Path in the package → fake file name in fakes/ or literal content. */
  readonly files: Record<string, { fake?: string; text?: string; mode?: number }>;
  readonly description: string;
}

const KUBELET_UNIT = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

const KUBELET_DROPIN = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

/**
 * The packages. kubelet's dependencies are those its upstream package spec
 * lists (the Requires of the kubelet.spec template of kubernetes/release's krel:
 * iptables, socat, util-linux, ethtool, iproute, ebtables, conntrack), in
 * their Debian names; the test root file system has them preinstalled, since
 * the Debian archive is not reachable from the test's network namespace.
 */
function packages(kubernetes: string): FakePackage[] {
  return [
    {
      name: 'kubeadm',
      upstream: kubernetes,
      depends: 'cri-tools',
      description: 'Command-line utility for administering a Kubernetes cluster',
      files: { '/usr/bin/kubeadm': { fake: 'kubeadm' } },
    },
    {
      name: 'kubelet',
      upstream: kubernetes,
      depends: 'iptables (>= 1.4.21), iproute2, socat, util-linux, mount, ethtool, ebtables, conntrack',
      description: 'Node agent for Kubernetes clusters',
      files: {
        '/usr/bin/kubelet': { fake: 'kubelet' },
        '/usr/lib/systemd/system/kubelet.service': { text: KUBELET_UNIT, mode: 0o644 },
        '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf': { text: KUBELET_DROPIN, mode: 0o644 },
      },
    },
    {
      name: 'kubectl',
      upstream: kubernetes,
      description: 'Command-line utility for interacting with a Kubernetes cluster',
      files: { '/usr/bin/kubectl': { fake: 'kubectl' } },
    },
    {
      name: 'cri-tools',
      upstream: criToolsVersion(kubernetes),
      description: 'Command-line utility for interacting with a container runtime',
      files: { '/usr/bin/crictl': { fake: 'crictl' } },
    },
    {
      name: 'kubernetes-cni',
      upstream: '1.7.1',
      description: 'Binaries required to provision kubernetes container networking',
      files: { '/opt/cni/bin/loopback': { text: '#!/bin/sh\necho "fake CNI plugin" >&2\nexit 1\n', mode: 0o755 } },
    },
  ];
}

/** cri-tools is released with each Kubernetes minor: 1.MINOR.0. */
function criToolsVersion(kubernetes: string): string {
  return `${kubernetes.split('.').slice(0, 2).join('.')}.0`;
}

function digest(algorithm: string, data: Buffer): string {
  return createHash(algorithm).update(data).digest('hex');
}

export interface MirrorOptions {
  /** Where the signing key and package builds live (a test temp directory). */
  readonly dir: string;
  /** The web root; several mirrors (one per minor) can share one. */
  readonly root: string;
  /** Kubernetes version of kubeadm/kubelet/kubectl, e.g. '1.34.1'. */
  readonly kubernetesVersion: string;
}

export class PackageMirror {
  /** Directory served as the web root. */
  public readonly root: string;
  /** URL path of the Debian repository, e.g. '/core:/stable:/v1.34/deb/'. */
  public readonly debPath: string;
  /** The signing key's fingerprint (40 hex digits). */
  public readonly fingerprint: string;
  private readonly gnupg: string;
  private readonly repo: string;
  private readonly debs: string[] = [];

  constructor(private readonly options: MirrorOptions) {
    const minor = options.kubernetesVersion.split('.').slice(0, 2).join('.');
    this.root = options.root;
    this.debPath = `/core:/stable:/v${minor}/deb/`;
    this.repo = path.join(this.root, this.debPath);
    fs.mkdirSync(path.join(this.repo, 'amd64'), { recursive: true });
    this.gnupg = path.join(options.dir, 'gnupg');
    fs.mkdirSync(this.gnupg, { mode: 0o700, recursive: true });
    this.gpg(['--quick-generate-key', 'cdk8s-spark integration test mirror <it@example.invalid>', 'ed25519', 'sign', 'never']);
    const colons = this.gpg(['--with-colons', '--list-keys']);
    this.fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)![1];
    fs.writeFileSync(path.join(this.repo, 'Release.key'), this.gpg(['--armor', '--export', this.fingerprint]));
  }

  /**
   * Builds every package with Debian revision REVISION (e.g. '1.1', then
   * '2.1' for a rebuild of the same upstream version, as pkgs.k8s.io
   * publishes) and republishes the signed index with all builds so far.
   */
  public publish(revision: string): void {
    const build = path.join(this.options.dir, `build-${revision}`);
    fs.rmSync(build, { recursive: true, force: true });
    for (const pkg of packages(this.options.kubernetesVersion)) {
      const version = `${pkg.upstream}-${revision}`;
      const tree = path.join(build, pkg.name);
      fs.mkdirSync(path.join(tree, 'DEBIAN'), { recursive: true });
      for (const [file, source] of Object.entries(pkg.files)) {
        const target = path.join(tree, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        let content = source.fake ? fs.readFileSync(path.join(FAKES, source.fake), 'utf8') : source.text!;
        content = content.replace(/@KUBERNETES_VERSION@/g, this.options.kubernetesVersion)
          .replace(/@KUBERNETES_MINOR@/g, this.options.kubernetesVersion.split('.')[1])
          .replace(/@CRI_TOOLS_VERSION@/g, criToolsVersion(this.options.kubernetesVersion));
        // A rebuild differs in its files too, as a real one would.
        content += `# build ${version}\n`;
        fs.writeFileSync(target, content, { mode: source.mode ?? 0o755 });
        fs.chmodSync(target, source.mode ?? 0o755);
      }
      fs.writeFileSync(path.join(tree, 'DEBIAN', 'control'), [
        `Package: ${pkg.name}`,
        `Version: ${version}`,
        'Architecture: amd64',
        'Maintainer: cdk8s-spark integration test <it@example.invalid>',
        ...(pkg.depends ? [`Depends: ${pkg.depends}`] : []),
        'Section: admin',
        'Priority: optional',
        `Description: ${pkg.description} (fake for tests)`,
        '',
      ].join('\n'));
      const deb = path.join(this.repo, 'amd64', `${pkg.name}_${version}_amd64.deb`);
      execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', tree, deb], { stdio: 'pipe' });
      this.debs.push(deb);
    }
    this.writeIndex();
  }

  private writeIndex(): void {
    const stanzas = this.debs.map((deb) => {
      const data = fs.readFileSync(deb);
      const control = execFileSync('dpkg-deb', ['--field', deb], { encoding: 'utf8' }).trimEnd();
      return [
        control,
        `Filename: ${path.relative(this.repo, deb)}`,
        `Size: ${data.length}`,
        `MD5sum: ${digest('md5', data)}`,
        `SHA1: ${digest('sha1', data)}`,
        `SHA256: ${digest('sha256', data)}`,
        '',
      ].join('\n');
    });
    const packagesFile = Buffer.from(stanzas.join('\n'));
    const gz = zlib.gzipSync(packagesFile);
    fs.writeFileSync(path.join(this.repo, 'Packages'), packagesFile);
    fs.writeFileSync(path.join(this.repo, 'Packages.gz'), gz);
    const files: Array<[string, Buffer]> = [['Packages', packagesFile], ['Packages.gz', gz]];
    const sums = (algorithm: string) => files.map(([n, d]) => ` ${digest(algorithm, d)} ${d.length} ${n}`);
    const release = [
      'Origin: cdk8s-spark integration test',
      'Label: fake pkgs.k8s.io',
      'Architectures: amd64',
      `Date: ${new Date().toUTCString().replace('GMT', 'UTC')}`,
      'MD5Sum:', ...sums('md5'),
      'SHA1:', ...sums('sha1'),
      'SHA256:', ...sums('sha256'),
      '',
    ].join('\n');
    const releasePath = path.join(this.repo, 'Release');
    fs.writeFileSync(releasePath, release);
    for (const f of ['InRelease', 'Release.gpg']) {
      fs.rmSync(path.join(this.repo, f), { force: true });
    }
    this.gpg(['--clearsign', '--output', path.join(this.repo, 'InRelease'), releasePath]);
    this.gpg(['--armor', '--detach-sign', '--output', path.join(this.repo, 'Release.gpg'), releasePath]);
  }

  /**
   * Stops the gpg-agent the key generation started and removes its socket
   * directory, which gpg puts below /run/user/UID where that exists.
   */
  public dispose(): void {
    for (const args of [['--kill', 'gpg-agent'], ['--remove-socketdir']]) {
      try {
        execFileSync('gpgconf', args, { env: { ...process.env, GNUPGHOME: this.gnupg }, stdio: 'pipe' });
      } catch {
        // no agent running, or no socket directory outside GNUPGHOME
      }
    }
  }

  private gpg(args: string[]): string {
    return execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args],
      { env: { ...process.env, GNUPGHOME: this.gnupg }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
}
