// Issue #15, breaker 3: images built by SparkImageBuildScript had no passwd
// entry for uid 185. Spark's distribution Dockerfile
// (apache/spark resource-managers/kubernetes/docker/src/main/dockerfiles/spark/Dockerfile)
// creates no user; its entrypoint.sh appends one only while /etc/passwd is
// writable, which runAsGroup 185 and a read-only root filesystem prevent, so
// Hadoop's login fails ("invalid null input: name").
//
// The generated build script runs here with a stand-in docker that records
// every build; the recorded Dockerfiles are then applied to a stand-in of the
// distribution's image (test/harness/fake-image.ts), and the pod's identity
// comes from what the library emits for the history server.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { EventLogStore, SparkHistoryServer, SparkImage, SparkImageBuildScript, SparkImageFacts } from '../../src';
import {
  applyDockerfile, distributionImage, entrypointPasswd, FakeImage, groupEntry, hadoopLogin, parseDockerfile, passwdEntry, RunContext,
} from '../harness/fake-image';

interface Build {
  readonly tag: string;
  readonly dockerfile: string;
  readonly buildArgs: { [name: string]: string };
}

/** A docker that records each build: tag, build arguments and the Dockerfile's text. */
const RECORDING_DOCKER = `#!/bin/bash
[[ $1 == build ]] || exit 0
shift
tag='' file='' args=()
while (($#)); do
  case $1 in
    -t) tag=$2; shift ;;
    -f) file=$2; shift ;;
    --build-arg) args+=("$2"); shift ;;
  esac
  shift
done
{
  printf '=== %s\\n' "$tag"
  printf 'arg %s\\n' "\${args[@]}"
  printf -- '---\\n'
  cat "$file"
  printf '\\n'
} >>"$BUILD_LOG"
`;

function parseBuilds(log: string): Build[] {
  return log.split(/^=== /m).filter((b) => b.trim() !== '').map((block) => {
    const [head, ...rest] = block.split(/^---\n/m);
    const [tag, ...argLines] = head.trim().split('\n');
    const buildArgs: { [name: string]: string } = {};
    for (const line of argLines) {
      const [name, ...value] = line.replace(/^arg /, '').split('=');
      buildArgs[name] = value.join('=');
    }
    return { tag, dockerfile: rest.join('---\n'), buildArgs };
  });
}

/** The identity of the history server's container, as the library emits it. */
function historyServerContext(image: SparkImage): RunContext {
  const chart = new Chart(Testing.app(), 'h');
  new SparkHistoryServer(chart, 'History', { store: EventLogStore.hdfs('hdfs://namenode:8020/spark-logs'), image });
  const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const sc = { ...pod.securityContext, ...container.securityContext };
  return {
    uid: sc.runAsUser,
    gid: sc.runAsGroup,
    groups: pod.securityContext.fsGroup !== undefined ? [pod.securityContext.fsGroup] : [],
    readOnlyRootFilesystem: container.securityContext.readOnlyRootFilesystem === true,
  };
}

describe('images built by SparkImageBuildScript, in a stand-in of the distribution image', () => {
  let dir: string;
  let built: FakeImage;
  let builds: Build[];
  const chart = new Chart(new App(), 'images');
  const images = new SparkImageBuildScript(chart, 'Build');

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-runtime-'));
    const dist = path.join(dir, 'spark-4.0.4-bin-hadoop3');
    for (const d of ['jars', 'python/lib', 'R', 'kubernetes/dockerfiles/spark/bindings/python', 'kubernetes/dockerfiles/spark/bindings/R']) {
      fs.mkdirSync(path.join(dist, d), { recursive: true });
    }
    for (const f of ['jars/spark-core_2.13-4.0.4.jar', 'kubernetes/dockerfiles/spark/Dockerfile',
      'kubernetes/dockerfiles/spark/bindings/python/Dockerfile', 'kubernetes/dockerfiles/spark/bindings/R/Dockerfile']) {
      fs.writeFileSync(path.join(dist, f), '');
    }
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'docker'), RECORDING_DOCKER, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'build.sh'), images.script, { mode: 0o755 });
    const log = path.join(dir, 'builds.log');
    const r = spawnSync('bash', [path.join(dir, 'build.sh'), '--no-push', dist], {
      encoding: 'utf8', env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, BUILD_LOG: log },
    });
    expect(r.stderr).toContain('done');
    expect(r.status).toBe(0);
    builds = parseBuilds(fs.readFileSync(log, 'utf8'));

    // The first build is the distribution's own Dockerfile; every later build
    // of the JVM image, or on top of it, is applied in order.
    expect(builds[0].dockerfile.trim()).toBe('');
    built = distributionImage(path.join(dir, 'image'));
    for (const b of builds.slice(1).filter((x) => x.tag === images.jvmImage.reference)) {
      applyDockerfile(built, b.dockerfile, b.buildArgs, path.join(dir, 'stubs'));
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the stand-in reproduces the failure: the distribution image alone, run as the library runs it', () => {
    const bare = distributionImage(path.join(dir, 'bare'));
    // (The identity the library gives any image with a declared user for uid 185.)
    const ctx = historyServerContext(SparkImage.of({
      repository: 'registry.example.com/spark', tag: '4.0.4', facts: SparkImageFacts.of({ passwdUids: [185] }),
    }));
    expect(ctx).toEqual({ uid: 185, gid: 185, groups: [185], readOnlyRootFilesystem: true });
    expect(entrypointPasswd(bare, ctx)).toBe('Container ENTRYPOINT failed to add passwd entry for anonymous UID');
    expect(() => hadoopLogin(bare, 185)).toThrow('invalid null input: name');
    // In the root group with a writable root filesystem the entrypoint can add the entry.
    const lenient = distributionImage(path.join(dir, 'lenient'));
    expect(entrypointPasswd(lenient, { uid: 185, gid: 0, groups: [], readOnlyRootFilesystem: false })).toBeUndefined();
    expect(hadoopLogin(lenient, 185)).toBe('185');
  });

  test('the built JVM image has user and group 185 with a home, so Hadoop\'s login works under runAsGroup and a read-only root', () => {
    const ctx = historyServerContext(images.jvmImage);
    expect(entrypointPasswd(built, ctx)).toBeUndefined();
    expect(hadoopLogin(built, ctx.uid)).toBe('spark');
    expect(passwdEntry(built, 185)).toEqual(['spark', 'x', '185', '185', '', '/home/spark', '/usr/sbin/nologin']);
    expect(groupEntry(built, 185)).toEqual(['spark', 'x', '185', '']);
    expect(fs.readFileSync(path.join(built.root, '.owners'), 'utf8')).toBe('/home/spark 185:185\n');
  });

  test('the built image has curl for the SparkSubmitJob wrapper', () => {
    expect(fs.existsSync(path.join(built.root, 'usr', 'bin', 'curl'))).toBe(true);
  });

  test('the PySpark and R images are built on the layered JVM image', () => {
    const onTop = builds.filter((b) => b.tag !== images.jvmImage.reference && b.buildArgs.base_img !== undefined);
    expect(onTop.map((b) => [b.tag, b.buildArgs.base_img])).toEqual([
      [images.pythonImage!.reference, images.jvmImage.reference],
      [images.rImage!.reference, images.jvmImage.reference],
    ]);
  });

  test('the facts the built images declare are those of the stand-in', () => {
    for (const image of images.images) {
      expect(image.facts.passwdUids).toEqual([185]);
      expect(image.facts.curl).toBe(true);
      expect(image.facts.hadoopAws).toBe(false);
    }
    expect(passwdEntry(built, images.jvmImage.uid)).toBeDefined();
  });

  test('the layer\'s RUN is plain sh (the base image\'s /bin/sh may not be bash) and passes shellcheck', () => {
    const { runs } = parseDockerfile(images.runtimeLayerDockerfile);
    expect(runs).toHaveLength(1);
    const r = spawnSync('shellcheck', ['-s', 'sh', '-S', 'style', '--norc', '-'], {
      // The ARG sets spark_uid for the RUN.
      input: `#!/bin/sh\nspark_uid=185\n${runs[0]}\n`, encoding: 'utf8',
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('a uid other than 185 gets its own user', () => {
    const other = new SparkImageBuildScript(new Chart(new App(), 'o'), 'Build', {
      image: SparkImage.of({ repository: 'docker.io/team/spark', tag: '4.0.4', uid: 1001 }),
    });
    expect(other.script).toContain("readonly SPARK_UID='1001'");
    const image = distributionImage(path.join(dir, 'uid1001'));
    applyDockerfile(image, other.runtimeLayerDockerfile, { spark_uid: '1001' }, path.join(dir, 'stubs'));
    expect(hadoopLogin(image, 1001)).toBe('spark');
    expect(other.jvmImage.facts.passwdUids).toEqual([1001]);
  });
});
