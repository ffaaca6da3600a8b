// The object-storage garbage collection (garbage-collect-replicas.sh, in the
// kubectl image: Debian's dash and coreutils, as in registry.k8s.io/kubectl)
// run for real against a stand-in `kubectl` and `registry`, and the registry
// entrypoint's READ_ONLY_UNTIL lease under dash and BusyBox sh (the registry
// image). See src/registry/private/scripts.ts for the design.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GARBAGE_COLLECT_REPLICAS_SCRIPT, RUN_REGISTRY_SCRIPT } from '../../../src/registry/private/scripts';
import { PosixShell, posixShells } from '../../harness/posix-shells';
import { checkScripts } from '../../harness/scripts';

const FAKE_KUBECTL = `#!/bin/sh
printf 'kubectl %s\\n' "$*" >>"$LOG"
case "$1 $2" in
  'set env')
    for arg; do
      case $arg in
        READ_ONLY_UNTIL=*) echo "\${arg#READ_ONLY_UNTIL=}" >"$STATE/until" ;;
        READ_ONLY_UNTIL-) rm -f "$STATE/until" ;;
      esac
    done
    exit "\${SET_ENV_STATUS:-0}" ;;
  'rollout status')
    i=0
    while [ "$i" -lt "\${ROLLOUT_SLEEP_TICKS:-0}" ]; do sleep 0.05; i=$((i + 1)); done
    exit "\${ROLLOUT_STATUS:-0}" ;;
  'get pods')
    polls=$(cat "$STATE/polls" 2>/dev/null || echo 0)
    echo $((polls + 1)) >"$STATE/polls"
    printf 'registry-new %s\\n' "$(cat "$STATE/until")"
    if [ "$polls" -lt "\${STALE_POLLS:-0}" ]; then
      printf 'registry-old \\n'
    fi ;;
esac
`;
const FAKE_REGISTRY = `#!/bin/sh
echo "registry $*" >>"$LOG"
trap 'echo "registry stopped" >>"$LOG"; exit 143' TERM
i=0
while [ "$i" -lt "\${GC_SLEEP_TICKS:-0}" ]; do sleep 0.05; i=$((i + 1)); done
exit "\${GC_STATUS:-0}"
`;

describe('object-storage garbage collection script', () => {
  test('passes bash -n, shellcheck and shfmt; shellcheck as POSIX sh', async () => {
    await checkScripts({ 'garbage-collect-replicas.sh': GARBAGE_COLLECT_REPLICAS_SCRIPT });
    const result = spawnSync('shellcheck', ['-s', 'sh', '-S', 'style', '--norc', '--color=never', '-'],
      { input: GARBAGE_COLLECT_REPLICAS_SCRIPT, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  }, 30_000);

  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-replica-gc-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'kubectl'), FAKE_KUBECTL, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'registry'), FAKE_REGISTRY, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'gc.sh'), GARBAGE_COLLECT_REPLICAS_SCRIPT);
    fs.writeFileSync(path.join(dir, 'run-registry.sh'), RUN_REGISTRY_SCRIPT);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  function start(extra: Record<string, string> = {}) {
    const work = path.join(dir, `run-${n++}`);
    fs.mkdirSync(work);
    const env = {
      PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
      LOG: path.join(work, 'log'),
      STATE: work,
      NAMESPACE: 'registry',
      DEPLOYMENT: 'registry',
      CONTAINER: 'registry',
      POD_SELECTOR: 'app=registry',
      LEASE_SECONDS: '3600',
      ROLLOUT_TIMEOUT_SECONDS: '5',
      SKEW_SECONDS: '60',
      POLL_SECONDS: '0.05',
      DELETE_UNTAGGED: 'true',
      REGISTRY_BIN: path.join(dir, 'registry'),
      REGISTRY_CONFIG: 'config.yml',
      ...extra,
    };
    const child = spawn('dash', [path.join(dir, 'gc.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const done = new Promise<{ status: number | null; stderr: string; log: string[]; until?: string }>((resolve) => child.on('close', (status) => {
      const log = fs.existsSync(env.LOG) ? fs.readFileSync(env.LOG, 'utf8').trim().split('\n') : [];
      const untilFile = path.join(work, 'until');
      resolve({ status, stderr, log, until: fs.existsSync(untilFile) ? fs.readFileSync(untilFile, 'utf8').trim() : undefined });
    }));
    return { child, env, done };
  }
  const switchTo = (until: string) => `kubectl set env --namespace registry deployment/registry -c registry READ_ONLY_UNTIL=${until}`;
  const SWITCH_BACK = 'kubectl set env --namespace registry deployment/registry -c registry READ_ONLY_UNTIL-';
  const ROLLOUT = 'kubectl rollout status --namespace registry deployment/registry --timeout=5s';
  // The container's READ_ONLY_UNTIL per pod, one a line (kubectl turns the \n inside a jsonpath string into a line break).
  const GET_PODS = 'kubectl get pods --namespace registry -l app=registry -o jsonpath={range .items[*]}{.metadata.name}{" "}'
    + '{.spec.containers[?(@.name=="registry")].env[?(@.name=="READ_ONLY_UNTIL")].value}{"\\n"}{end}';

  test('switches read-only, waits until no old pod is left, collects, switches back', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await start({ STALE_POLLS: '2' }).done;
    expect(r.status).toBe(0);
    const until = Number(r.log[0].split('=').pop());
    expect(until).toBeGreaterThanOrEqual(before + 3600);
    expect(until).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    // Two polls still see the terminating old pod; the third sees only read-only ones.
    expect(r.log).toEqual([switchTo(String(until)), ROLLOUT, GET_PODS, GET_PODS, GET_PODS,
      'registry garbage-collect --delete-untagged config.yml', SWITCH_BACK]);
    expect(r.until).toBeUndefined();
    expect(r.stderr).toMatch(/every replica serves read-only; collecting garbage \(for at most 35\d\d seconds\)/);
  });

  test('a failing collection still switches back, and the job fails with its status', async () => {
    const r = await start({ GC_STATUS: '5', DELETE_UNTAGGED: 'false' }).done;
    expect(r.status).toBe(5);
    expect(r.log.slice(-2)).toEqual(['registry garbage-collect config.yml', SWITCH_BACK]);
    expect(r.stderr).toContain('the collection failed (status 5)');
    expect(r.until).toBeUndefined();
  });

  test('a rollout that does not complete: nothing deleted, switched back', async () => {
    const r = await start({ ROLLOUT_STATUS: '1' }).done;
    expect(r.status).toBe(1);
    expect(r.log).toEqual([expect.stringMatching(/READ_ONLY_UNTIL=\d+$/), ROLLOUT, SWITCH_BACK]);
    expect(r.stderr).toContain('the read-only rollout did not complete within 5 seconds; nothing deleted');
  });

  test('old pods that do not go away: nothing deleted, switched back', async () => {
    const r = await start({ STALE_POLLS: '1000', ROLLOUT_TIMEOUT_SECONDS: '1' }).done;
    expect(r.status).toBe(1);
    expect(r.log).not.toContain('registry garbage-collect --delete-untagged config.yml');
    expect(r.log[r.log.length - 1]).toBe(SWITCH_BACK);
    expect(r.stderr).toContain('pods of the read-write registry still run after 1 seconds (registry-old ); nothing deleted');
  });

  test('a failed switch to read-only is undone too (its effect may have landed)', async () => {
    const r = await start({ SET_ENV_STATUS: '1' }).done;
    expect(r.status).toBe(1);
    expect(r.log).toEqual([expect.stringMatching(/READ_ONLY_UNTIL=\d+$/), SWITCH_BACK]);
    expect(r.stderr).toContain('could not switch the registry to read-only; nothing deleted');
  });

  test('a window shorter than the clock margin: nothing deleted', async () => {
    const r = await start({ LEASE_SECONDS: '30' }).done;
    expect(r.status).toBe(1);
    expect(r.log).not.toContain('registry garbage-collect --delete-untagged config.yml');
    expect(r.stderr).toContain('no time left in the read-only window; nothing deleted');
  });

  test('SIGTERM (the Job\'s deadline) stops the collection first, then switches back', async () => {
    const run = start({ GC_SLEEP_TICKS: '400' });
    for (let i = 0; i < 200 && !(fs.existsSync(run.env.LOG) && fs.readFileSync(run.env.LOG, 'utf8').includes('registry garbage-collect')); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.status).toBe(143);
    expect(r.log.slice(-3)).toEqual(['registry garbage-collect --delete-untagged config.yml', 'registry stopped', SWITCH_BACK]);
  });

  test('SIGTERM while waiting for the rollout: handled at once, switched back, nothing deleted', async () => {
    const run = start({ ROLLOUT_SLEEP_TICKS: '400' });
    for (let i = 0; i < 200 && !(fs.existsSync(run.env.LOG) && fs.readFileSync(run.env.LOG, 'utf8').includes('rollout status')); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const killed = Date.now();
    run.child.kill('SIGTERM');
    const r = await run.done;
    // The stand-in rollout would take 20 s.
    expect(Date.now() - killed).toBeLessThan(5_000);
    expect(r.status).toBe(143);
    expect(r.log).toEqual([expect.stringMatching(/READ_ONLY_UNTIL=\d+$/), ROLLOUT, SWITCH_BACK]);
  });

  // The registry side: READ_ONLY_UNTIL from the pod template is the lease.
  const shells = posixShells('test/registry/private/replica-gc.test.ts');
  /** Runs run-registry.sh with a lease ending in 2 s; resolves to the stand-in registry's log. */
  async function leaseRun(shell: PosixShell): Promise<string[]> {
    const work = fs.mkdtempSync(path.join(dir, 'registry-'));
    fs.mkdirSync(path.join(work, 'bin'));
    fs.writeFileSync(path.join(work, 'bin', 'registry'), [
      // The trap is set before the start is logged: once the test sees a start, a TERM is answered
      // (set after, a TERM landing in between ended the stand-in silently on a busy machine).
      '#!/bin/sh', 'trap \'echo "stopped $2" >>"$LOG"; exit 0\' TERM', 'echo "$*" >>"$LOG"', 'while :; do sleep 0.02; done', '',
    ].join('\n'), { mode: 0o755 });
    const env = {
      PATH: [path.join(work, 'bin'), ...shell.path].join(':'),
      LOG: path.join(work, 'log'),
      MAINTENANCE_DIR: path.join(work, 'm'),
      REGISTRY_CONFIG: 'config.yml',
      REGISTRY_READ_ONLY_CONFIG: 'config-read-only.yml',
      POLL_SECONDS: '0.05',
      READ_ONLY_UNTIL: String(Math.floor(Date.now() / 1000) + 2),
    };
    const child = spawn(shell.argv[0], [...shell.argv.slice(1), path.join(dir, 'run-registry.sh')], { env, stdio: 'ignore' });
    const done = new Promise((r) => child.on('close', r));
    const logOf = () => (fs.existsSync(env.LOG) ? fs.readFileSync(env.LOG, 'utf8').trim().split('\n') : []);
    try {
      for (let i = 0; i < 600 && logOf().length < 3; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      child.kill('SIGTERM');
    }
    await done;
    return logOf();
  }
  // Every shell's run waits out its lease at the same time: the first of these tests starts them all.
  let leaseRuns: Array<Promise<string[]>> | undefined;
  const leaseRunOf = (i: number) => {
    leaseRuns ??= shells.map((shell) => {
      const run = leaseRun(shell);
      // Read by its own test; until then a failure must not count as unhandled.
      run.catch(() => undefined);
      return run;
    });
    return leaseRuns[i];
  };
  test.each(shells.map((s, i) => [s.name, i] as const))('run-registry.sh serves read-only until READ_ONLY_UNTIL, then read-write (%s)', async (_name, i) => {
    expect(await leaseRunOf(i)).toEqual(['serve config-read-only.yml', 'stopped config-read-only.yml', 'serve config.yml', 'stopped config.yml']);
  }, 15_000);
});
