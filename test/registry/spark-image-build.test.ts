import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ImagePullPolicy, Secret } from 'cdk8s-plus-28';
import {
  ClusterStorage, ImageRegistryOverride, RegistryMirror, RegistryTls, RegistryUpstream, SparkImage, SparkImageBuildScript, SparkImageBuildScriptProps,
  SparkImageVariant, StorageClassRef,
} from '../../src';
import { synthValid } from '../harness/manifests';
import { checkScript } from '../harness/scripts';

function build(props: SparkImageBuildScriptProps = {}, chart: Chart = new Chart(Testing.app(), 'images')) {
  const registry = new RegistryMirror(chart, 'Registry', {
    tls: RegistryTls.fromSecret(Secret.fromSecretName(chart, 'Tls', 'registry-tls')), clusterIp: '10.96.0.60',
  });
  const script = new SparkImageBuildScript(chart, 'Build', { registry, ...props });
  return { chart, registry, script };
}

describe('SparkImageBuildScript', () => {
  test('defaults', () => {
    const chart = new Chart(Testing.app(), 'images');
    const script = new SparkImageBuildScript(chart, 'Build');
    expect(synthValid(chart)).toEqual([]);
    expect(script.script).toMatchSnapshot();
  });

  test('the script passes bash -n, shellcheck and shfmt', () => {
    checkScript(build({ buildArgs: { java_image_tag: '21-jre' } }).script.script, 'build-spark-images.sh');
  });

  test('images go to the private registry under their repository path, tags from the SparkImage', () => {
    const pull = Secret.fromSecretName(Testing.chart(), 'Pull', 'registry-pull');
    const { script } = build({
      image: SparkImage.of({ repository: 'docker.io/team/spark', tag: '3.5.7-team1', sparkVersion: '3.5.7', uid: 1001 }),
      pullSecrets: [pull],
    });
    expect(script.images.map((i) => i.reference)).toEqual([
      '10.96.0.60:5000/team/spark:3.5.7-team1',
      '10.96.0.60:5000/team/spark-py:3.5.7-team1',
      '10.96.0.60:5000/team/spark-r:3.5.7-team1',
    ]);
    for (const image of script.images) {
      expect(image.sparkVersion).toBe('3.5.7');
      expect(image.uid).toBe(1001);
      expect(image.pullSecrets).toEqual([pull]);
    }
    expect(script.script).toContain("readonly SPARK_VERSION='3.5.7'\nreadonly SPARK_UID='1001'\n"
      + "readonly JVM_IMAGE='10.96.0.60:5000/team/spark:3.5.7-team1'\n");
  });

  test('without a registry: the image as resolved at this scope; variants; build arguments', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'images');
    ImageRegistryOverride.apply(chart, ImageRegistryOverride.mirror('harbor.lab', { pathPrefix: 'spark' }));
    const script = new SparkImageBuildScript(chart, 'Build', {
      image: SparkImage.apache('4.0.4', { pullPolicy: ImagePullPolicy.ALWAYS }),
      variants: [SparkImageVariant.JVM, SparkImageVariant.PYTHON],
      buildArgs: { java_image_tag: '21-jre', base_os: 'jammy' },
      path: 'build/images.sh',
    });
    expect(script.jvmImage.reference).toBe('harbor.lab/spark/apache/spark:4.0.4');
    expect(script.pythonImage?.reference).toBe('harbor.lab/spark/apache/spark-py:4.0.4');
    expect(script.pythonImage?.pullPolicy).toBe(ImagePullPolicy.ALWAYS);
    expect(script.rImage).toBeUndefined();
    expect(script.script).toContain("readonly R_IMAGE=''\nreadonly -a EXTRA_BUILD_ARGS=('base_os=jammy' 'java_image_tag=21-jre')\n");
    app.synth();
    const file = path.join(app.outdir, 'build', 'images.sh');
    expect(fs.readFileSync(file, 'utf8')).toBe(script.script);
    expect(fs.statSync(file).mode % 0o1000).toBe(0o755);
  });

  describe('bad input', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    test.each<[string, () => unknown, string]>([
      ['an image with a digest', () => build({ image: SparkImage.apache('4.0.4', { digest }) }),
        `images/Build: invalid image "docker.io/apache/spark:4.0.4@${digest}": an image without digest`],
      ['a pull-through cache as the registry', () => {
        const chart = new Chart(Testing.app(), 'images');
        const cache = new RegistryMirror(chart, 'Cache', { tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() } });
        return new SparkImageBuildScript(chart, 'Build', { registry: cache });
      }, 'images/Build: invalid registry "images/Cache": a private registry: a pull-through cache does not accept pushes'],
      ['variants without the JVM image', () => build({ variants: [SparkImageVariant.PYTHON] }),
        'images/Build: invalid variants ["python"]: a list that includes SparkImageVariant.JVM'],
      ['a variant twice', () => build({ variants: [SparkImageVariant.JVM, SparkImageVariant.JVM] }),
        'images/Build: invalid variants[1] "jvm": a variant not listed twice'],
      ['an unknown variant', () => build({ variants: ['go' as SparkImageVariant] }), 'images/Build: invalid variants[0] "go": one of jvm, python, r'],
      ['spark_uid as a build argument', () => build({ buildArgs: { spark_uid: '0' } }), 'images/Build: invalid buildArgs "spark_uid": build argument names'],
      ['a two-line build argument', () => build({ buildArgs: { tag: 'a\nb' } }), 'images/Build: invalid buildArgs.tag "a\\nb": a single-line string'],
      ['a path outside the output directory', () => build({ path: '../build.sh' }),
        'images/Build: invalid path "../build.sh": a relative path ending in .sh'],
    ])('refuses %s', (_name, make, message) => {
      expect(make).toThrow(message);
    });
  });
});

describe('SparkImageBuildScript late changes', () => {
  // The images and the script are derived at construction: a later change fails synth.
  test.each<[string, (props: { variants: SparkImageVariant[]; buildArgs: { [name: string]: string } }) => void, string]>([
    ['a variant pushed', (p) => p.variants.push(SparkImageVariant.R), 'images/Build: variants changed after images/Build was created'],
    ['a build argument added', (p) => { p.buildArgs.base_os = 'jammy'; }, 'images/Build: buildArgs changed after images/Build was created'],
  ])('%s fails synth', (_name, change, message) => {
    const props = { variants: [SparkImageVariant.JVM], buildArgs: { java_image_tag: '21-jre' } };
    const { chart } = build(props);
    ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
    expect(() => Testing.synth(chart)).not.toThrow();
    change(props);
    expect(() => Testing.synth(chart)).toThrow(message);
  });
});

describe('build-spark-images.sh, run with a stand-in docker', () => {
  let dir: string;
  let dist: string;
  let log: string;
  const { script } = build({ buildArgs: { java_image_tag: '21-jre' } }).script;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-build-'));
    dist = path.join(dir, 'spark-4.0.4-bin-hadoop3');
    log = path.join(dir, 'docker.log');
    for (const d of ['jars', 'python/lib', 'R', 'kubernetes/dockerfiles/spark/bindings/python', 'kubernetes/dockerfiles/spark/bindings/R']) {
      fs.mkdirSync(path.join(dist, d), { recursive: true });
    }
    for (const f of ['jars/spark-core_2.13-4.0.4.jar', 'kubernetes/dockerfiles/spark/Dockerfile',
      'kubernetes/dockerfiles/spark/bindings/python/Dockerfile', 'kubernetes/dockerfiles/spark/bindings/R/Dockerfile']) {
      fs.writeFileSync(path.join(dist, f), '');
    }
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'docker'), `#!/bin/sh\necho "$(pwd) $*" >>"${log}"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'build-spark-images.sh'), script, { mode: 0o755 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(...args: string[]) {
    fs.rmSync(log, { force: true });
    const result = spawnSync('bash', [path.join(dir, 'build-spark-images.sh'), ...args], {
      encoding: 'utf8', env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` },
    });
    return { status: result.status, stderr: result.stderr, docker: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [] };
  }

  test('builds JVM, PySpark and R images from the distribution, then pushes them', () => {
    const result = run(dist);
    expect(result.stderr).toContain(`build-spark-images.sh: Spark 4.0.4 distribution: ${dist}`);
    expect(result.status).toBe(0);
    const common = '--build-arg spark_uid=185 --build-arg java_image_tag=21-jre';
    // The runtime layer's Dockerfile sits in a fresh temporary directory, its build context.
    const docker = result.docker.map((c) => c.replace(/ -f (\S+)\/Dockerfile \1$/, ' -f <layer>/Dockerfile <layer>'));
    expect(docker).toEqual([
      `${dist} build ${common} -t 10.96.0.60:5000/apache/spark:4.0.4-distribution -f kubernetes/dockerfiles/spark/Dockerfile .`,
      `${dist} build ${common} --build-arg base_img=10.96.0.60:5000/apache/spark:4.0.4-distribution -t 10.96.0.60:5000/apache/spark:4.0.4 `
        + '-f <layer>/Dockerfile <layer>',
      `${dist} build ${common} --build-arg base_img=10.96.0.60:5000/apache/spark:4.0.4 -t 10.96.0.60:5000/apache/spark-py:4.0.4 `
        + '-f kubernetes/dockerfiles/spark/bindings/python/Dockerfile .',
      `${dist} build ${common} --build-arg base_img=10.96.0.60:5000/apache/spark:4.0.4 -t 10.96.0.60:5000/apache/spark-r:4.0.4 `
        + '-f kubernetes/dockerfiles/spark/bindings/R/Dockerfile .',
      `${dist} push 10.96.0.60:5000/apache/spark:4.0.4`,
      `${dist} push 10.96.0.60:5000/apache/spark-py:4.0.4`,
      `${dist} push 10.96.0.60:5000/apache/spark-r:4.0.4`,
    ]);
  });

  test('--dry-run runs nothing; --no-push only builds', () => {
    const dry = run('--dry-run', dist);
    expect(dry.status).toBe(0);
    expect(dry.docker).toEqual([]);
    expect(dry.stderr).toContain('dry-run: would run: docker push 10.96.0.60:5000/apache/spark-r:4.0.4');
    expect(dry.stderr).toContain('done (dry run): nothing built or pushed');
    const buildOnly = run('--no-push', '--builder', 'docker', dist);
    expect(buildOnly.status).toBe(0);
    expect(buildOnly.docker.filter((c) => c.includes(' push '))).toEqual([]);
    expect(buildOnly.docker).toHaveLength(4);
  });

  // The arguments are parsed from a table by the shared library's parse_options.
  test.each<[string, () => string[], string]>([
    ['an unknown option', () => ['--bogus', dist], "error: unknown argument '--bogus' (see --help)"],
    ['two distributions', () => [dist, dist], 'error: one Spark distribution directory only (see --help)'],
    ['--builder without a value', () => ['--builder'], 'error: --builder needs a value'],
  ])('refuses %s', (_name, args, message) => {
    const result = run(...args());
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.docker).toEqual([]);
  });

  test('refuses a distribution of another Spark version, a missing binding, bad arguments', () => {
    const other = path.join(dir, 'spark-3.5.7');
    fs.cpSync(dist, other, { recursive: true });
    fs.renameSync(path.join(other, 'jars/spark-core_2.13-4.0.4.jar'), path.join(other, 'jars/spark-core_2.12-3.5.7.jar'));
    const wrong = run(other);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(`error: ${other} is not Spark 4.0.4 (no jars/spark-core_*-4.0.4.jar)`);
    expect(wrong.docker).toEqual([]);
    fs.renameSync(path.join(other, 'jars/spark-core_2.12-3.5.7.jar'), path.join(other, 'jars/spark-core_2.13-4.0.4.jar'));
    fs.rmSync(path.join(other, 'R'), { recursive: true });
    expect(run(other).stderr).toContain(`error: ${other} has no R; this distribution was built without SparkR`);
    expect(run().stderr).toContain('error: missing SPARK_HOME');
    expect(run(path.join(dir, 'bin')).stderr).toContain('has no kubernetes/dockerfiles/spark/Dockerfile; is it an unpacked Spark distribution');
    expect(run('--builder', 'kaniko', dist).stderr).toContain("error: --builder must be docker or podman, not 'kaniko'");
  });
});
