// The SparkSubmitJob wrapper, run for real against a fake kube-apiserver on
// the loopback interface, with the real curl and wget.
//
// kube-apiserver indents its JSON for clients whose User-Agent starts with
// "curl" or "Wget" (isPrettyPrint in kubernetes/kubernetes
// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go):
// a wrapper that only matches compact JSON reports every driver as "unknown"
// (issue #15, breaker 2). Images built from a Spark distribution's Dockerfile
// need not have wget, so the wrapper must work with curl alone too.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { SparkApplicationType, SparkImage, SparkSubmitJob } from '../../src';
import * as submitScript from '../../src/jobs/private/submit/script';
import { apiServerPod, FakeApiServer, fakeApiServerUnavailable, startFakeApiServer } from '../harness/fake-apiserver';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-service-account-token';
const NAMESPACE = 'etl';
const SUBMIT_POD = 'pi-x7k2q';
const DRIVER_POD = `${SUBMIT_POD}-driver`;

const unavailable = fakeApiServerUnavailable();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.log(`skipping the wrapper runs against the fake API server: ${unavailable}`);
}
const describeRuns = unavailable ? describe.skip : describe;

function wrapperScript(): { script: string; template: string } {
  const chart = new Chart(Testing.app(), 'test');
  const job = new SparkSubmitJob(chart, 'Pi', {
    type: SparkApplicationType.SCALA,
    image: SparkImage.apache(),
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
  });
  const data = job.configMap.toJson().data;
  return { script: data['spark-submit.sh'], template: data['driver-pod-template.yaml'] };
}

/** Tools the wrapper may call, besides the HTTP client under test. */
const TOOLS = ['bash', 'cat', 'cut', 'grep', 'mkdir', 'sed', 'sleep', 'tail', 'tr'];

function which(tool: string): string {
  const r = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${tool} is not installed: the wrapper test needs it`);
  }
  return r.stdout.trim();
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly submitted: boolean;
}

describeRuns('SparkSubmitJob wrapper against a fake kube-apiserver', () => {
  let dir: string;
  let server: FakeApiServer;
  let script: string;
  /** The run against a closed port, started in beforeAll: its 4 s of pauses pass while the other tests run. */
  let unreachable: Promise<{ status: number | null; stderr: string; ms: number }>;

  /**
   * Runs the wrapper against a closed port: three attempts, then unknown. Its
   * own stub and work directories, as it runs beside the other tests' runs.
   */
  function runUnreachable(): Promise<{ status: number | null; stderr: string; ms: number }> {
    const closed = script.replace(/^readonly api=.*$/m, 'readonly api=https://localhost:1');
    fs.writeFileSync(path.join(dir, 'closed.sh'), closed);
    const stubDir = path.join(dir, 'closed-stub');
    fs.mkdirSync(stubDir);
    const started = Date.now();
    return new Promise((resolve) => {
      const c = spawn(path.join(dir, 'bin-curl', 'bash'), [path.join(dir, 'closed.sh')], {
        env: {
          PATH: path.join(dir, 'bin-curl'),
          SPARK_HOME: path.join(dir, 'spark'),
          STUB_DIR: stubDir,
          SPARK_SUBMIT_CONFIG_DIR: path.join(dir, 'config'),
          SPARK_SUBMIT_WORK_DIR: path.join(dir, 'work-closed'),
          SPARK_SUBMIT_POD_NAME: SUBMIT_POD,
          SPARK_SUBMIT_POD_UID: 'u',
          SPARK_SUBMIT_NAMESPACE: NAMESPACE,
          SPARK_DRIVER_POD_NAME: DRIVER_POD,
        },
      });
      let stderr = '';
      c.stderr.on('data', (d) => { stderr += d; });
      c.on('close', (status) => resolve({ status, stderr, ms: Date.now() - started }));
    });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-submit-wrapper-'));
    server = await startFakeApiServer({
      token: TOKEN,
      workDir: dir,
      pods: {
        [`${NAMESPACE}/${DRIVER_POD}`]: apiServerPod(NAMESPACE, DRIVER_POD, 'Succeeded'),
        [`failed/${DRIVER_POD}`]: apiServerPod('failed', DRIVER_POD, 'Failed'),
        [`running/${DRIVER_POD}`]: apiServerPod('running', DRIVER_POD, 'Running'),
      },
    });
    const account = path.join(dir, 'serviceaccount');
    fs.mkdirSync(account);
    fs.writeFileSync(path.join(account, 'token'), TOKEN);
    fs.copyFileSync(server.caFile, path.join(account, 'ca.crt'));

    const wrapper = wrapperScript();
    // Point the wrapper at the fake server: its two in-cluster locations only.
    let replaced = 0;
    script = wrapper.script
      .replace(/^readonly account=.*$/m, () => { replaced++; return `readonly account=${account}`; })
      .replace(/^readonly api=.*$/m, () => { replaced++; return `readonly api=${server.url}`; });
    expect(replaced).toBe(2);
    fs.writeFileSync(path.join(dir, 'spark-submit.sh'), script);
    // Variants: a token the server refuses; indented answers asked for with ?pretty=true.
    const badAccount = path.join(dir, 'bad-account');
    fs.mkdirSync(badAccount);
    fs.writeFileSync(path.join(badAccount, 'token'), 'not-the-token');
    fs.copyFileSync(server.caFile, path.join(badAccount, 'ca.crt'));
    fs.writeFileSync(path.join(dir, 'bad-token.sh'), script.replace(/^readonly account=.*$/m, `readonly account=${badAccount}`));
    const pretty = script.replace(/^(url=".*\/pods\/\$\{driver\})"$/m, '$1?pretty=true"');
    expect(pretty).not.toBe(script);
    fs.writeFileSync(path.join(dir, 'pretty.sh'), pretty);
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(path.join(dir, 'config', 'driver-pod-template.yaml'), wrapper.template);
    fs.mkdirSync(path.join(dir, 'spark', 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'spark', 'bin', 'spark-submit'),
      '#!/bin/bash\n: >"$STUB_DIR/submitted"\nexit "${STUB_SUBMIT_STATUS:-0}"\n', { mode: 0o755 });

    // One PATH per image: curl only, wget only, neither.
    for (const [name, clients] of [['curl', ['curl']], ['wget', ['wget']], ['none', []]] as const) {
      const bin = path.join(dir, `bin-${name}`);
      fs.mkdirSync(bin);
      for (const tool of [...TOOLS, ...clients]) {
        fs.symlinkSync(which(tool), path.join(bin, tool));
      }
    }
    unreachable = runUnreachable();
    // Read by its test; until then a failure must not count as unhandled.
    unreachable.catch(() => undefined);
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the wrapper (async: the fake server answers from this process) with a bounded time. */
  function run(client: 'curl' | 'wget' | 'none', env: { [key: string]: string } = {}, file = 'spark-submit.sh'): Promise<Run> {
    fs.rmSync(path.join(dir, 'submitted'), { force: true });
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(dir, `bin-${client}`, 'bash'), [path.join(dir, file), 'local:///app.jar'], {
        env: {
          PATH: path.join(dir, `bin-${client}`),
          SPARK_HOME: path.join(dir, 'spark'),
          STUB_DIR: dir,
          SPARK_SUBMIT_CONFIG_DIR: path.join(dir, 'config'),
          SPARK_SUBMIT_WORK_DIR: path.join(dir, 'work'),
          SPARK_SUBMIT_POD_NAME: SUBMIT_POD,
          SPARK_SUBMIT_POD_UID: '0b6c1b9e-2d0f-4bb1-9d57-1c1d2f0e9a11',
          SPARK_SUBMIT_NAMESPACE: NAMESPACE,
          SPARK_DRIVER_POD_NAME: DRIVER_POD,
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`wrapper timed out; stderr: ${stderr}`)); }, 30_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr, submitted: fs.existsSync(path.join(dir, 'submitted')) });
      });
    });
  }

  test('the fake server indents for the clients\' own user agents, as kube-apiserver does', async () => {
    const before = server.requests.length;
    for (const client of ['curl', 'wget'] as const) {
      const args = client === 'curl'
        ? ['-s', '--cacert', server.caFile, '-H', `Authorization: Bearer ${TOKEN}`, `${server.url}/api/v1/namespaces/${NAMESPACE}/pods/${DRIVER_POD}`]
        : ['-q', '-O', '-', `--ca-certificate=${server.caFile}`, `--header=Authorization: Bearer ${TOKEN}`,
          `${server.url}/api/v1/namespaces/${NAMESPACE}/pods/${DRIVER_POD}`];
      const body = await new Promise<string>((resolve) => {
        const c = spawn(client, args);
        let out = '';
        c.stdout.on('data', (d) => { out += d; });
        c.on('close', () => resolve(out));
      });
      expect(body).toContain('"phase": "Succeeded"');
    }
    const seen = server.requests.slice(before);
    expect(seen.map((r) => r.pretty)).toEqual([true, true]);
    expect(seen[0].userAgent).toMatch(/^curl\//);
    expect(seen[1].userAgent).toMatch(/^Wget\//);
  });

  test('the fake server answers errors with Status objects: no token 403, a wrong token 401, a missing pod 404', async () => {
    const get = (headers: string[], pod: string) => new Promise<{ code: string; body: string }>((resolve) => {
      const c = spawn('curl', ['-s', '-A', 'test', '-w', '\n%{http_code}', '--cacert', server.caFile, ...headers.flatMap((h) => ['-H', h]),
        `${server.url}/api/v1/namespaces/${NAMESPACE}/pods/${pod}`]);
      let out = '';
      c.stdout.on('data', (d) => { out += d; });
      c.on('close', () => {
        const lines = out.trimEnd().split('\n');
        resolve({ code: lines.pop()!, body: lines.join('\n') });
      });
    });
    const anonymous = await get([], DRIVER_POD);
    expect(anonymous.code).toBe('403');
    expect(JSON.parse(anonymous.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403 });
    const wrong = await get(['Authorization: Bearer nope'], DRIVER_POD);
    expect(wrong.code).toBe('401');
    expect(JSON.parse(wrong.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    const gone = await get([`Authorization: Bearer ${TOKEN}`], 'gone');
    expect(gone.code).toBe('404');
    expect(JSON.parse(gone.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "gone" not found',
      reason: 'NotFound',
      details: { name: 'gone', kind: 'pods' },
      code: 404,
    });
  });

  for (const client of ['curl', 'wget'] as const) {
    describe(`with ${client} only in the image`, () => {
      test('exits 0 when the driver pod Succeeded', async () => {
        const before = server.requests.length;
        const r = await run(client);
        expect(r.stderr).toBe('');
        expect(r.stdout).toContain(`driver pod ${DRIVER_POD} succeeded`);
        expect(r.status).toBe(0);
        const seen = server.requests.slice(before);
        expect(seen).toHaveLength(1);
        expect(seen[0]).toMatchObject({ method: 'GET', path: `/api/v1/namespaces/${NAMESPACE}/pods/${DRIVER_POD}`, authorized: true });
      });

      test('exits EXIT_DRIVER_FAILED when the driver pod Failed', async () => {
        const r = await run(client, { SPARK_SUBMIT_NAMESPACE: 'failed' });
        expect(r.stderr).toContain(`driver pod ${DRIVER_POD} failed`);
        expect(r.status).toBe(SparkSubmitJob.EXIT_DRIVER_FAILED);
      });

      test('exits EXIT_OUTCOME_UNKNOWN for a pod still running, a pod that is gone, and a refused token', async () => {
        const running = await run(client, { SPARK_SUBMIT_NAMESPACE: 'running' });
        expect(running.stderr).toContain('ended in phase Running');
        expect(running.status).toBe(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN);

        const before = server.requests.length;
        const gone = await run(client, { SPARK_DRIVER_POD_NAME: 'gone-driver' });
        expect(gone.stderr).toContain(`driver pod gone-driver could not be read (${client})`);
        expect(gone.status).toBe(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN);
        // A 404 is an answer: no retries.
        expect(server.requests.length - before).toBe(1);

        const refused = await run(client, {}, 'bad-token.sh');
        expect(refused.stderr).toContain(`driver pod ${DRIVER_POD} could not be read (${client})`);
        expect(refused.status).toBe(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN);
        expect(server.requests[server.requests.length - 1].authorized).toBe(false);
      });

      test('reads the phase from indented JSON too (as the server sends with ?pretty=true)', async () => {
        const before = server.requests.length;
        const ok = await run(client, {}, 'pretty.sh');
        expect(ok.stdout).toContain(`driver pod ${DRIVER_POD} succeeded`);
        expect(ok.status).toBe(0);
        const failed = await run(client, { SPARK_SUBMIT_NAMESPACE: 'failed' }, 'pretty.sh');
        expect(failed.status).toBe(SparkSubmitJob.EXIT_DRIVER_FAILED);
        expect(server.requests.slice(before).map((r) => r.pretty)).toEqual([true, true]);
      });

      test('the user agent is the wrapper\'s own, and the server answered it compactly', async () => {
        const before = server.requests.length;
        await run(client);
        const [request] = server.requests.slice(before);
        expect(request.userAgent).toBe('cdk8s-spark-submit');
        expect(request.pretty).toBe(false);
      });
    });
  }

  test('with neither curl nor wget, refuses before submitting', async () => {
    const r = await run('none');
    expect(r.stderr).toContain('neither curl nor wget');
    expect(r.status).toBe(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN);
    expect(r.submitted).toBe(false);
  });

  test('an unreachable API server is retried a bounded number of times', async () => {
    const out = await unreachable;
    expect(out.status).toBe(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN);
    expect(out.stderr).toContain('could not be read (curl)');
    // Two pauses of 2 s between three attempts.
    expect(out.ms).toBeGreaterThanOrEqual(4000);
    expect(out.ms).toBeLessThan(25_000);
  }, 40_000);
});

// The wrapper's body is a .sh file (src/jobs/private/submit/sh/spark-submit.sh);
// the names it shares with the pod spec and the ConfigMap must agree.
describe('the wrapper and the pod spec agree on names', () => {
  const s = submitScript;
  const script = s.clusterModeScript();
  test.each(Object.values(s.SCRIPT_ENV) as string[])('the wrapper reads %s, which the pod sets', (name) => {
    expect(script).toContain(`\${${name}}`);
  });
  test.each([s.OWNER_NAME_PLACEHOLDER, s.OWNER_UID_PLACEHOLDER, s.DRIVER_TEMPLATE_FILE])('the wrapper uses %s', (name) => {
    expect(script).toContain(name);
  });
});
