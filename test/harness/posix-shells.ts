/**
 * The POSIX shells the library's `sh` scripts are run under in tests: dash
 * (Debian's /bin/sh, the strictest common POSIX sh) and BusyBox ash, the
 * /bin/sh of the registry image.
 *
 * The official registry image (Docker library `registry`, built from
 * github:distribution/distribution-library-image, Dockerfile) is
 * `FROM alpine:3.21` plus the `registry` binary in /bin; its own entrypoint.sh
 * is `#!/bin/sh`. On Alpine, /bin/sh and the everyday commands (date, mkdir,
 * mv, rm, cat, sleep, ...) are all BusyBox applets. So the BusyBox runs get a
 * PATH of BusyBox applets only, as in the image: a script that needs a GNU
 * tool, or a GNU-only option, fails here as it would there.
 *
 * BusyBox comes from Debian's `busybox` package (.ci/run installs it; Debian
 * 12 has 1.35, a little older than Alpine 3.21's). When it is missing locally,
 * its runs are skipped with a printed reason; on CI (CI set) a missing BusyBox
 * fails the test run instead.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface PosixShell {
  /** For test names: `dash` or `busybox sh`. */
  readonly name: string;
  /** The command line that runs a script file or `-c`: the shell and its leading arguments. */
  readonly argv: readonly string[];
  /** Directories of the commands a script finds (prepend your own stubs). */
  readonly path: readonly string[];
}

function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const file = found.status === 0 ? found.stdout.trim() : '';
  return file.startsWith('/') ? file : undefined;
}

let appletDir: string | undefined;

/** A directory with one symlink per BusyBox applet, like Alpine's /bin and /usr/bin. */
function busyboxApplets(busybox: string): string {
  if (appletDir === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-busybox-'));
    const list = spawnSync(busybox, ['--list'], { encoding: 'utf8' });
    if (list.status !== 0) {
      throw new Error(`${busybox} --list failed: ${list.stderr}`);
    }
    for (const applet of list.stdout.split('\n').filter((a) => /^[a-z0-9_.[-]+$/.test(a))) {
      fs.symlinkSync(busybox, path.join(dir, applet));
    }
    appletDir = dir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return appletDir;
}

const BUSYBOX = which('busybox');

/** Why the BusyBox runs are skipped, or undefined when BusyBox is here. Throws on CI without it. */
export function busyboxMissing(who: string): string | undefined {
  if (BUSYBOX !== undefined) {
    return undefined;
  }
  const reason = 'busybox is not installed (apt-get install -y busybox), so the registry image\'s BusyBox sh runs are skipped';
  if (process.env.CI) {
    throw new Error(`${who}: ${reason}; CI must have it (.ci/run installs it)`);
  }
  console.log(`${who}: ${reason}`);
  return reason;
}

/** dash, and BusyBox sh when installed (see busyboxMissing). */
export function posixShells(who: string): PosixShell[] {
  const systemPath = (process.env.PATH ?? '/usr/bin:/bin').split(':');
  const shells: PosixShell[] = [{ name: 'dash', argv: ['dash'], path: systemPath }];
  if (busyboxMissing(who) === undefined) {
    shells.push({ name: 'busybox sh', argv: [BUSYBOX!, 'sh'], path: [busyboxApplets(BUSYBOX!)] });
  }
  return shells;
}
