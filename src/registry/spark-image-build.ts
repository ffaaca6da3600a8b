import * as path from 'path';
import { ISecret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RegistryMirror } from './registry-mirror';
import { check } from '../core/errors';
import { GeneratedFile } from '../core/generated-file';
import { parseImageName } from '../core/image-name';
import { ImageRegistryOverride } from '../core/image-registry-override';
import { guardLateChange } from '../core/late-change';
import { SHELL_LIBRARY, shQuote } from '../core/shell';
import { SparkImage, SparkImageFacts } from '../core/spark-image';
import { BUILD_SPARK_IMAGES as BUILD_SCRIPT } from '../imports/sh/registry-private';

/** The images a Spark distribution's Dockerfiles build. */
export enum SparkImageVariant {
  /** The JVM image (`kubernetes/dockerfiles/spark/Dockerfile`): Scala and Java jobs. */
  JVM = 'jvm',
  /** PySpark on top of the JVM image (`bindings/python/Dockerfile`), repository suffix `-py`. */
  PYTHON = 'python',
  /** SparkR on top of the JVM image (`bindings/R/Dockerfile`), repository suffix `-r`. */
  R = 'r',
}

/**
 * Properties of {@link SparkImageBuildScript}.
 */
export interface SparkImageBuildScriptProps {
  /**
   * The image to build: its repository path, tag, Spark version and user id.
   * The PySpark and R images get the repository with `-py` and `-r`
   * appended, as Spark's `docker-image-tool.sh` names them. A digest is
   * refused (it names an existing image, not one to build).
   * @default SparkImage.apache() (repository path `apache/spark`, tag 4.0.4)
   */
  readonly image?: SparkImage;

  /**
   * The private registry to push to; the image's repository path is kept
   * and its registry host replaced by the registry's endpoint. A
   * pull-through cache cannot take pushes and is refused.
   * @default - the image's own registry, after any ImageRegistryOverride in force at this scope
   */
  readonly registry?: RegistryMirror;

  /**
   * The variants to build. The JVM image is always built: the others are
   * layered on it.
   * @default - all three: JVM, PYTHON and R
   */
  readonly variants?: SparkImageVariant[];

  /**
   * Image pull secrets (`kubernetes.io/dockerconfigjson`) the resulting
   * SparkImages carry, for workloads that pull them from the registry.
   * @default - the image's own pull secrets
   */
  readonly pullSecrets?: ISecret[];

  /**
   * Extra `--build-arg` values, e.g. `{ java_image_tag: '21-jre' }`.
   * `spark_uid` (the image's uid) and `base_img` are set by the script.
   * @default - none
   */
  readonly buildArgs?: { [name: string]: string };

  /**
   * Path of the script, relative to the app's output directory.
   * @default 'images/build-spark-images.sh'
   */
  readonly path?: string;
}

const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIANTS = Object.values(SparkImageVariant) as string[];

/**
 * A bash script, written at synth time, that builds the Spark container
 * images from an unpacked Spark distribution and pushes them, like Spark's
 * own `bin/docker-image-tool.sh`: the JVM image from
 * `kubernetes/dockerfiles/spark/Dockerfile`, then the PySpark and R images
 * from `bindings/python` and `bindings/R` with `base_img` set to it. Between
 * the two it layers {@link runtimeLayerDockerfile} on the JVM image: a user
 * and group for the uid (the distribution's Dockerfile creates none, and
 * Hadoop's login needs one) and curl. The tags come from a
 * {@link SparkImage}; the script checks that the distribution carries the
 * same Spark version.
 *
 * Usage: `build-spark-images.sh [--dry-run] [--no-push] [--builder docker|podman] SPARK_HOME`.
 * Log in to the registry first (`docker login <endpoint>`).
 *
 * The resulting images are available as SparkImages ({@link jvmImage},
 * {@link pythonImage}, {@link rImage}) to hand to Spark workloads.
 */
export class SparkImageBuildScript extends Construct {
  /** The JVM image the script builds. */
  public readonly jvmImage: SparkImage;
  /** The PySpark image, when built. */
  public readonly pythonImage?: SparkImage;
  /** The SparkR image, when built. */
  public readonly rImage?: SparkImage;
  /** Path of the script, relative to the output directory. */
  public readonly path: string;
  /** Content of the script. */
  public readonly script: string;
  /**
   * What the built images hold that the runtime relies on: a passwd and group
   * entry for the uid, and curl (added by {@link runtimeLayerDockerfile}).
   */
  public readonly facts: SparkImageFacts;
  /**
   * The Dockerfile the script layers on the image of the distribution's
   * Dockerfile, before the PySpark and R images are built on top: it adds
   * the user for the uid and curl, which that Dockerfile leaves out.
   */
  public readonly runtimeLayerDockerfile: string = RUNTIME_LAYER_DOCKERFILE;

  constructor(scope: Construct, id: string, props: SparkImageBuildScriptProps = {}) {
    super(scope, id);
    const source = props.image ?? SparkImage.apache();
    check(SparkImage.isSparkImage(source), this, 'image', typeof source, 'a SparkImage, e.g. SparkImage.apache()');
    check(source.digest === undefined, this, 'image', source.reference,
      'an image without digest: the script builds a new image, whose digest is not known yet');

    let repository: string;
    if (props.registry !== undefined) {
      check(RegistryMirror.isRegistryMirror(props.registry), this, 'registry', typeof props.registry, 'a RegistryMirror');
      check(!props.registry.isPullThroughCache, this, 'registry', props.registry.node.path,
        'a private registry: a pull-through cache does not accept pushes');
      const imagePath = parseImageName(this, 'image', `${source.repository}:x`).path;
      repository = `${props.registry.endpoint}/${imagePath}`;
    } else {
      const resolved = parseImageName(this, 'image', ImageRegistryOverride.resolve(this, `${source.repository}:${source.tag}`));
      repository = `${resolved.registry}/${resolved.path}`;
    }

    const variants = props.variants ?? [SparkImageVariant.JVM, SparkImageVariant.PYTHON, SparkImageVariant.R];
    check(Array.isArray(variants) && variants.length > 0, this, 'variants', variants, 'a non-empty list of SparkImageVariant');
    variants.forEach((v, i) => {
      check(VARIANTS.includes(v), this, `variants[${i}]`, v, `one of ${VARIANTS.join(', ')}`);
      check(variants.indexOf(v) === i, this, `variants[${i}]`, v, 'a variant not listed twice');
    });
    check(variants.includes(SparkImageVariant.JVM), this, 'variants', variants,
      'a list that includes SparkImageVariant.JVM: the PySpark and R images are built on top of it');

    const buildArgs = props.buildArgs ?? {};
    for (const [name, value] of Object.entries(buildArgs)) {
      check(BUILD_ARG.test(name) && !['spark_uid', 'base_img'].includes(name), this, 'buildArgs', name,
        'build argument names of letters, digits and \'_\', other than spark_uid and base_img (set by the script)');
      check(typeof value === 'string' && !/[\n\r]/.test(value), this, `buildArgs.${name}`, value, 'a single-line string');
    }

    this.path = props.path ?? 'images/build-spark-images.sh';
    check(typeof this.path === 'string' && /\.sh$/.test(this.path) && !path.posix.isAbsolute(this.path)
      && path.posix.normalize(this.path) === this.path && !this.path.startsWith('..'), this, 'path', this.path,
    'a relative path ending in .sh inside the output directory, e.g. "images/build-spark-images.sh"');

    const pullSecrets = props.pullSecrets ?? source.pullSecrets;
    // What the runtime layer guarantees; the distribution adds no cloud connector.
    this.facts = SparkImageFacts.of({ passwdUids: [source.uid], curl: true, hadoopAws: false, gcsConnector: false, hadoopAzure: false });
    // The distribution's bindings Dockerfiles add Python (bindings/python) or R (bindings/R) to the JVM image.
    const variantImage = (suffix: string, facts: SparkImageFacts) => SparkImage.of({
      repository: `${repository}${suffix}`,
      tag: source.tag,
      sparkVersion: source.sparkVersion,
      pullPolicy: source.pullPolicy,
      pullSecrets,
      uid: source.uid,
      facts,
    });
    this.jvmImage = variantImage('', this.facts.with({ python: false, r: false }));
    if (variants.includes(SparkImageVariant.PYTHON)) {
      this.pythonImage = variantImage('-py', this.facts.with({ python: true, r: false }));
    }
    if (variants.includes(SparkImageVariant.R)) {
      this.rImage = variantImage('-r', this.facts.with({ python: false, r: true }));
    }

    this.script = renderBuildScript({
      name: path.posix.basename(this.path),
      sparkVersion: source.sparkVersion,
      uid: source.uid,
      jvmImage: this.jvmImage.reference,
      pythonImage: this.pythonImage?.reference ?? '',
      rImage: this.rImage?.reference ?? '',
      buildArgs: Object.entries(buildArgs).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`),
    });
    new GeneratedFile(this, 'Script', { path: this.path, content: this.script, mode: 0o755 });
    // The images and the script were derived from these when the construct was made.
    const fix = 'pass the final value when creating SparkImageBuildScript';
    guardLateChange(this, 'variants', () => props.variants, fix);
    guardLateChange(this, 'buildArgs', () => props.buildArgs, fix);
  }

  /** The images the script builds, JVM first. */
  public get images(): SparkImage[] {
    return [this.jvmImage, this.pythonImage, this.rImage].filter((i): i is SparkImage => i !== undefined);
  }
}

interface BuildScriptSettings {
  readonly name: string;
  readonly sparkVersion: string;
  readonly uid: number;
  readonly jvmImage: string;
  readonly pythonImage: string;
  readonly rImage: string;
  readonly buildArgs: string[];
}

function renderBuildScript(s: BuildScriptSettings): string {
  const settings = [
    `readonly SCRIPT_NAME=${shQuote(s.name)}`,
    `readonly SPARK_VERSION=${shQuote(s.sparkVersion)}`,
    `readonly SPARK_UID=${shQuote(String(s.uid))}`,
    `readonly JVM_IMAGE=${shQuote(s.jvmImage)}`,
    `readonly PYTHON_IMAGE=${shQuote(s.pythonImage)}`,
    `readonly R_IMAGE=${shQuote(s.rImage)}`,
    `readonly -a EXTRA_BUILD_ARGS=(${s.buildArgs.map(shQuote).join(' ')})`,
  ];
  return [
    '#!/usr/bin/env bash',
    `# ${s.name}: builds the Spark ${s.sparkVersion} container images from a Spark`,
    '# distribution and pushes them, as Spark\'s docker-image-tool.sh does, with a',
    '# layer that adds what the distribution\'s Dockerfile leaves out: a user for',
    '# the image\'s uid and curl.',
    '#',
    '# Generated by cdk8s-spark (SparkImageBuildScript): change the construct\'s',
    '# properties and synthesize again rather than editing this file.',
    'set -euo pipefail',
    '',
    '# ---- settings (rendered at synth time) ------------------------------------',
    '',
    ...settings,
    '',
    '# The layer on the distribution\'s JVM image (SparkImageBuildScript.runtimeLayerDockerfile).',
    'runtime_layer_dockerfile() {',
    "  cat <<'DOCKERFILE'",
    RUNTIME_LAYER_DOCKERFILE.trimEnd(),
    'DOCKERFILE',
    '}',
    '',
    SHELL_LIBRARY.trimEnd(),
    '',
    // Static (private/sh/build-spark-images.sh): every synth-time value reaches it through the settings above.
    BUILD_SCRIPT,
  ].join('\n');
}

// Spark's kubernetes/dockerfiles/spark/Dockerfile (apache/spark,
// resource-managers/kubernetes/docker/src/main/dockerfiles/spark/) creates
// no user for spark_uid: its entrypoint.sh appends a passwd entry only when
// /etc/passwd is writable (it is group root), which runAsGroup and a
// read-only root filesystem prevent, and Hadoop's login then fails. The
// official apache/spark images (apache/spark-docker) create user spark.
const RUNTIME_LAYER_DOCKERFILE = `# Added by cdk8s-spark on top of the distribution's JVM image.
ARG base_img
FROM \${base_img}
ARG spark_uid=185
USER 0
RUN set -eux; \\
    if ! getent group "\${spark_uid}" >/dev/null; then groupadd --system --gid "\${spark_uid}" spark; fi; \\
    if ! getent passwd "\${spark_uid}" >/dev/null; then \\
      useradd --system --uid "\${spark_uid}" --gid "\${spark_uid}" --home-dir /home/spark --create-home \\
        --shell /usr/sbin/nologin spark; \\
    fi; \\
    if ! command -v curl >/dev/null; then \\
      apt-get update; \\
      apt-get install -y --no-install-recommends curl ca-certificates; \\
      rm -rf /var/lib/apt/lists/*; \\
    fi
USER \${spark_uid}
`;
