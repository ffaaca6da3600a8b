/**
 * A fake kube-apiserver for tests that run real scripts talking to the API
 * (the SparkSubmitJob wrapper). It serves `GET /api/v1/namespaces/NS/pods/NAME`
 * over HTTPS on the loopback interface and answers the way kube-apiserver does:
 *
 * - JSON is indented when the client's User-Agent starts with `curl`, `Wget` or
 *   `Mozilla/5.0`, or when the query has a true `pretty` parameter; compact
 *   otherwise. Source: isPrettyPrint in kubernetes/kubernetes
 *   staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go;
 *   the pretty serializer is json.MarshalIndent(obj, "", "  ") and the compact one
 *   json.Encoder, which ends with a newline (staging/src/k8s.io/apimachinery/pkg/
 *   runtime/serializer/json/json.go, doEncode): JSON.stringify(v, null, 2) and
 *   JSON.stringify(v) + "\n" here.
 * - A request with a bearer token other than the service account's gets 401
 *   (reason Unauthorized); one without a token is the anonymous user, whom
 *   RBAC does not allow to read pods: 403 (reason Forbidden); a missing pod
 *   gets 404 (reason NotFound) — each with a Status object, as the API
 *   server's error responses carry.
 *
 * The certificate is made per test run with the openssl CLI; tests that need
 * the server skip with a printed reason when openssl is missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as path from 'path';

export interface FakeApiServerOptions {
  /** The bearer token the server accepts. */
  readonly token: string;
  /** Pods by `namespace/name`; each is served as the pod object. */
  readonly pods: { [namespacedName: string]: object };
  /** A directory for the generated key and certificate. */
  readonly workDir: string;
}

export interface FakeApiRequest {
  readonly method: string;
  readonly path: string;
  readonly userAgent: string;
  readonly authorized: boolean;
  readonly pretty: boolean;
}

export interface FakeApiServer {
  /** `https://localhost:<port>`. */
  readonly url: string;
  /** The CA certificate (PEM file) a client must trust: the server's self-signed certificate. */
  readonly caFile: string;
  /** Every request, in order. */
  readonly requests: FakeApiRequest[];
  close(): Promise<void>;
}

/** Why the fake server cannot run here, or undefined when it can. */
export function fakeApiServerUnavailable(): string | undefined {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? 'openssl is not installed (apt-get install -y openssl): no certificate for the fake API server' : undefined;
}

/** kube-apiserver's rule for indented output (negotiate.go, isPrettyPrint). */
export function apiServerPrettyPrints(userAgent: string, query: URLSearchParams): boolean {
  const pretty = query.get('pretty');
  if (pretty !== null && pretty !== '') {
    // Go's strconv.ParseBool; anything else parses as false.
    return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(pretty);
  }
  return userAgent.startsWith('curl') || userAgent.startsWith('Wget') || userAgent.startsWith('Mozilla/5.0');
}

function status(code: number, reason: string, message: string, details?: object): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

export async function startFakeApiServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const key = path.join(options.workDir, 'apiserver.key');
  const cert = path.join(options.workDir, 'apiserver.crt');
  const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (gen.status !== 0) {
    throw new Error(`openssl could not make the fake API server's certificate: ${gen.stderr}`);
  }
  const requests: FakeApiRequest[] = [];
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const userAgent = req.headers['user-agent'] ?? '';
    const authorization = req.headers.authorization;
    const authorized = authorization === `Bearer ${options.token}`;
    const pretty = apiServerPrettyPrints(userAgent, url.searchParams);
    requests.push({ method: req.method ?? '', path: url.pathname, userAgent, authorized, pretty });
    const send = (code: number, body: object) => {
      // The compact encoder ends its output with a newline, as Go's json.Encoder does.
      const text = pretty ? JSON.stringify(body, null, 2) : `${JSON.stringify(body)}\n`;
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(text);
    };
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(url.pathname);
    if (authorization === undefined) {
      send(403, status(403, 'Forbidden', `pods "${m?.[2] ?? ''}" is forbidden: User "system:anonymous" cannot get resource "pods" `
        + `in API group "" in the namespace "${m?.[1] ?? ''}"`, { name: m?.[2] ?? '', kind: 'pods' }));
      return;
    }
    if (!authorized) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (req.method !== 'GET' || !m) {
      send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    const pod = options.pods[`${m[1]}/${m[2]}`];
    if (!pod) {
      send(404, status(404, 'NotFound', `pods "${m[2]}" not found`, { name: m[2], kind: 'pods' }));
      return;
    }
    send(200, pod);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}`,
    caFile: cert,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A pod as kube-apiserver returns it: metadata, spec, then status (with the phase). */
export function apiServerPod(namespace: string, name: string, phase: string): object {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name,
      namespace,
      uid: '6f1c7c1e-5b9a-4a59-9a51-0d0f6f2b7a10',
      labels: { 'spark-role': 'driver' },
      // A "phase" key outside status must not be taken for the pod's phase.
      annotations: { phase: 'Failed' },
    },
    spec: {
      containers: [{ name: 'spark-kubernetes-driver', image: 'docker.io/apache/spark:4.0.4', env: [{ name: 'NOTE', value: '"phase": "Failed"' }] }],
      restartPolicy: 'Never',
    },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }],
      containerStatuses: [{ name: 'spark-kubernetes-driver', state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0 } } }],
      qosClass: 'Guaranteed',
    },
  };
}
