/**
 * Throwaway Debian root file systems for running the node scripts as an
 * operator would, without changing the machine that runs the tests.
 *
 * - The base tree comes from debootstrap (Debian bookworm, minbase, plus the
 *   real apt, dpkg, containerd, chrony and what kubelet depends on) and is
 *   cached under /var/cache/cdk8s-spark-it, keyed by a digest of the package
 *   list and the build script. Each node gets its own copy.
 * - In the copy, commands that act on the running kernel or host services
 *   (systemctl, modprobe, sysctl, swapoff, mount, hostnamectl, firewall and
 *   SELinux tools) are replaced by recorders (fakes/), and chmod is observed.
 *   /sys is a plain directory the recorders fill (loaded modules, MAC
 *   addresses, product_uuid).
 * - Every command runs inside `unshare --mount --uts --ipc --net --pid
 *   --fork` and chroot (ns-run.sh): mounts are private, the host name is the
 *   namespace's, the network has only loopback (where the package mirror
 *   listens), /proc/sys is read-only.
 */
import { execFile, execFileSync, spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const HERE = __dirname;
const CACHE = process.env.CDK8S_SPARK_IT_CACHE ?? '/var/cache/cdk8s-spark-it';
const SUITE = 'bookworm';
const DEBIAN_MIRROR = process.env.CDK8S_SPARK_IT_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
/**
 * Packages besides minbase: what the scripts use (curl, gpg, iproute2,
 * procps), the Debian containerd and chrony they configure, and kubelet's
 * dependencies (see mirror.ts).
 */
export const BASE_PACKAGES = ['ca-certificates', 'curl', 'gpg', 'chrony', 'containerd', 'iproute2', 'procps',
  'iptables', 'socat', 'ethtool', 'ebtables', 'conntrack', 'passwd'];
/** Port of the package mirror inside every node's network namespace. */
export const MIRROR_PORT = 8080;
// Mounts made inside never propagate to the host (unshare's default, stated here on purpose).
const NS_FLAGS = ['--mount', '--propagation', 'private', '--uts', '--ipc', '--net', '--pid', '--fork', '--kill-child'];

/** Why the integration test cannot run here, or undefined when it can. */
export function unsupportedReason(): string | undefined {
  if (process.platform !== 'linux') {
    return `needs Linux, this is ${process.platform}`;
  }
  if (process.getuid?.() !== 0) {
    return 'needs root (namespaces, chroot and debootstrap)';
  }
  for (const tool of ['unshare', 'chroot', 'debootstrap', 'ip', 'dpkg-deb', 'gpg', 'flock', 'cp']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
    } catch {
      return `${tool} is not installed${tool === 'debootstrap' ? ' (apt-get install debootstrap)' : ''}`;
    }
  }
  try {
    execFileSync('unshare', [...NS_FLAGS, 'true'], { stdio: 'pipe' });
  } catch (e) {
    return `cannot create namespaces: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`;
  }
  return undefined;
}

/**
 * The cached debootstrap tree, built on first use. Returns a reason string
 * when it cannot be built because the Debian mirror is out of reach.
 */
export async function baseRootfs(): Promise<{ path: string; built: boolean } | { skip: string }> {
  const builder = path.join(HERE, 'build-rootfs.sh');
  const key = createHash('sha256')
    .update([SUITE, DEBIAN_MIRROR, ...BASE_PACKAGES, fs.readFileSync(builder, 'utf8')].join('\n'))
    .digest('hex').slice(0, 16);
  const target = path.join(CACHE, `rootfs-${key}`);
  if (fs.existsSync(path.join(target, '.complete'))) {
    return { path: target, built: false };
  }
  try {
    const response = await fetch(`${DEBIAN_MIRROR}/dists/${SUITE}/Release`, { method: 'HEAD', signal: AbortSignal.timeout(15_000) });
    if (!response.ok) {
      return { skip: `the Debian mirror ${DEBIAN_MIRROR} answers ${response.status} for ${SUITE}; cannot debootstrap` };
    }
  } catch (e) {
    return { skip: `cannot reach the Debian mirror ${DEBIAN_MIRROR} to debootstrap ${SUITE}: ${String(e)}` };
  }
  await run(builder, [CACHE, key, SUITE, DEBIAN_MIRROR, ...BASE_PACKAGES], 30 * 60_000);
  return { path: target, built: true };
}

function run(file: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** How the package mirror behaves during one run. */
export type MirrorMode = 'up' | 'down' | 'key-only';

export interface NodeRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Recorder and fake-binary invocations: program and argv, tab-separated. */
  readonly commands: string[];
  /** Requests the package mirror answered: `METHOD path status`. */
  readonly accessLog: string[];
  /** Process lists sampled every 0.1 s, and taken at each kubeadm call. */
  readonly processLists: string;
  /** Secret files the chmod observer saw readable by others before a chmod. */
  readonly exposures: string[];
  /** `PATH MODE OWNER` of each secret-holding configuration kubeadm join or init read, when it read it. */
  readonly joinConfigModes: string[];
}

export interface TestNodeOptions {
  /** Name of the node in the harness (a directory name). */
  readonly name: string;
  /** Initial /etc/hostname. */
  readonly hostname: string;
  /** IPv4 addresses the node has (added to its loopback). */
  readonly addresses: string[];
  /** The shared "cluster" directory of the fake kubeadm. */
  readonly clusterDir: string;
  /** Web root of the package mirror. */
  readonly mirrorRoot: string;
}

/** Files digested as [type, mode, owner, content hash or link target]. */
export type TreeDigest = Map<string, string>;

/** Recorder file in fakes/ → paths in the tree it replaces or adds. */
const RECORDERS: Record<string, string[]> = {
  systemctl: ['/usr/bin/systemctl'],
  modprobe: ['/usr/sbin/modprobe'],
  sysctl: ['/usr/sbin/sysctl'],
  hostnamectl: ['/usr/bin/hostnamectl'],
  ufw: ['/usr/sbin/ufw'],
  sudo: ['/usr/bin/sudo'],
  recorder: ['/usr/sbin/swapoff', '/usr/sbin/swapon', '/usr/bin/mount', '/usr/bin/umount', '/usr/sbin/setenforce',
    '/usr/sbin/getenforce', '/usr/sbin/iptables', '/usr/sbin/ip6tables', '/usr/sbin/iptables-nft', '/usr/sbin/ip6tables-nft',
    '/usr/sbin/iptables-legacy', '/usr/sbin/ip6tables-legacy', '/usr/sbin/ebtables', '/usr/sbin/nft', '/usr/sbin/reboot'],
};

export class TestNode {
  public readonly root: string;
  /** Logs and recorder state, bind-mounted at /run/it. */
  public readonly itDir: string;
  private readonly dir: string;

  constructor(parentDir: string, private readonly options: TestNodeOptions) {
    this.dir = path.join(parentDir, options.name);
    this.root = path.join(this.dir, 'root');
    this.itDir = path.join(this.dir, 'it');
  }

  /** Copies the base tree and installs the recorders and the node's identity. */
  public async create(base: string): Promise<void> {
    fs.mkdirSync(this.itDir, { recursive: true, mode: 0o700 });
    await run('cp', ['-a', '--reflink=auto', base, this.root], 10 * 60_000);
    fs.rmSync(path.join(this.root, '.complete'));
    const lib = path.join(this.root, 'usr/lib/cdk8s-it');
    fs.mkdirSync(lib, { recursive: true });
    fs.copyFileSync(path.join(HERE, 'fakes', 'record.sh'), path.join(lib, 'record.sh'));
    fs.renameSync(path.join(this.root, 'usr/bin/chmod'), path.join(lib, 'chmod.real'));
    this.install('chmod', '/usr/bin/chmod');
    for (const [fake, targets] of Object.entries(RECORDERS)) {
      for (const target of targets) {
        // Only commands Debian has: a recorder for a missing tool would make the scripts think it is there.
        if (fake !== 'recorder' || fs.existsSync(this.path(target)) || fs.lstatSync(this.path(target), { throwIfNoEntry: false })) {
          this.install(fake, target);
        }
      }
    }
    const write = (p: string, content: string, mode = 0o644) => {
      fs.mkdirSync(path.dirname(this.path(p)), { recursive: true });
      fs.writeFileSync(this.path(p), content, { mode });
    };
    write('/etc/hostname', `${this.options.hostname}\n`);
    write('/etc/hosts', '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n');
    write('/etc/fstab', '# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/vda1 / ext4 errors=remount-ro 0 1\n/swap.img none swap sw 0 0\n');
    write('/etc/ufw/ufw.conf', 'ENABLED=yes\nLOGLEVEL=low\n');
    const id = createHash('sha256').update(this.options.name).digest('hex');
    write('/sys/class/dmi/id/product_uuid', `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}\n`, 0o444);
    write('/sys/class/net/lo/address', '00:00:00:00:00:00\n', 0o444);
    write('/sys/class/net/eth0/address', `52:54:00:${id.slice(0, 2)}:${id.slice(2, 4)}:${id.slice(4, 6)}\n`, 0o444);
    fs.mkdirSync(this.path('/sys/module'), { recursive: true });
    fs.mkdirSync(this.path('/root/nodes'), { recursive: true, mode: 0o700 });
    // An administrator who runs the scripts with sudo (SUDO_USER).
    const setup = await this.run(['useradd', '--create-home', '--shell', '/bin/bash', 'ops'], { mirror: 'down' });
    if (setup.status !== 0) {
      throw new Error(`useradd failed: ${setup.stderr}`);
    }
  }

  /** Path on the host of PATH inside the node. */
  public path(p: string): string {
    return path.join(this.root, p);
  }

  /** Copies a script into /root/nodes, as an operator would. */
  public addScript(name: string, content: string): string {
    fs.writeFileSync(this.path(`/root/nodes/${name}`), content, { mode: 0o755 });
    return `/root/nodes/${name}`;
  }

  /**
   * Runs COMMAND in the node's namespaces, with ENV (passed through a 0600
   * file, never on a command line) and the mirror in MODE.
   */
  public async run(command: string[], opts: { env?: Record<string, string>; mirror?: MirrorMode; timeoutMs?: number } = {}): Promise<NodeRun> {
    const envFile = path.join(this.itDir, 'env');
    fs.writeFileSync(envFile, Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}\n`).join(''), { mode: 0o600 });
    for (const log of ['commands.log', 'access.log', 'ps-samples.log', 'ps-at-kubeadm.log', 'exposures.log', 'join-config-modes.log']) {
      fs.rmSync(path.join(this.itDir, log), { force: true });
    }
    const env = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      IT_ROOT: this.root,
      IT_DIR: this.itDir,
      IT_CLUSTER_DIR: this.options.clusterDir,
      IT_ADDRESSES: this.options.addresses.join(' '),
      IT_MIRROR: opts.mirror ?? 'up',
      IT_MIRROR_ROOT: this.options.mirrorRoot,
      IT_PORT: String(MIRROR_PORT),
      IT_NODE: process.execPath,
      IT_SERVER: path.join(HERE, 'mirror-server.js'),
    };
    const result = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('unshare', [...NS_FLAGS, '--', 'bash', path.join(HERE, 'ns-run.sh'), ...command],
        { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => stdout += d);
      child.stderr.on('data', (d) => stderr += d);
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 5 * 60_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr });
      });
    });
    fs.rmSync(envFile);
    const read = (name: string) => {
      const file = path.join(this.itDir, name);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    };
    const lines = (name: string) => read(name).split('\n').filter((l) => l !== '');
    return {
      ...result,
      commands: lines('commands.log'),
      accessLog: lines('access.log'),
      processLists: read('ps-samples.log') + read('ps-at-kubeadm.log'),
      exposures: lines('exposures.log'),
      joinConfigModes: lines('join-config-modes.log'),
    };
  }

  /** Digest of every file below DIR in the node (content hashed), skipping EXCLUDE prefixes. */
  public digest(dir: string, exclude: string[] = []): TreeDigest {
    const out: TreeDigest = new Map();
    const walk = (p: string) => {
      const rel = '/' + path.relative(this.root, p);
      if (exclude.some((e) => rel === e || rel.startsWith(e + '/'))) {
        return;
      }
      const st = fs.lstatSync(p);
      const meta = `${(st.mode % 0o10000).toString(8)} ${st.uid}:${st.gid}`;
      if (st.isSymbolicLink()) {
        out.set(rel, `link ${meta} ${fs.readlinkSync(p)}`);
      } else if (st.isDirectory()) {
        out.set(rel, `dir ${meta}`);
        for (const e of fs.readdirSync(p).sort()) {
          walk(path.join(p, e));
        }
      } else if (st.isFile()) {
        out.set(rel, `file ${meta} ${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
      } else {
        out.set(rel, `special ${meta} ${st.rdev}`);
      }
    };
    walk(this.path(dir));
    return out;
  }

  /** Regular files anywhere in the node that hold one of SECRETS and are readable by others. */
  public secretFilesReadableByOthers(secrets: string[]): string[] {
    const found: string[] = [];
    if (secrets.length === 0) {
      return found;
    }
    const walk = (p: string) => {
      const rel = '/' + path.relative(this.root, p);
      if (['/proc', '/sys', '/dev', '/run/it', '/run/it-cluster', '/usr', '/var/lib/dpkg', '/var/cache'].includes(rel)) {
        return;
      }
      const st = fs.lstatSync(p);
      if (st.isDirectory()) {
        for (const e of fs.readdirSync(p)) {
          walk(path.join(p, e));
        }
      } else if (st.isFile() && readableByOthers(st.mode) && st.size < 1024 * 1024) {
        const content = fs.readFileSync(p, 'utf8');
        if (secrets.some((s) => content.includes(s))) {
          found.push(`${rel} (mode ${(st.mode % 0o1000).toString(8)})`);
        }
      }
    };
    walk(this.root);
    return found;
  }

  /** Removes the node's tree and logs. */
  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private install(fake: string, target: string): void {
    const dest = this.path(target);
    fs.rmSync(dest, { force: true });
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(HERE, 'fakes', fake), dest);
    fs.chmodSync(dest, 0o755);
  }
}

/** Paths whose digests differ between A and B. */
export function changedPaths(a: TreeDigest, b: TreeDigest): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

/** Whether a file mode has the read bit for others (o+r). */
function readableByOthers(mode: number): boolean {
  return Math.floor(mode / 4) % 2 === 1;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

/** A temporary directory for one test file. */
export function workDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-it-'));
}
