import { ImagePullPolicy, ISecret } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { brand, isBranded } from './brand';
import {
  checkSparkRelease, mayBeNewerOfficialRelease, OFFICIAL_TAGS_SOURCE, officialSparkImage, officialSparkReleases,
} from './compatibility-spark';
import { check } from './errors';
import { parseImageName } from './image-name';
import { ImageRegistryOverride } from './image-registry-override';
import { guardLateChange } from './late-change';

/** The Spark release the library's defaults are built and tested with. */
export const DEFAULT_SPARK_VERSION = '4.0.4';

/** The numeric user of the Apache Spark images (`spark`, uid 185). */
export const SPARK_IMAGE_UID = 185;

/** The repositories of the official Apache Spark images (built from apache/spark-docker). */
const OFFICIAL_REPOSITORIES = ['docker.io/apache/spark', 'index.docker.io/apache/spark', 'apache/spark'];

/**
 * What a Spark image holds that the runtime relies on. A fact left undefined
 * is not declared: constructs that rely on it refuse the image and say how to
 * declare it.
 */
export interface SparkImageFactsProps {
  /**
   * The user ids that have an entry in the image's `/etc/passwd`. Hadoop's
   * login (in spark-submit, every driver and executor, the history server)
   * looks the process's uid up there and fails ("invalid null input: name")
   * without one. Spark's own entrypoint can add the entry only while
   * `/etc/passwd` is writable, which `runAsGroup` and a read-only root
   * filesystem prevent.
   * @default - not declared
   */
  readonly passwdUids?: number[];

  /**
   * `curl` is on the PATH.
   * @default - not declared
   */
  readonly curl?: boolean;

  /**
   * `wget` is on the PATH.
   * @default - not declared
   */
  readonly wget?: boolean;

  /**
   * `hadoop-aws` and the AWS SDK bundle it was built against are on Spark's
   * class path (`/opt/spark/jars`), so `s3a://` works.
   * @default - not declared
   */
  readonly hadoopAws?: boolean;

  /**
   * The Cloud Storage connector (the shaded `gcs-connector` jar) is on
   * Spark's class path, so `gs://` works.
   * @default - not declared
   */
  readonly gcsConnector?: boolean;

  /**
   * `hadoop-azure` of the image's Hadoop version and its dependencies are on
   * Spark's class path, so `abfss://` works.
   * @default - not declared
   */
  readonly hadoopAzure?: boolean;

  /**
   * Python 3 and PySpark are installed, so PySpark applications run.
   * @default - not declared
   */
  readonly python?: boolean;

  /**
   * R and SparkR are installed, so SparkR applications run.
   * @default - not declared
   */
  readonly r?: boolean;
}

/**
 * The facts of a Spark image (see {@link SparkImageFactsProps}): known for
 * the official `apache/spark` images and the images
 * {@link SparkImageBuildScript} builds, declared by the user for others.
 */
export class SparkImageFacts {
  /** True when `x` is a SparkImageFacts (of any copy of this library). */
  public static isSparkImageFacts(x: any): x is SparkImageFacts {
    return isBranded(x, 'SparkImageFacts');
  }

  /**
   * The official `apache/spark` images, every tag: apache/spark-docker's
   * Dockerfiles create user and group `spark` with uid and gid 185 and
   * install wget; the Spark distribution they unpack carries no cloud
   * connector (no hadoop-aws, Cloud Storage connector or hadoop-azure:
   * Spark's hadoop-cloud module is not part of it).
   */
  public static apacheImage(): SparkImageFacts {
    return new SparkImageFacts({ passwdUids: [SPARK_IMAGE_UID], wget: true, hadoopAws: false, gcsConnector: false, hadoopAzure: false });
  }

  /**
   * An image built `FROM` an official `apache/spark` image, keeping its user
   * and tools, with what its own build adds (e.g. `{ hadoopAws: true }`).
   */
  public static fromApacheImage(added: SparkImageFactsProps = {}): SparkImageFacts {
    return SparkImageFacts.apacheImage().with(added);
  }

  /** Facts declared one by one; those left undefined are unknown. */
  public static of(props: SparkImageFactsProps): SparkImageFacts {
    return new SparkImageFacts(props);
  }

  /** User ids with an `/etc/passwd` entry; undefined when not declared. */
  public readonly passwdUids?: number[];
  /** Whether `curl` is on the PATH; undefined when not declared. */
  public readonly curl?: boolean;
  /** Whether `wget` is on the PATH; undefined when not declared. */
  public readonly wget?: boolean;
  /** Whether hadoop-aws and its AWS SDK are on the class path; undefined when not declared. */
  public readonly hadoopAws?: boolean;
  /** Whether the Cloud Storage connector is on the class path; undefined when not declared. */
  public readonly gcsConnector?: boolean;
  /** Whether hadoop-azure and its dependencies are on the class path; undefined when not declared. */
  public readonly hadoopAzure?: boolean;
  /** Whether Python 3 and PySpark are installed; undefined when not declared. */
  public readonly python?: boolean;
  /** Whether R and SparkR are installed; undefined when not declared. */
  public readonly r?: boolean;
  private readonly givenPasswdUids?: number[];

  private constructor(props: SparkImageFactsProps) {
    brand(this, 'SparkImageFacts');
    const where = 'SparkImageFacts';
    for (const uid of props.passwdUids ?? []) {
      check(Number.isInteger(uid) && uid >= 0 && uid < 2 ** 31, where, 'passwdUids', uid, 'user ids: whole numbers from 0');
    }
    this.passwdUids = props.passwdUids ? Object.freeze([...props.passwdUids]) as number[] : undefined;
    // Kept out of sight (not enumerable): facts are compared and spread as plain values.
    Object.defineProperty(this, 'givenPasswdUids', { value: props.passwdUids, enumerable: false });
    this.curl = props.curl;
    this.wget = props.wget;
    this.hadoopAws = props.hadoopAws;
    this.gcsConnector = props.gcsConnector;
    this.hadoopAzure = props.hadoopAzure;
    this.python = props.python;
    this.r = props.r;
  }

  /**
   * The passwdUids array these facts were given, as it is now (to notice a
   * change made after the facts were read).
   * @internal
   */
  public _givenPasswdUids(): number[] | undefined {
    return this.givenPasswdUids ? [...this.givenPasswdUids] : undefined;
  }

  /**
   * These facts with some replaced or added.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public with(props: SparkImageFactsProps): SparkImageFacts {
    return new SparkImageFacts({
      passwdUids: props.passwdUids ?? this.passwdUids,
      curl: props.curl ?? this.curl,
      wget: props.wget ?? this.wget,
      hadoopAws: props.hadoopAws ?? this.hadoopAws,
      gcsConnector: props.gcsConnector ?? this.gcsConnector,
      hadoopAzure: props.hadoopAzure ?? this.hadoopAzure,
      python: props.python ?? this.python,
      r: props.r ?? this.r,
    });
  }
}

/**
 * Properties of {@link SparkImage}.
 */
export interface SparkImageProps {
  /**
   * Image repository, optionally with a registry host.
   * @default 'docker.io/apache/spark'
   */
  readonly repository?: string;

  /**
   * Image tag. `latest` is refused: manifests in Git must name a fixed image.
   * @default - the Spark version; an image of another repository than the
   * official apache/spark one needs a tag, a digest or the Spark version
   */
  readonly tag?: string;

  /**
   * Image digest (`sha256:...`), pinning the image beyond its tag.
   * @default - no digest
   */
  readonly digest?: string;

  /**
   * The Spark version the image carries (`major.minor.patch`). It selects
   * version-dependent behaviour, e.g. which configuration keys exist.
   * @default - the tag, when it starts with a version; otherwise required
   */
  readonly sparkVersion?: string;

  /**
   * When the kubelet pulls the image.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: ImagePullPolicy;

  /**
   * Secrets of type `kubernetes.io/dockerconfigjson` for a private registry.
   * @default - none
   */
  readonly pullSecrets?: ISecret[];

  /**
   * The numeric user the image runs as; pods run as this user (non-root).
   * @default 185 (the `spark` user of the Apache Spark images)
   */
  readonly uid?: number;

  /**
   * What the image holds that the runtime relies on (a passwd entry for its
   * uid, curl or wget, hadoop-aws); checked at synth by the constructs that
   * rely on it.
   * @default - SparkImageFacts.apacheImage() for the official apache/spark repository; nothing declared for any other
   */
  readonly facts?: SparkImageFacts;
}

const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:[-+.][0-9A-Za-z.-]+)?$/;
// A tag such as `4.0.4` or `4.0.4-scala2.13-java17-python3-ubuntu` starts with the Spark version.
const VERSION_PREFIX = /^(\d+\.\d+\.\d+)(?:$|[-+._])/;

/**
 * A Spark container image, the Spark version it carries and its facts
 * ({@link SparkImageFacts}: what the runtime relies on, checked at synth by
 * the constructs that rely on it).
 *
 * Every Spark workload takes one of these; images are emitted through the
 * {@link ImageRegistryOverride} in force, so a mirror applies to them too.
 *
 * @example
 * // apache/spark images: their facts (uid 185, Python, ...) are known by tag.
 * const apache = SparkImage.apache('4.0.4');
 * // Your own image, built FROM apache/spark:4.0.4 with hadoop-aws added.
 * const s3 = SparkImage.of({
 *   repository: 'registry.example.com/spark-s3',
 *   tag: '4.0.4',
 *   facts: SparkImageFacts.fromApacheImage({ hadoopAws: true }),
 * });
 */
export class SparkImage {
  /** True when `x` is a SparkImage (of any copy of this library). */
  public static isSparkImage(x: any): x is SparkImage {
    return isBranded(x, 'SparkImage');
  }

  /**
   * The official Apache Spark image, `docker.io/apache/spark:<version>`.
   * @param version the Spark version, e.g. `4.0.4`
   */
  public static apache(version: string = DEFAULT_SPARK_VERSION, props: SparkImageProps = {}): SparkImage {
    return new SparkImage({ ...props, sparkVersion: version, tag: props.tag ?? version });
  }

  /** An image described by its parts. */
  public static of(props: SparkImageProps = {}): SparkImage {
    return new SparkImage(props);
  }

  /** Image repository, e.g. `docker.io/apache/spark`. */
  public readonly repository: string;
  /** Image tag. */
  public readonly tag: string;
  /** Image digest, if pinned by digest. */
  public readonly digest?: string;
  /** The Spark version the image carries. */
  public readonly sparkVersion: string;
  /** Image pull policy. */
  public readonly pullPolicy: ImagePullPolicy;
  /** Image pull secrets. */
  public readonly pullSecrets: ISecret[];
  /** The numeric user the image runs as. */
  public readonly uid: number;
  /** What the image holds that the runtime relies on. */
  public readonly facts: SparkImageFacts;
  private readonly givenPullSecrets?: ISecret[];
  private readonly guarded!: WeakSet<IConstruct>;

  private constructor(props: SparkImageProps) {
    brand(this, 'SparkImage');
    const where = 'SparkImage';
    this.repository = props.repository ?? 'docker.io/apache/spark';
    // An image of another repository names its own version: a default tag would
    // silently pick an image nobody chose (e.g. "spark" becoming "spark:4.0.4").
    check(props.repository === undefined || props.tag !== undefined || props.digest !== undefined || props.sparkVersion !== undefined,
      where, 'tag', props.tag, `the tag (or digest) of the image in ${props.repository}; only the official apache/spark repository has a default (${DEFAULT_SPARK_VERSION})`);
    const tag = props.tag ?? props.sparkVersion ?? DEFAULT_SPARK_VERSION;
    check(tag !== 'latest', where, 'tag', tag, 'a fixed tag other than "latest", so the manifests name one image');
    this.tag = tag;
    this.digest = props.digest;
    // Parse the whole reference now so a malformed repository, tag or digest fails here.
    parseImageName(where, 'repository/tag/digest', this.reference);

    const sparkVersion = props.sparkVersion ?? VERSION_PREFIX.exec(tag)?.[1];
    check(sparkVersion !== undefined, where, 'sparkVersion', props.sparkVersion,
      `a Spark version like "${DEFAULT_SPARK_VERSION}"; it cannot be read from tag "${tag}", so give it explicitly`);
    check(VERSION.test(sparkVersion!), where, 'sparkVersion', sparkVersion, 'a version "major.minor.patch", e.g. "3.5.7"');
    checkSparkRelease(where, 'sparkVersion', sparkVersion!);
    this.sparkVersion = sparkVersion!;
    const official = OFFICIAL_REPOSITORIES.includes(this.repository) ? officialImageFacts(tag, this.sparkVersion) : undefined;

    this.pullPolicy = props.pullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT;
    // A SparkImage is a value: its own list cannot change, and a change of the
    // list it was given is caught where the image is emitted (imageFor).
    this.pullSecrets = Object.freeze([...(props.pullSecrets ?? [])]) as ISecret[];
    Object.defineProperty(this, 'givenPullSecrets', { value: props.pullSecrets, enumerable: false });
    Object.defineProperty(this, 'guarded', { value: new WeakSet<IConstruct>(), enumerable: false });
    this.uid = props.uid ?? SPARK_IMAGE_UID;
    check(Number.isInteger(this.uid) && this.uid > 0 && this.uid < 2 ** 31, where, 'uid', this.uid,
      'a positive integer user id other than 0 (root)');
    check(props.facts === undefined || SparkImageFacts.isSparkImageFacts(props.facts), where, 'facts', typeof props.facts,
      'SparkImageFacts, e.g. SparkImageFacts.fromApacheImage({ hadoopAws: true })');
    this.facts = props.facts ?? official ?? SparkImageFacts.of({});
  }

  /** The reference as given, before any registry override: `repository:tag[@digest]`. */
  public get reference(): string {
    return `${this.repository}:${this.tag}${this.digest ? `@${this.digest}` : ''}`;
  }

  /** Major and minor Spark version, e.g. `[4, 0]`. */
  public get sparkMajorMinor(): number[] {
    const [major, minor] = this.sparkVersion.split('.').map((n) => parseInt(n, 10));
    return [major, minor];
  }

  /** True when the image's Spark version is at least `major.minor`. */
  public isAtLeast(major: number, minor: number): boolean {
    const [ma, mi] = this.sparkMajorMinor;
    return ma > major || (ma === major && mi >= minor);
  }

  /**
   * The reference to emit at `scope`, rewritten by the registry override in
   * force. Constructs emit the image (and its pull secrets) when they are
   * built: a later change of the `pullSecrets` array the image was created
   * with, or of the `passwdUids` array of its facts, fails synthesis at
   * `scope` instead of being ignored.
   */
  public imageFor(scope: IConstruct): string {
    if (!this.guarded.has(scope)) {
      this.guarded.add(scope);
      const given = this.givenPullSecrets;
      if (given !== undefined) {
        guardLateChange(scope, 'image.pullSecrets', () => given.map((s) => s.name),
          'give every pull secret in SparkImage pullSecrets before passing the image, or create another image with image.with({ pullSecrets })');
      }
      const facts = this.facts;
      if (facts._givenPasswdUids() !== undefined) {
        guardLateChange(scope, 'image.facts.passwdUids', () => facts._givenPasswdUids(),
          'declare every uid in SparkImageFacts passwdUids before creating the image, or create other facts with facts.with({ passwdUids })');
      }
    }
    return ImageRegistryOverride.resolve(scope, this.reference);
  }

  /**
   * A copy with other properties, e.g. another tag.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public with(props: SparkImageProps): SparkImage {
    // Another tag or release is another image: its digest and (for the official
    // repository, where the tag tells them) its facts are its own.
    const retagged = (props.tag !== undefined && props.tag !== this.tag) || props.sparkVersion !== undefined;
    const repository = props.repository ?? this.repository;
    return new SparkImage({
      repository: this.repository,
      tag: props.tag ?? (props.sparkVersion ? undefined : this.tag),
      digest: retagged ? undefined : this.digest,
      sparkVersion: props.tag || props.sparkVersion ? undefined : this.sparkVersion,
      pullPolicy: this.pullPolicy,
      pullSecrets: this.pullSecrets,
      uid: this.uid,
      // The same image content, wherever it is copied to.
      facts: retagged && OFFICIAL_REPOSITORIES.includes(repository) ? undefined : this.facts,
      ...definedOnly(props),
    });
  }
}

/**
 * The facts of the official apache/spark image a tag names; refuses a tag
 * apache/spark does not publish, or a sparkVersion other than the tag's.
 */
function officialImageFacts(tag: string, sparkVersion: string): SparkImageFacts {
  const where = 'SparkImage';
  const known = officialSparkImage(tag);
  if (known !== undefined) {
    check(known.version === sparkVersion, where, 'sparkVersion', sparkVersion,
      `the Spark release of apache/spark:${tag}, ${known.version}`);
    return SparkImageFacts.apacheImage().with({ python: known.python, r: known.r });
  }
  // A release newer than the list (published since) follows the same tag scheme.
  const releases = officialSparkReleases();
  const listed = releases.includes(sparkVersion);
  check(listed || mayBeNewerOfficialRelease(sparkVersion), where, 'sparkVersion', sparkVersion,
    `a Spark release apache/spark publishes images for: ${releases.join(', ')} or a later patch release (${OFFICIAL_TAGS_SOURCE}); `
    + 'for another release, build an image with SparkImageBuildScript and use SparkImage.of({ repository, tag })');
  const variant = tag.startsWith(sparkVersion) ? tag.slice(sparkVersion.length) : undefined;
  check(!listed && variant !== undefined && /^(-scala2\.1[23]-java\d+-(python3-r-|python3-|r-)?ubuntu|-(java\d+-)?(python3|r|scala)|-java\d+|)$/.test(variant),
    where, 'tag', tag, `a tag apache/spark publishes for Spark ${sparkVersion}, e.g. "${sparkVersion}" (with Python), "${sparkVersion}-r" (with R) `
    + `or "${sparkVersion}-scala" (JVM only)`);
  const long = /-ubuntu$/.test(variant!);
  const python = long ? variant!.includes('-python3-') : !/-(r|scala)$/.test(variant!);
  const r = long ? /-r-ubuntu$/.test(variant!) : /-r$/.test(variant!);
  return SparkImageFacts.apacheImage().with({ python, r });
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
