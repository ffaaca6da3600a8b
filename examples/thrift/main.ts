// A Spark SQL endpoint for BI tools and beeline: the Spark Thrift server
// (HiveServer2 protocol) as a client-mode driver in a Deployment, executors
// created on demand through the Kubernetes API, tables in a MySQL-backed
// Hive metastore, event logs on a shared volume for the history server.
import { App, Chart, Duration, Size } from 'cdk8s';
import { k8s, PersistentVolumeAccessMode, PersistentVolumeClaim, Secret } from 'cdk8s-plus-28';
import {
  ClusterStorage, EventLogStore, HiveMetastore, SparkHistoryServer, SparkImage, SparkMemory, SparkThriftServer, StandardLabels,
  StorageClassRef,
} from '../../src';

export const NAMESPACE = 'analytics';
const SPARK = SparkImage.apache('4.0.4');

export function buildApp(app: App = new App()): App {
  const chart = new Chart(app, 'thrift', { namespace: NAMESPACE });

  new k8s.KubeNamespace(chart, 'Namespace', {
    metadata: {
      name: NAMESPACE,
      labels: {
        ...StandardLabels.of(chart, { name: NAMESPACE, component: 'namespace' }).all(),
        'pod-security.kubernetes.io/enforce': 'restricted',
      },
    },
  });

  // The metastore database password lives outside Git, in a Secret created once:
  //   kubectl -n analytics create secret generic hive-metastore-db --from-literal=password='...'
  const metastoreDb = Secret.fromSecretName(chart, 'MetastoreDb', 'hive-metastore-db');

  // Event logs on a ReadWriteMany volume, which a history server mounts too. ReadWriteMany
  // needs a shared file system: this cluster has an NFS provisioner's class (node-local
  // classes such as local-path serve ReadWriteOnce only).
  const sharedFs = StorageClassRef.existing('nfs-client');
  ClusterStorage.declare(chart, sharedFs);
  const eventLogs = new PersistentVolumeClaim(chart, 'EventLogs', {
    metadata: { name: 'spark-event-logs' },
    accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY],
    storage: Size.gibibytes(20),
    storageClassName: sharedFs.storageClassName,
  });

  const store = EventLogStore.pvc({ claim: eventLogs });

  const sql = new SparkThriftServer(chart, 'SparkSql', {
    name: 'spark-sql',
    image: SPARK,
    // Managed tables on the cluster's HDFS, where every executor and the next
    // driver pod find them (the Apache image reads hdfs:// without extra jars).
    warehouseDir: 'hdfs://namenode.hadoop.svc:8020/warehouse',
    metastore: HiveMetastore.jdbc({
      url: 'jdbc:mysql://mysql.metastore.svc:3306/hive?useSSL=true',
      driver: 'com.mysql.cj.jdbc.Driver',
      user: 'hive',
      password: { secret: metastoreDb, key: 'password' },
      // The Apache image has no MySQL driver: fetched at start. A jar baked
      // into the image ('local:///opt/spark/extra/mysql-connector-j.jar') goes
      // onto the JVM class path instead.
      driverJar: 'https://repo1.maven.org/maven2/com/mysql/mysql-connector-j/8.4.0/mysql-connector-j-8.4.0.jar',
    }),
    driver: { memory: SparkMemory.gibibytes(4) },
    executor: { cores: 2, memory: SparkMemory.gibibytes(4) },
    adaptiveExecution: {
      coalescePartitions: true,
      skewJoin: true,
      advisoryPartitionSize: Size.mebibytes(128),
    },
    dynamicAllocation: {
      minExecutors: 1,
      initialExecutors: 2,
      maxExecutors: 10,
      executorIdleTimeout: Duration.seconds(60),
    },
    eventLog: store,
    // BI tools outside the cluster connect to any node on this port.
    nodePort: 30100,
  });

  // Clients in the cluster read the endpoint from here (envFrom or a mounted
  // file): jdbc:hive2://spark-sql.analytics.svc:10000/default
  new k8s.KubeConfigMap(chart, 'Connection', {
    metadata: { name: 'spark-sql-connection' },
    data: { JDBC_URL: sql.jdbcUrl },
  });

  // The server's queries, as applications in the history server (rolling logs
  // are compacted while the server runs).
  new SparkHistoryServer(chart, 'History', { store, image: SPARK });

  return app;
}

if (require.main === module) {
  buildApp().synth();
}
