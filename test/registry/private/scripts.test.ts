// The registry container's scripts (src/registry/private/scripts.ts), run for
// real under a POSIX sh with a stand-in `registry`: dash, and BusyBox sh with
// BusyBox applets only, as in the registry image (Alpine; see
// test/harness/posix-shells.ts for the image's Dockerfile).
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GARBAGE_COLLECT_SCRIPT, RUN_REGISTRY_SCRIPT } from '../../../src/registry/private/scripts';
import { PosixShell, posixShells } from '../../harness/posix-shells';
import { Scenarios } from '../../harness/scenarios';
import { checkScripts } from '../../harness/scripts';

describe('registry container scripts', () => {
  test('pass bash -n, shellcheck and shfmt', async () => {
    await checkScripts({ 'run-registry.sh': RUN_REGISTRY_SCRIPT, 'garbage-collect.sh': GARBAGE_COLLECT_SCRIPT });
  }, 30_000);

  test.each([['run-registry.sh', RUN_REGISTRY_SCRIPT], ['garbage-collect.sh', GARBAGE_COLLECT_SCRIPT]])(
    '%s passes shellcheck as POSIX sh (no bashisms)', (name, script) => {
      const result = spawnSync('shellcheck', ['-s', 'sh', '-S', 'style', '--norc', '--color=never', '-'], { input: script, encoding: 'utf8' });
      expect(result.error).toBeUndefined();
      expect({ name, output: result.stdout }).toEqual({ name, output: '' });
      expect(result.status).toBe(0);
    });

  // Every scenario runs under each shell, with a stand-in `registry` that logs
  // what it is asked to do. The scenarios wait for processes, so they run side
  // by side in beforeAll and the tests assert on their results.
  const shells = posixShells('test/registry/private/scripts.test.ts');
  const scenarios = new Scenarios();
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-registry-'));
    fs.writeFileSync(path.join(dir, 'run-registry.sh'), RUN_REGISTRY_SCRIPT);
    fs.writeFileSync(path.join(dir, 'garbage-collect.sh'), GARBAGE_COLLECT_SCRIPT);
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'registry'), [
      '#!/bin/sh',
      'echo "$*" >>"$REGISTRY_LOG"',
      'if [ "$1" = serve ]; then',
      '  [ -z "${REGISTRY_FAIL:-}" ] || exit 3',
      '  trap \'echo "stopped $2" >>"$REGISTRY_LOG"; exit 0\' TERM',
      '  while :; do sleep 0.02; done',
      'fi',
      '',
    ].join('\n'), { mode: 0o755 });
    await scenarios.run(8);
  }, 30_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function env(shell: PosixShell, name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const work = path.join(dir, `${name}-${shell.name.replace(/ /g, '-')}`);
    fs.mkdirSync(work, { recursive: true });
    return {
      PATH: [path.join(dir, 'bin'), ...shell.path].join(':'),
      REGISTRY_LOG: path.join(work, 'log'),
      MAINTENANCE_DIR: path.join(work, 'maintenance'),
      REGISTRY_CONFIG: 'config.yml',
      REGISTRY_READ_ONLY_CONFIG: 'config-read-only.yml',
      POLL_SECONDS: '0.05',
      LEASE_SECONDS: '30',
      ACK_TIMEOUT_SECONDS: '2',
      DELETE_UNTAGGED: 'true',
      ...extra,
    };
  }

  function run(shell: PosixShell, script: string, e: NodeJS.ProcessEnv) {
    const child = spawn(shell.argv[0], [...shell.argv.slice(1), path.join(dir, script)], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
      child.on('close', (code, signal) => resolve({ status: code, signal, stderr })));
    return { child, done };
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const logOf = (e: NodeJS.ProcessEnv) => (fs.existsSync(e.REGISTRY_LOG!) ? fs.readFileSync(e.REGISTRY_LOG!, 'utf8').trim().split('\n') : []);
  /** Waits until `check` holds (at most 5 s). */
  async function until(what: string, check: () => boolean) {
    for (const start = Date.now(); Date.now() - start < 5_000; await sleep(10)) {
      if (check()) {
        return;
      }
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  /** Waits until line `lines` of the registry log is `last`. */
  async function logReaches(e: NodeJS.ProcessEnv, lines: number, last: string) {
    await until(`the registry log to reach line ${lines} "${last}" (it is ${JSON.stringify(logOf(e))})`, () => {
      const log = logOf(e);
      return log.length >= lines && log[lines - 1] === last;
    });
  }
  /** Polls of run-registry.sh that a test waits through to see that nothing more happens (POLL_SECONDS is 0.05). */
  const SETTLE_MS = 150;

  const byShell = <T>(scenario: (shell: PosixShell) => Promise<T>) => shells.map((shell) => scenarios.add(() => scenario(shell)));
  const eachShell = shells.map((shell, i) => [shell.name, i] as const);

  const cycles = byShell(async (shell) => {
    const e = env(shell, 'cycle');
    const registry = run(shell, 'run-registry.sh', e);
    let gc: Awaited<ReturnType<typeof run>['done']>;
    try {
      await logReaches(e, 1, 'serve config.yml');
      gc = await run(shell, 'garbage-collect.sh', e).done;
      // Back to read-write, and staying there.
      await logReaches(e, 6, 'serve config.yml').catch(() => undefined);
      await sleep(SETTLE_MS);
    } finally {
      registry.child.kill('SIGTERM');
    }
    const stopped = await registry.done;
    return { gc, stopped, log: logOf(e), maintenance: fs.readdirSync(e.MAINTENANCE_DIR!) };
  });

  test.each(eachShell)('garbage collection runs only while the registry is read-only (%s)', (_shell, i) => {
    const { gc, stopped, log, maintenance } = cycles[i]();
    expect(gc.stderr).toContain('garbage-collect: the registry serves read-only; collecting garbage');
    expect(gc.status).toBe(0);
    expect(stopped.status).toBe(0);
    expect(log).toEqual([
      'serve config.yml',
      'stopped config.yml',
      'serve config-read-only.yml',
      'garbage-collect --delete-untagged config.yml',
      'stopped config-read-only.yml',
      'serve config.yml',
      'stopped config.yml',
    ]);
    expect(maintenance).toEqual([]);
  });

  const noAcks = byShell(async (shell) => {
    const e = env(shell, 'no-ack', { ACK_TIMEOUT_SECONDS: '0' });
    const gc = await run(shell, 'garbage-collect.sh', e).done;
    return { gc, logExists: fs.existsSync(e.REGISTRY_LOG!), maintenance: fs.readdirSync(e.MAINTENANCE_DIR!) };
  });

  test.each(eachShell)('without a registry that acknowledges, nothing is deleted (%s)', (_shell, i) => {
    const { gc, logExists, maintenance } = noAcks[i]();
    expect(gc.status).toBe(1);
    expect(gc.stderr).toContain('the registry did not switch to read-only within 0 seconds; nothing deleted');
    expect(logExists).toBe(false);
    // The lease is released on the way out.
    expect(maintenance).toEqual([]);
  });

  const terminated = byShell(async (shell) => {
    // Kubernetes stops a CronJob's pod with SIGTERM (e.g. activeDeadlineSeconds): the lease goes with it.
    const e = env(shell, 'terminated', { ACK_TIMEOUT_SECONDS: '30' });
    const gc = run(shell, 'garbage-collect.sh', e);
    await until('the lease', () => fs.existsSync(path.join(e.MAINTENANCE_DIR!, 'lease')));
    gc.child.kill('SIGTERM');
    return { gc: await gc.done, maintenance: fs.readdirSync(e.MAINTENANCE_DIR!), logExists: fs.existsSync(e.REGISTRY_LOG!) };
  });

  test.each(eachShell)('a garbage collection stopped with SIGTERM releases its lease (%s)', (_shell, i) => {
    const { gc, maintenance, logExists } = terminated[i]();
    expect(gc.status).toBe(143);
    expect(gc.stderr).toContain('garbage-collect: lease released; the registry returns to read-write');
    expect(maintenance).toEqual([]);
    expect(logExists).toBe(false);
  });

  const expired = byShell(async (shell) => {
    const e = env(shell, 'expired');
    fs.mkdirSync(e.MAINTENANCE_DIR!, { recursive: true });
    fs.writeFileSync(path.join(e.MAINTENANCE_DIR!, 'lease'), `gc-dead ${Math.floor(Date.now() / 1000) - 5}\n`);
    const registry = run(shell, 'run-registry.sh', e);
    try {
      await logReaches(e, 1, 'serve config.yml');
      // Several polls with the expired lease in place.
      await sleep(SETTLE_MS);
    } finally {
      registry.child.kill('SIGTERM');
    }
    await registry.done;
    return logOf(e);
  });
  const failing = byShell((shell) => run(shell, 'run-registry.sh', env(shell, 'failing', { REGISTRY_FAIL: '1' })).done);

  test.each(eachShell)('an expired lease does not keep the registry read-only; a failing registry ends the container (%s)', (_shell, i) => {
    expect(expired[i]()).toEqual(['serve config.yml', 'stopped config.yml']);
    expect(failing[i]().status).toBe(3);
    expect(failing[i]().stderr).toContain('run-registry: the registry exited with status 3');
  });

  test('BusyBox runs use BusyBox applets only, as the image has', () => {
    const busybox = shells.find((s) => s.name === 'busybox sh');
    if (busybox === undefined) {
      return; // posixShells printed why
    }
    for (const command of ['date', 'mkdir', 'mv', 'rm', 'cat', 'sleep']) {
      expect(fs.realpathSync(path.join(busybox.path[0], command))).toBe(fs.realpathSync(busybox.argv[0]));
    }
    expect(busybox.path).toHaveLength(1);
  });
});
