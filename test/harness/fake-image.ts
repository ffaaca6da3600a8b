/**
 * A stand-in for a container image's filesystem and for what happens in it at
 * build time and at run time, for the questions the runtime asks of an image:
 * is there a passwd entry for the uid the pod runs as, and is curl there?
 *
 * - `distributionImage` is the image of Spark's own Dockerfile
 *   (apache/spark, resource-managers/kubernetes/docker/src/main/dockerfiles/spark/Dockerfile):
 *   the base image's users only (it creates none), /etc/passwd owned by root:root with
 *   mode 0664 (`chgrp root /etc/passwd && chmod ug+rw /etc/passwd`).
 * - `applyDockerfile` runs the RUN instructions of a Dockerfile layered on it, with
 *   stand-ins for getent, groupadd, useradd, apt-get and rm that act on the image's
 *   files only (never on the machine running the tests) and fail the way the real
 *   ones do (useradd exits 4 for a used uid, 6 for a missing group, 9 for a used name).
 * - `entrypointPasswd` models the passwd step of Spark's entrypoint.sh (same
 *   folder): when `getent passwd $(id -u)` finds nothing, it appends an entry
 *   only if /etc/passwd is writable for the process, else it only says so.
 * - `hadoopLogin` models Hadoop's login: the JDK's UnixLoginModule looks the uid
 *   up, and a missing entry ends in `invalid null input: name`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface FakeImage {
  /** The image's root directory (etc/passwd, etc/group, usr/bin, home). */
  readonly root: string;
  /** Owner, group and mode of /etc/passwd. */
  readonly passwdStat: { uid: number; gid: number; mode: number };
}

/** The users and groups of an Ubuntu base image (the distribution's Dockerfile starts from eclipse-temurin, Ubuntu). */
const BASE_PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
];
const BASE_GROUP = ['root:x:0:', 'daemon:x:1:', 'bin:x:2:', 'nogroup:x:65534:'];

export function distributionImage(root: string): FakeImage {
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  fs.mkdirSync(path.join(root, 'usr', 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'home'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc', 'passwd'), `${BASE_PASSWD.join('\n')}\n`);
  fs.writeFileSync(path.join(root, 'etc', 'group'), `${BASE_GROUP.join('\n')}\n`);
  return { root, passwdStat: { uid: 0, gid: 0, mode: 0o664 } };
}

const STUBS: { [name: string]: string } = {
  'getent': `#!/bin/bash
# getent DATABASE KEY: the line whose name or id is KEY; exit 2 when none.
file="$IMAGE_ROOT/etc/$1"
while IFS= read -r line; do
  IFS=: read -r name _ id _ <<<"$line"
  if [[ $name == "$2" || $id == "$2" ]]; then
    printf '%s\\n' "$line"
    exit 0
  fi
done <"$file"
exit 2
`,
  'groupadd': `#!/bin/bash
gid='' name=''
while (($#)); do
  case $1 in
    --gid | -g) gid=$2; shift ;;
    --gid=*) gid=\${1#*=} ;;
    --system | -r) ;;
    *) name=$1 ;;
  esac
  shift
done
if getent group "$gid" >/dev/null; then echo "groupadd: GID '$gid' already exists" >&2; exit 4; fi
if getent group "$name" >/dev/null; then echo "groupadd: group '$name' already exists" >&2; exit 9; fi
printf '%s:x:%s:\\n' "$name" "$gid" >>"$IMAGE_ROOT/etc/group"
`,
  'useradd': `#!/bin/bash
uid='' gid='' home='' shell='' name='' create=false
while (($#)); do
  case $1 in
    --uid | -u) uid=$2; shift ;;
    --uid=*) uid=\${1#*=} ;;
    --gid | -g) gid=$2; shift ;;
    --gid=*) gid=\${1#*=} ;;
    --home-dir | -d) home=$2; shift ;;
    --shell | -s) shell=$2; shift ;;
    --create-home | -m) create=true ;;
    --system | -r) ;;
    *) name=$1 ;;
  esac
  shift
done
# The group by name or number; the entry holds its number.
if ! group=$(getent group "$gid"); then echo "useradd: group '$gid' does not exist" >&2; exit 6; fi
IFS=: read -r _ _ gid _ <<<"$group"
if getent passwd "$uid" >/dev/null; then echo "useradd: UID $uid is not unique" >&2; exit 4; fi
if getent passwd "$name" >/dev/null; then echo "useradd: user '$name' already exists" >&2; exit 9; fi
printf '%s:x:%s:%s::%s:%s\\n' "$name" "$uid" "$gid" "$home" "$shell" >>"$IMAGE_ROOT/etc/passwd"
if [[ $create == true ]]; then
  mkdir -p "$IMAGE_ROOT$home"
  printf '%s %s:%s\\n' "$home" "$uid" "$gid" >>"$IMAGE_ROOT/.owners"
fi
`,
  'apt-get': `#!/bin/bash
printf '%s\\n' "$*" >>"$IMAGE_ROOT/.apt-get.log"
if [[ $1 == install ]]; then
  for arg in "$@"; do
    if [[ $arg == curl ]]; then
      printf '#!/bin/sh\\n' >"$IMAGE_ROOT/usr/bin/curl"
      chmod +x "$IMAGE_ROOT/usr/bin/curl"
    fi
  done
fi
`,
  'rm': `#!/bin/bash
# Only ever removes below the image root.
args=()
for arg in "$@"; do
  if [[ $arg == -* ]]; then args+=("$arg"); else args+=("$IMAGE_ROOT$arg"); fi
done
exec "$REAL_RM" "\${args[@]}"
`,
};

/** The RUN commands of a Dockerfile (continuation lines joined), and its ARG defaults. */
export function parseDockerfile(text: string): { args: { [name: string]: string }; runs: string[] } {
  const joined = text.replace(/\\\n/g, ' ');
  const args: { [name: string]: string } = {};
  const runs: string[] = [];
  for (const line of joined.split('\n')) {
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?\s*$/.exec(line);
    if (arg && arg[2] !== undefined) {
      args[arg[1]] = arg[2];
    }
    const run = /^RUN\s+(.*)$/.exec(line);
    if (run) {
      runs.push(run[1]);
    }
  }
  return { args, runs };
}

/** Runs a Dockerfile's RUN instructions in the image, as root at build time. */
export function applyDockerfile(image: FakeImage, dockerfile: string, buildArgs: { [name: string]: string }, stubDir: string): void {
  fs.mkdirSync(stubDir, { recursive: true });
  for (const [name, body] of Object.entries(STUBS)) {
    fs.writeFileSync(path.join(stubDir, name), body, { mode: 0o755 });
  }
  const tools = ['bash', 'cat', 'chmod', 'mkdir'];
  for (const tool of tools) {
    const target = path.join(stubDir, tool);
    if (!fs.existsSync(target)) {
      fs.symlinkSync(spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), target);
    }
  }
  const realRm = spawnSync('bash', ['-c', 'command -v rm'], { encoding: 'utf8' }).stdout.trim();
  const { args, runs } = parseDockerfile(dockerfile);
  for (const run of runs) {
    const result = spawnSync(path.join(stubDir, 'bash'), ['-c', run], {
      encoding: 'utf8',
      env: {
        ...args,
        ...buildArgs,
        IMAGE_ROOT: image.root,
        REAL_RM: realRm,
        // The image's own programs come after the stand-ins.
        PATH: `${stubDir}:${path.join(image.root, 'usr', 'bin')}`,
      },
    });
    if (result.status !== 0) {
      throw new Error(`RUN ${run}\nfailed with ${result.status}: ${result.stderr}`);
    }
  }
}

function lookup(image: FakeImage, database: 'passwd' | 'group', id: number): string[] | undefined {
  const lines = fs.readFileSync(path.join(image.root, 'etc', database), 'utf8').split('\n').filter((l) => l !== '');
  return lines.map((l) => l.split(':')).find((fields) => Number(fields[2]) === id);
}

export function passwdEntry(image: FakeImage, uid: number): string[] | undefined {
  return lookup(image, 'passwd', uid);
}

export function groupEntry(image: FakeImage, gid: number): string[] | undefined {
  return lookup(image, 'group', gid);
}

/** How a container runs: from the pod's and the container's securityContext. */
export interface RunContext {
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups (fsGroup, supplementalGroups). */
  readonly groups: number[];
  readonly readOnlyRootFilesystem: boolean;
}

/** The passwd step of Spark's entrypoint.sh; returns what it printed, if anything. */
export function entrypointPasswd(image: FakeImage, ctx: RunContext): string | undefined {
  if (passwdEntry(image, ctx.uid)) {
    return undefined;
  }
  const s = image.passwdStat;
  // The mode's write bits for owner, group and others.
  const writeBit = (shift: number) => Math.floor(s.mode / 2 ** (shift + 1)) % 2 === 1;
  const [ownerW, groupW, otherW] = [writeBit(6), writeBit(3), writeBit(0)];
  const writable = !ctx.readOnlyRootFilesystem && (ctx.uid === 0
    || (s.uid === ctx.uid && ownerW)
    || ((s.gid === ctx.gid || ctx.groups.includes(s.gid)) && groupW)
    || otherW);
  if (!writable) {
    return 'Container ENTRYPOINT failed to add passwd entry for anonymous UID';
  }
  fs.appendFileSync(path.join(image.root, 'etc', 'passwd'), `${ctx.uid}:x:${ctx.uid}:${ctx.gid}:anonymous uid:/opt/spark:/bin/false\n`);
  return undefined;
}

/** Hadoop's login of the process: the user name of the uid, or the JDK's error. */
export function hadoopLogin(image: FakeImage, uid: number): string {
  const entry = passwdEntry(image, uid);
  if (!entry) {
    throw new Error('javax.security.auth.login.LoginException: java.lang.NullPointerException: invalid null input: name');
  }
  return entry[0];
}
