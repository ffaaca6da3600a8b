import { k8s } from 'cdk8s-plus-28';

// Facts of the apache/celeborn image and server, from apache/celeborn v0.7.0:
// docker/Dockerfile (user and group 10006, /opt/celeborn, tini),
// bin/celeborn-class (CELEBORN_CONF_DIR on the class path),
// sbin/celeborn-daemon.sh (CELEBORN_LOG_DIR, CELEBORN_PID_DIR, CELEBORN_NO_DAEMONIZE),
// sbin/start-master.sh and start-worker.sh (CELEBORN_MASTER_MEMORY,
// CELEBORN_WORKER_MEMORY, CELEBORN_WORKER_OFFHEAP_MEMORY),
// docs/configuration/master.md, worker.md and ha.md (keys and default ports).

/** The user and group of the apache/celeborn image. */
export const CELEBORN_UID = 10006;
/** The image the chart of the same release runs (charts/celeborn appVersion 0.7.0). */
export const DEFAULT_CELEBORN_IMAGE = 'docker.io/apache/celeborn:0.7.0';
export const CONF_DIR = '/etc/celeborn';
export const CELEBORN_HOME = '/opt/celeborn';
export const RATIS_DIR = '/mnt/celeborn_ratis';

/** Ports: the masters' are Celeborn's defaults; the workers' are fixed here (Celeborn picks random ones by default). */
export const PORTS = {
  masterRpc: 9097,
  masterRatis: 9872,
  masterHttp: 9098,
  workerRpc: 9091,
  workerPush: 9092,
  workerFetch: 9093,
  workerReplicate: 9094,
  workerHttp: 9096,
};

/** Server keys the typed props set. */
export const TYPED_SERVER_KEYS: { readonly [prefix: string]: string } = {
  'celeborn.master.endpoints': 'masters.replicas',
  'celeborn.master.host': 'masters.replicas',
  'celeborn.master.port': 'nothing: the masters listen on 9097',
  'celeborn.master.ha.': 'masters.replicas',
  'celeborn.master.http.port': 'nothing: the masters serve HTTP on 9098',
  'celeborn.worker.rpc.port': 'nothing: the construct fixes the worker ports',
  'celeborn.worker.push.port': 'nothing: the construct fixes the worker ports',
  'celeborn.worker.fetch.port': 'nothing: the construct fixes the worker ports',
  'celeborn.worker.replicate.port': 'nothing: the construct fixes the worker ports',
  'celeborn.worker.http.port': 'nothing: the workers serve HTTP on 9096',
  'celeborn.worker.storage.dirs': 'workers.shuffleDisks',
};

export interface ServerConfInput {
  readonly masterHosts: string[];
  readonly disks: number;
  /** Size of each disk, given to the worker as its capacity. */
  readonly diskMebibytes: number;
  readonly extra: { readonly [key: string]: string };
}

/** `celeborn-defaults.conf` of masters and workers (one file: both read the masters' addresses). */
export function serverConf(input: ServerConfInput): string {
  const lines: string[] = [];
  const set = (key: string, value: string | number) => lines.push(`${key}=${value}`);
  set('celeborn.master.endpoints', input.masterHosts.map((h) => `${h}:${PORTS.masterRpc}`).join(','));
  if (input.masterHosts.length > 1) {
    set('celeborn.master.ha.enabled', 'true');
    input.masterHosts.forEach((host, i) => {
      set(`celeborn.master.ha.node.${i}.host`, host);
      set(`celeborn.master.ha.node.${i}.port`, PORTS.masterRpc);
      set(`celeborn.master.ha.node.${i}.ratis.port`, PORTS.masterRatis);
    });
    set('celeborn.master.ha.ratis.raft.server.storage.dir', RATIS_DIR);
  } else {
    set('celeborn.master.host', input.masterHosts[0]);
    set('celeborn.master.port', PORTS.masterRpc);
  }
  set('celeborn.master.http.port', PORTS.masterHttp);
  set('celeborn.worker.rpc.port', PORTS.workerRpc);
  set('celeborn.worker.push.port', PORTS.workerPush);
  set('celeborn.worker.fetch.port', PORTS.workerFetch);
  set('celeborn.worker.replicate.port', PORTS.workerReplicate);
  set('celeborn.worker.http.port', PORTS.workerHttp);
  // `dir:capacity=<size>` (docs/configuration/worker.md; parsed by CelebornConf.workerBaseDirs with
  // JavaUtils.byteStringAsBytes, where "m" is MiB): the worker uses at most this much of each disk.
  set('celeborn.worker.storage.dirs', diskPaths(input.disks).map((p) => `${p}:capacity=${input.diskMebibytes}m`).join(','));
  // Defaults the user's keys may override. The device monitor inspects the
  // node's block devices, which a restricted container does not see as the
  // worker expects; the chart turns it off too (charts/celeborn values.yaml).
  const merged: { [key: string]: string } = { 'celeborn.worker.monitor.disk.enabled': 'false', ...input.extra };
  for (const key of Object.keys(merged).sort()) {
    set(key, merged[key]);
  }
  return lines.join('\n') + '\n';
}

/** Mount paths of the workers' shuffle disks. */
export function diskPaths(disks: number): string[] {
  return Array.from({ length: disks }, (_, i) => `/mnt/disk${i + 1}`);
}

/** Log to the console at INFO: the pods' logs are what kubectl shows. */
export const LOG4J2_XML = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<Configuration status="WARN">',
  '  <Appenders>',
  '    <Console name="stdout" target="SYSTEM_OUT">',
  '      <PatternLayout pattern="%d{yy/MM/dd HH:mm:ss,SSS} %p [%t] %c{1}: %m%n%ex"/>',
  '    </Console>',
  '  </Appenders>',
  '  <Loggers>',
  '    <Root level="INFO">',
  '      <AppenderRef ref="stdout"/>',
  '    </Root>',
  '  </Loggers>',
  '</Configuration>',
  '',
].join('\n');

/**
 * The master's command: wait until every master's name resolves (a master
 * finds its own entry among the HA nodes by resolving them, as the chart's
 * start command does), then run the master in the foreground under tini.
 */
export function masterCommand(masterHosts: string[]): string[] {
  const script = `for h in ${masterHosts.join(' ')}; do until getent hosts "$h" >/dev/null; do echo "waiting for $h"; sleep 2; done; done; `
    + `exec ${CELEBORN_HOME}/sbin/start-master.sh`;
  return ['/usr/bin/tini', '--', '/bin/bash', '-c', script];
}

export function workerCommand(): string[] {
  return ['/usr/bin/tini', '--', `${CELEBORN_HOME}/sbin/start-worker.sh`];
}

export function tcpProbe(port: string, periodSeconds: number, failureThreshold: number): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromString(port) }, periodSeconds, failureThreshold };
}

export function containerPort(name: string, port: number): k8s.ContainerPort {
  return { name, containerPort: port, protocol: 'TCP' };
}

export function servicePort(name: string, port: number): k8s.ServicePort {
  return { name, port, targetPort: k8s.IntOrString.fromString(name), protocol: 'TCP' };
}
