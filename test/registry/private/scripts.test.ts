// The registry container's scripts (src/private/registry/scripts.ts), run for
// real under a POSIX sh with a stand-in `registry`.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GARBAGE_COLLECT_SCRIPT, RUN_REGISTRY_SCRIPT } from '../../../src/registry/private/scripts';
import { Scenarios } from '../../harness/scenarios';
import { checkScripts } from '../../harness/scripts';

describe('registry container scripts', () => {
  test('pass bash -n, shellcheck and shfmt', async () => {
    await checkScripts({ 'run-registry.sh': RUN_REGISTRY_SCRIPT, 'garbage-collect.sh': GARBAGE_COLLECT_SCRIPT });
  }, 30_000);

  // Both scripts run for real under a POSIX sh (dash here; BusyBox ash in the
  // image, used too when installed), with a stand-in `registry` that logs
  // what it is asked to do. The scenarios wait for processes, so they run side
  // by side in beforeAll and the tests assert on their results.
  const shells = [['sh'], ...(spawnSync('busybox', ['true']).status === 0 ? [['busybox', 'sh']] : [])];
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

  function env(name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const work = path.join(dir, name);
    fs.mkdirSync(work, { recursive: true });
    return {
      PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
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

  function run(shell: string[], script: string, e: NodeJS.ProcessEnv) {
    const child = spawn(shell[0], [...shell.slice(1), path.join(dir, script)], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const done = new Promise<{ status: number; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ status: code ?? 1, stderr })));
    return { child, done };
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const logOf = (e: NodeJS.ProcessEnv) => (fs.existsSync(e.REGISTRY_LOG!) ? fs.readFileSync(e.REGISTRY_LOG!, 'utf8').trim().split('\n') : []);
  /** Waits until line `lines` of the registry log is `last` (at most 5 s). */
  async function logReaches(e: NodeJS.ProcessEnv, lines: number, last: string) {
    for (const start = Date.now(); Date.now() - start < 5_000; await sleep(10)) {
      const log = logOf(e);
      if (log.length >= lines && log[lines - 1] === last) {
        return;
      }
    }
    throw new Error(`the registry log did not reach line ${lines} "${last}": ${JSON.stringify(logOf(e))}`);
  }
  /** Polls of run-registry.sh that a test waits through to see that nothing more happens (POLL_SECONDS is 0.05). */
  const SETTLE_MS = 150;

  const cycles = shells.map((shell) => scenarios.add(async () => {
    const e = env(`cycle-${shell.join('-')}`);
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
  }));

  test.each(shells.map((shell, i) => [shell.join(' '), i] as const))(
    'garbage collection runs only while the registry is read-only (%s)', (_shell, i) => {
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

  const noAck = scenarios.add(async () => {
    const e = env('no-ack', { ACK_TIMEOUT_SECONDS: '0' });
    const gc = await run(['sh'], 'garbage-collect.sh', e).done;
    return { gc, logExists: fs.existsSync(e.REGISTRY_LOG!), maintenance: fs.readdirSync(e.MAINTENANCE_DIR!) };
  });

  test('without a registry that acknowledges, nothing is deleted', () => {
    const { gc, logExists, maintenance } = noAck();
    expect(gc.status).toBe(1);
    expect(gc.stderr).toContain('the registry did not switch to read-only within 0 seconds; nothing deleted');
    expect(logExists).toBe(false);
    // The lease is released on the way out.
    expect(maintenance).toEqual([]);
  });

  const expired = scenarios.add(async () => {
    const e = env('expired');
    fs.mkdirSync(e.MAINTENANCE_DIR!, { recursive: true });
    fs.writeFileSync(path.join(e.MAINTENANCE_DIR!, 'lease'), `gc-dead ${Math.floor(Date.now() / 1000) - 5}\n`);
    const registry = run(['sh'], 'run-registry.sh', e);
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
  const failing = scenarios.add(() => run(['sh'], 'run-registry.sh', env('failing', { REGISTRY_FAIL: '1' })).done);

  test('an expired lease does not keep the registry read-only; a failing registry ends the container', () => {
    expect(expired()).toEqual(['serve config.yml', 'stopped config.yml']);
    expect(failing().status).toBe(3);
    expect(failing().stderr).toContain('run-registry: the registry exited with status 3');
  });
});
