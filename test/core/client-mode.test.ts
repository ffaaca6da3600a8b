import { Testing } from 'cdk8s';
import {
  clientModeDriverConf, clientModeDriverPodNameArgs, clientModeDriverService, DRIVER_POD_NAME_ENV, driverPodNameEnv, IN_CLUSTER_MASTER,
} from '../../src/core/client-mode';

const OPTIONS = {
  serviceName: 'etl-driver',
  namespace: 'spark-jobs',
  selector: { 'app.kubernetes.io/instance': 'etl', 'spark-role': 'driver' },
  labels: { 'app.kubernetes.io/name': 'etl' },
  ports: { driver: 7078, blockManager: 7079, ui: 4040 },
};

describe('client-mode driver', () => {
  test('a headless Service publishing the driver before it is ready, one port per listener', () => {
    const chart = Testing.chart();
    clientModeDriverService(chart, 'Driver', OPTIONS);
    const [service] = Testing.synth(chart);
    expect(service.metadata).toEqual({ name: 'etl-driver', namespace: 'spark-jobs', labels: { 'app.kubernetes.io/name': 'etl' } });
    expect(service.spec).toEqual({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: OPTIONS.selector,
      ports: [
        { name: 'driver-rpc', port: 7078, targetPort: 7078, protocol: 'TCP' },
        { name: 'blockmanager', port: 7079, targetPort: 7079, protocol: 'TCP' },
        { name: 'spark-ui', port: 4040, targetPort: 4040, protocol: 'TCP' },
      ],
    });
  });

  test('without a UI, no UI port', () => {
    const chart = Testing.chart();
    clientModeDriverService(chart, 'Driver', { ...OPTIONS, ports: { driver: 7078, blockManager: 7079 } });
    expect(Testing.synth(chart)[0].spec.ports.map((p: any) => p.name)).toEqual(['driver-rpc', 'blockmanager']);
  });

  // Spark's keys for a client-mode driver in a pod (Spark docs running-on-kubernetes.md, "Client Mode Networking"):
  // executors reach spark.driver.host:spark.driver.port; spark.driver.bindAddress makes the driver listen on every address.
  test('the driver configuration: in-cluster master, client mode, a stable host and fixed ports', () => {
    const conf = clientModeDriverConf(OPTIONS, 'test');
    expect(Object.fromEntries(conf.keys.map((k) => [k, conf.get(k)]))).toEqual({
      'spark.master': IN_CLUSTER_MASTER,
      'spark.submit.deployMode': 'client',
      'spark.kubernetes.namespace': 'spark-jobs',
      'spark.driver.host': 'etl-driver.spark-jobs.svc',
      'spark.driver.bindAddress': '0.0.0.0',
      'spark.driver.port': '7078',
      'spark.blockManager.port': '7079',
      'spark.ui.port': '4040',
    });
    expect(IN_CLUSTER_MASTER).toBe('k8s://https://kubernetes.default.svc:443');
  });

  test('without a UI port, the UI is switched off', () => {
    const conf = clientModeDriverConf({ ...OPTIONS, ports: { driver: 7078, blockManager: 7079 } }, 'test');
    expect(conf.get('spark.ui.enabled')).toBe('false');
    expect(conf.get('spark.ui.port')).toBeUndefined();
  });

  // The kubelet expands $(VAR) in args from the container's env (Kubernetes docs: "Define dependent environment variables").
  test('the driver pod name comes from the downward API and is expanded by the kubelet in an argument', () => {
    expect(driverPodNameEnv()).toEqual({ name: DRIVER_POD_NAME_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(clientModeDriverPodNameArgs()).toEqual(['--conf', `spark.kubernetes.driver.pod.name=$(${DRIVER_POD_NAME_ENV})`]);
  });
});
