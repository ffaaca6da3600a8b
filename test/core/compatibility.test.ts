// Each row of the compatibility table, asserted on the constructs that
// consult it: accepted inside its range, refused outside with the range.
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Size, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { TARGETS, withTable } from '../../scripts/gen-compatibility-docs';
import {
  ClusterNetwork, Compatibility, EventLogStore, HistoryLocalStore, HiveMetastore, KubeadmClusterPrereqs, PackageRepository, SparkApplication,
  SparkApplicationType, SparkConf, SparkHistoryServer, SparkImage, SparkImageFacts, SparkOperator, SparkOperatorInstall,
  SparkStandaloneCluster, SparkStandaloneSubmit, SparkSubmitJob, SparkThriftServer, SparkTuning, StandaloneAuthentication, ZeppelinNotebook,
} from '../../src';
import { OPERATOR_RELEASES, ZEPPELIN_MIN, zeppelinRows } from '../../src/core/compatibility-apps';
import { containerdMinimums, kubeadmApiVersion, KUBERNETES_MINORS } from '../../src/core/compatibility-kubernetes';
import { officialSparkReleases, SPARK_FEATURES, SPARK_RELEASES, SparkFeatureFacts } from '../../src/core/compatibility-spark';
import { CDK8S_PLUS_LINES_TESTED, TOOLCHAIN_MINIMUMS } from '../../src/core/compatibility-toolchain';
import { OFFICIAL_SPARK_IMAGE_TAGS } from '../../src/imports/spark-docker/image-tags';

const ROOT = path.join(__dirname, '..', '..');

/** An image of our own registry carrying Spark `version` (the official list does not limit it). */
const ownImage = (version: string) => SparkImage.of({
  repository: 'registry.example.com/data/spark', tag: version, facts: SparkImageFacts.fromApacheImage({ python: true, hadoopAws: true }),
});

/** A patch release just below `version` (`3.1.0` → `3.0.99`). */
function justBelow(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  return minor > 0 ? `${major}.${minor - 1}.99` : `${major - 1}.99.99`;
}

function application(image: SparkImage, conf: { [key: string]: string } = {}) {
  const chart = new Chart(Testing.app(), 'test');
  return new SparkApplication(chart, 'Pi', {
    type: SparkApplicationType.SCALA,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    image,
    sparkConf: SparkConf.of(conf),
  });
}

describe('Spark releases', () => {
  test(`every Spark construct takes Spark ${SPARK_RELEASES}`, () => {
    expect(() => application(ownImage(SPARK_RELEASES.min))).not.toThrow();
    expect(() => application(ownImage('4.9.9'))).not.toThrow();
    for (const version of [justBelow(SPARK_RELEASES.min), '2.4.8', '1.6.3', SPARK_RELEASES.below!]) {
      expect(() => ownImage(version)).toThrow(`SparkImage: invalid sparkVersion "${version}": a Spark release ${SPARK_RELEASES}`);
    }
  });

  // A spark.* key Spark does not know is kept and never read: the table's keys are
  // refused below the release that introduced them, on every construct that
  // renders a Spark configuration.
  const features = Object.entries(SPARK_FEATURES) as Array<[string, SparkFeatureFacts]>;
  // The standalone cluster takes any key in its configuration (the jobs refuse those their typed props set).
  const standalone = (image: SparkImage, conf: { [key: string]: string } = {}) => {
    const chart = new Chart(Testing.app(), 'test');
    return new SparkStandaloneCluster(chart, 'Standalone', {
      image,
      sparkConf: SparkConf.of(conf),
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
    });
  };
  test.each(features)('feature %s: its keys from its first release on', (_name, feature) => {
    for (const key of feature.keys) {
      expect(() => standalone(ownImage(feature.since), { [key]: '1' })).not.toThrow();
      if (feature.since === SPARK_RELEASES.min) {
        // Every release the constructs accept has it.
        expect(() => ownImage(justBelow(feature.since))).toThrow('invalid sparkVersion');
        continue;
      }
      const older = justBelow(feature.since);
      expect(() => standalone(ownImage(older), { [key]: '1' })).toThrow(
        `test/Standalone: invalid Spark conf key "${key}" (set by SparkConf) "Spark ${older}": Spark ${feature.since} or later, where ${key} exists`);
    }
  });

  test('the jobs on a standalone cluster check their configuration against the cluster\'s image', () => {
    const cluster = standalone(ownImage('3.0.3'));
    expect(() => new SparkStandaloneSubmit(cluster, 'Job', {
      cluster,
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      sparkConf: SparkConf.of({ 'spark.decommission.enabled': 'true' }),
    })).toThrow('test/Standalone/Job: invalid Spark conf key "spark.decommission.enabled" (set by SparkConf) "Spark 3.0.3": Spark 3.1.0 or later');
  });

  test('the jobs and the history server check their configuration the same way', () => {
    expect(() => application(ownImage('3.0.3'), { 'spark.decommission.enabled': 'true' }))
      .toThrow('test/Pi: invalid Spark conf key "spark.decommission.enabled" (set by SparkConf) "Spark 3.0.3": Spark 3.1.0 or later');
    const chart = new Chart(Testing.app(), 'test');
    const store = EventLogStore.s3({ bucket: 'spark-logs' });
    expect(() => new SparkHistoryServer(chart, 'History', {
      store, image: ownImage('3.0.3'), sparkConf: SparkConf.of({ 'spark.decommission.enabled': 'true' }),
    })).toThrow('test/History: invalid Spark conf key "spark.decommission.enabled" (set by SparkConf) "Spark 3.0.3": Spark 3.1.0 or later');
  });

  test('typed props that need a newer release name the prop', () => {
    expect(() => new SparkApplication(new Chart(Testing.app(), 'test'), 'Pi', {
      type: SparkApplicationType.PYTHON,
      mainApplicationFile: 'local:///opt/app/main.py',
      image: ownImage('3.0.3'),
      deps: { archives: ['s3a://deps/env.tar.gz#env'] },
    })).toThrow('test/Pi: invalid deps.archives "Spark 3.0.3": Spark 3.1.0 or later for archives unpacked into the working directory');
    expect(() => new SparkSubmitJob(new Chart(Testing.app(), 'test'), 'Pi', {
      type: SparkApplicationType.PYTHON,
      mainApplicationFile: 'local:///opt/app/main.py',
      image: ownImage('3.0.3'),
      deps: { archives: ['local:///opt/env.tar.gz#env'] },
    })).toThrow('test/Pi: invalid deps.archives "Spark 3.0.3"');
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new SparkHistoryServer(chart, 'History', {
      store: EventLogStore.s3({ bucket: 'spark-logs' }),
      image: ownImage('3.0.3'),
      localStore: HistoryLocalStore.emptyDir({ hybrid: true }),
    })).toThrow('test/History: invalid localStore.hybrid "Spark 3.0.3": Spark 3.1.0 or later for the history server\'s hybrid store');
    const thrift = (image: SparkImage) => new SparkThriftServer(new Chart(Testing.app(), 'test'), 'Sql', {
      metastore: HiveMetastore.thrift('thrift://hive-metastore.hive.svc:9083'),
      warehouseDir: 'hdfs://namenode.hadoop.svc:8020/warehouse',
      image,
      adaptiveExecution: { minPartitionSize: Size.mebibytes(1) },
    });
    expect(() => thrift(ownImage('3.2.0'))).not.toThrow();
    expect(() => thrift(ownImage('3.1.3'))).toThrow(
      'test/Sql: invalid Spark conf key "spark.sql.adaptive.coalescePartitions.minPartitionSize" (set by adaptiveExecution) "Spark 3.1.3": Spark 3.2.0 or later');
    // SparkTuning's keys reach a job through addSparkConf, and are checked there.
    const job = application(ownImage('3.1.3'));
    const tuning = SparkTuning.adaptiveExecutionConf({ minPartitionSize: Size.mebibytes(1) });
    const key = 'spark.sql.adaptive.coalescePartitions.minPartitionSize';
    expect(() => job.addSparkConf(key, tuning.get(key)!))
      .toThrow('Spark 3.2.0 or later, where spark.sql.adaptive.coalescePartitions.minPartitionSize exists');
  });

  test('memory overhead factors: per role from 3.3.0, the Kubernetes-wide key before', () => {
    const submitConf = (version: string) => {
      const chart = new Chart(Testing.app(), 'test');
      new SparkSubmitJob(chart, 'Pi', {
        type: SparkApplicationType.SCALA,
        mainClass: 'org.apache.spark.examples.SparkPi',
        mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
        image: ownImage(version),
        memoryOverheadFactor: 0.2,
      });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(submitConf(SPARK_FEATURES.perRoleMemoryOverheadFactor.since)).toContain('spark.executor.memoryOverheadFactor=0.2');
    expect(submitConf(justBelow(SPARK_FEATURES.perRoleMemoryOverheadFactor.since))).toContain('spark.kubernetes.memoryOverheadFactor=0.2');
    expect(submitConf(justBelow(SPARK_FEATURES.perRoleMemoryOverheadFactor.since))).not.toContain('spark.executor.memoryOverheadFactor');
  });
});

describe('apache/spark images', () => {
  // apache/spark-docker versions.json: every release has a plain tag (Python), `-r` and `-scala` tags.
  test.each(officialSparkReleases().map((v) => [v]))('apache/spark %s exists with Python, R and JVM-only tags', (version) => {
    const plain = SparkImage.apache(version);
    expect([plain.facts.python, plain.facts.r, plain.facts.hadoopAws, plain.facts.passwdUids]).toEqual([true, false, false, [185]]);
    const r = SparkImage.apache(version, { tag: `${version}-r` });
    expect([r.facts.python, r.facts.r]).toEqual([false, true]);
    const jvm = SparkImage.apache(version, { tag: `${version}-scala` });
    expect([jvm.facts.python, jvm.facts.r]).toEqual([false, false]);
  });

  test('every listed tag gives the facts of its variant', () => {
    for (const [tag, image] of Object.entries(OFFICIAL_SPARK_IMAGE_TAGS)) {
      const facts = SparkImage.of({ repository: 'docker.io/apache/spark', tag }).facts;
      expect([tag, facts.python, facts.r]).toEqual([tag, image.python, image.r]);
    }
  });

  test('releases without an official image are refused; later patch releases are not known yet, so they pass', () => {
    // 3.3.2: Dockerfiles were added, but versions.json never listed (published) it.
    for (const version of ['3.0.3', '3.1.3', '3.2.4', '3.3.2']) {
      expect(() => SparkImage.apache(version)).toThrow(`SparkImage: invalid sparkVersion "${version}": a Spark release apache/spark publishes images for: 3.3.0`);
    }
    expect(SparkImage.apache('4.1.9').facts.python).toBe(true);
    expect(SparkImage.apache('3.5.9', { tag: '3.5.9-java17-r' }).facts.r).toBe(true);
    expect(() => SparkImage.apache('3.5.7', { tag: '3.5.7-gpu' }))
      .toThrow('SparkImage: invalid tag "3.5.7-gpu": a tag apache/spark publishes for Spark 3.5.7, e.g. "3.5.7" (with Python)');
    expect(() => SparkImage.of({ repository: 'apache/spark', tag: '3.5.7', sparkVersion: '3.5.6' }))
      .toThrow('SparkImage: invalid sparkVersion "3.5.6": the Spark release of apache/spark:3.5.7, 3.5.7');
  });

  test('a PySpark job needs Python in its image, a SparkR job R', () => {
    const job = (type: SparkApplicationType, image: SparkImage) => new SparkApplication(new Chart(Testing.app(), 'test'), 'App', {
      type, mainApplicationFile: type === SparkApplicationType.R ? 'local:///opt/app/main.R' : 'local:///opt/app/main.py', image,
    });
    expect(() => job(SparkApplicationType.PYTHON, SparkImage.apache('3.5.7'))).not.toThrow();
    expect(() => job(SparkApplicationType.PYTHON, SparkImage.apache('3.5.7', { tag: '3.5.7-r' })))
      .toThrow('test/App: invalid image "docker.io/apache/spark:3.5.7-r": an image with Python 3 and PySpark (the application is a PySpark application): this image lacks it');
    expect(() => job(SparkApplicationType.R, SparkImage.apache('3.5.7', { tag: '3.5.7-r' }))).not.toThrow();
    expect(() => job(SparkApplicationType.R, SparkImage.apache('3.5.7')))
      .toThrow('test/App: invalid image "docker.io/apache/spark:3.5.7": an image with R and SparkR (the application is a SparkR application): this image lacks it');
    expect(() => job(SparkApplicationType.PYTHON, SparkImage.of({
      repository: 'registry.example.com/spark',
      tag: '3.5.7',
      facts: SparkImageFacts.fromApacheImage(),
    })))
      .toThrow('this image does not declare it');
  });
});

describe('Spark operator image', () => {
  const install = (image: string) => new SparkOperatorInstall(new Chart(Testing.app(), 'ops'), 'Operator', { image });
  test(`the operator image is a release ${OPERATOR_RELEASES}`, () => {
    for (const tag of [OPERATOR_RELEASES.min, '2.5.2', 'v2.5.1', '2.5.3-rc.1']) {
      expect(() => install(`ghcr.io/kubeflow/spark-operator/controller:${tag}`)).not.toThrow();
    }
    // kubeflow/spark-operator: 1.x tags such as v1beta2-1.3.8-3.1.1 take other flags; 2.4 and 2.6 are other releases.
    for (const image of ['ghcr.io/kubeflow/spark-operator/controller:2.4.0', `ghcr.io/kubeflow/spark-operator/controller:${OPERATOR_RELEASES.below}`,
      'ghcr.io/kubeflow/spark-operator:v1beta2-1.3.8-3.1.1', 'registry.example.com/spark-operator:stable',
      `ghcr.io/kubeflow/spark-operator/controller@sha256:${'a'.repeat(64)}`]) {
      expect(() => install(image)).toThrow(`ops/Operator: invalid image "${image}": a Spark operator image tagged with its release, ${OPERATOR_RELEASES}`);
    }
  });
});

describe('an existing Spark operator', () => {
  test(`its release is ${OPERATOR_RELEASES}`, () => {
    const existing = (release: string) => SparkOperator.fromExisting(new Chart(Testing.app(), 'ops'), 'Operator',
      { release, watchAllNamespaces: true });
    expect(() => existing('2.5.2')).not.toThrow();
    expect(() => existing('v2.5.0')).not.toThrow();
    for (const release of ['2.4.0', OPERATOR_RELEASES.below!, 'v1beta2-1.3.8-3.1.1', 'latest']) {
      expect(() => existing(release)).toThrow(`ops/Operator: invalid release "${release}": a Spark operator release ${OPERATOR_RELEASES}`);
    }
  });
});

describe('Zeppelin ↔ Spark', () => {
  const notebook = (zeppelin: string, spark: string) => {
    const chart = new Chart(Testing.app(), 'test');
    const cluster = new SparkStandaloneCluster(chart, 'Cluster', {
      image: ownImage(spark),
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
    });
    return new ZeppelinNotebook(chart, 'Notebook', { cluster, image: `docker.io/apache/zeppelin:${zeppelin}` });
  };
  test.each(zeppelinRows().map((row) => [row.zeppelin.toString(), row]))('Zeppelin %s', (_name, row) => {
    expect(() => notebook(row.zeppelin.min, row.spark.min)).not.toThrow();
    if (row.spark.min !== SPARK_RELEASES.min) {
      expect(() => notebook(row.zeppelin.min, justBelow(row.spark.min))).toThrow(`Zeppelin ${row.zeppelin.min} runs Spark ${row.spark}`);
    }
    if (row.spark.below !== SPARK_RELEASES.below) {
      expect(() => notebook(row.zeppelin.min, row.spark.below!)).toThrow(`Zeppelin ${row.zeppelin.min} runs Spark ${row.spark}`);
    }
  });
  test(`Zeppelin before ${ZEPPELIN_MIN} is refused`, () => {
    expect(() => notebook(justBelow(ZEPPELIN_MIN).replace(/^-1/, '0'), '3.0.3')).toThrow(`a Zeppelin release ${ZEPPELIN_MIN} or later`);
    expect(() => notebook('0.8.2', '3.0.3')).toThrow(`a Zeppelin release ${ZEPPELIN_MIN} or later`);
  });
});

describe('Kubernetes', () => {
  const prereqs = (kubernetesVersion: string, packageRepository?: PackageRepository) => {
    const chart = new Chart(Testing.app(), 'cluster');
    const network = new ClusterNetwork(chart, 'Network', {});
    return new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion, packageRepository });
  };
  const minors: number[] = [];
  for (let minor = KUBERNETES_MINORS.min; minor <= KUBERNETES_MINORS.max; minor++) minors.push(minor);

  test.each(minors.map((m) => [m]))('Kubernetes 1.%i: kubeadm API, containerd and packages', (minor) => {
    const nodes = prereqs(`1.${minor}.0`);
    expect(nodes.kubeadmApiVersion).toBe(kubeadmApiVersion(minor));
    expect(nodes.kubeadmConfig).toContain(`apiVersion: ${kubeadmApiVersion(minor)}\n`);
    expect(nodes.prepareNodeScript).toContain(`readonly -a CONTAINERD_MINIMUMS=(${containerdMinimums(minor).map((v) => `'${v}'`).join(' ')})`);
    expect(nodes.prepareNodeScript).toContain(`readonly K8S_DEB_URL='https://pkgs.k8s.io/core:/stable:/v1.${minor}/deb/'`);
    const mirror = (m: number) => PackageRepository.mirror({
      debUrl: `https://nexus.example.com/k8s/v1.${m}/deb/`, rpmUrl: `https://nexus.example.com/k8s/v1.${m}/rpm/`,
    });
    expect(() => prereqs(`1.${minor}.0`, mirror(minor))).not.toThrow();
    const other = minor === KUBERNETES_MINORS.min ? minor + 1 : minor - 1;
    expect(() => prereqs(`1.${minor}.0`, mirror(other))).toThrow(
      `cluster/Nodes: invalid packageRepository.debUrl "https://nexus.example.com/k8s/v1.${other}/deb/": a repository of Kubernetes 1.${minor}`);
  });

  test('releases outside the table are refused', () => {
    for (const version of [`1.${KUBERNETES_MINORS.min - 1}.9`, `1.${KUBERNETES_MINORS.max + 1}.0`]) {
      expect(() => prereqs(version)).toThrow(`cluster/Nodes: invalid kubernetesVersion "${version}"`);
    }
  });
});

describe('the toolchain', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  test('the rows state what package.json requires of an app', () => {
    expect(pkg.peerDependencies).toEqual({
      'cdk8s': `^${TOOLCHAIN_MINIMUMS.cdk8s}`,
      'cdk8s-plus-28': `^${TOOLCHAIN_MINIMUMS.cdk8sPlus28}`,
      'constructs': `^${TOOLCHAIN_MINIMUMS.constructs}`,
    });
    expect(pkg.engines.node).toBe(`>= ${TOOLCHAIN_MINIMUMS.node}`);
    const rows = Compatibility.rows();
    expect(rows).toContainEqual(expect.objectContaining({ component: 'cdk8s (peer dependency)', releases: `≥ ${TOOLCHAIN_MINIMUMS.cdk8s}, < 3.0.0` }));
    expect(rows).toContainEqual(expect.objectContaining({ component: 'Node.js', releases: `≥ ${TOOLCHAIN_MINIMUMS.node}` }));
  });

  test('each cdk8s-plus line said to be tested is the one installed for the tests', () => {
    for (const { line, release } of CDK8S_PLUS_LINES_TESTED) {
      const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', line, 'package.json'), 'utf8')).version;
      expect(`${line} ${installed}`).toBe(`${line} ${release}`);
    }
  });
});

describe('the table in the docs', () => {
  test.each(TARGETS)('%s carries the table as Compatibility.toMarkdown() renders it', (file, prefix) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(withTable(text, Compatibility.toMarkdown(), prefix)).toBe(text);
  });

  test('API.md carries every row', () => {
    const api = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
    for (const row of Compatibility.rows()) {
      expect(api).toContain(`| ${row.component} | ${row.releases} |`);
    }
  });

  test('one row per Spark feature, official image list, operator, Zeppelin row and Kubernetes minor', () => {
    const rows = Compatibility.rows();
    expect(rows.length).toBe(1 + Object.keys(SPARK_FEATURES).length + 1 + 1 + 1 + zeppelinRows().length
      + (KUBERNETES_MINORS.max - KUBERNETES_MINORS.min + 1) + 5);
    expect(Compatibility.toMarkdown().split('\n').length).toBe(rows.length + 2);
  });
});
