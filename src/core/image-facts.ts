import { IConstruct } from 'constructs';
import { requireConfKeysKnown } from './compatibility-spark';
import { invalidInput } from './errors';
import { EventLogStore, EventLogStoreKind } from './event-log-store';
import type { SparkConf } from './spark-conf';
import type { SparkImage } from './spark-image';
import { releaseAtLeast } from './versions';

/** A fact of a Spark image that some workload relies on. */
export enum ImageNeed {
  /** An /etc/passwd entry for the uid the pods run as. */
  PASSWD_ENTRY = 'passwd-entry',
  /** curl or wget, for the SparkSubmitJob wrapper. */
  HTTP_CLIENT = 'http-client',
  /** hadoop-aws and the AWS SDK, for s3a:// paths. */
  HADOOP_AWS = 'hadoop-aws',
  /** The Cloud Storage connector, for gs:// paths. */
  GCS_CONNECTOR = 'gcs-connector',
  /** hadoop-azure and its dependencies, for abfss:// paths. */
  HADOOP_AZURE = 'hadoop-azure',
  /** Python 3 and PySpark, for PySpark applications. */
  PYTHON = 'python',
  /** R and SparkR, for SparkR applications. */
  R = 'r',
}

interface NeedText {
  /** What the image must hold. */
  readonly what: (image: SparkImage) => string;
  /** Why the workload needs it. */
  readonly why: string;
  /** How to fix the image. */
  readonly fix: (image: SparkImage) => string;
  /** The facts to declare once fixed. */
  readonly declare: (image: SparkImage) => string;
  /** true: present, false: absent, undefined: not declared. */
  readonly holds: (image: SparkImage) => boolean | undefined;
}

const NEEDS: { readonly [need in ImageNeed]: NeedText } = {
  [ImageNeed.PASSWD_ENTRY]: {
    what: (image) => `an /etc/passwd entry for uid ${image.uid}`,
    why: 'Hadoop\'s login looks the uid up and fails with "invalid null input: name" without it, and Spark\'s entrypoint '
      + 'cannot add it: runAsGroup and the read-only root filesystem keep /etc/passwd unwritable',
    fix: (image) => `create the user in the image (groupadd --gid ${image.uid} spark && useradd --uid ${image.uid} --gid ${image.uid} `
      + '--create-home spark), as SparkImageBuildScript does and the apache/spark images have for uid 185',
    declare: (image) => `passwdUids: [${image.uid}]`,
    holds: (image) => (image.facts.passwdUids === undefined ? undefined : image.facts.passwdUids.includes(image.uid)),
  },
  [ImageNeed.HTTP_CLIENT]: {
    what: () => 'curl or wget',
    why: 'the submit pod reads the driver pod\'s outcome from the API server with one of them',
    fix: () => 'install curl (apt-get install -y curl) or wget in the image',
    declare: () => 'curl: true',
    holds: (image) => {
      const { curl, wget } = image.facts;
      if (curl === true || wget === true) return true;
      return curl === false && wget === false ? false : undefined;
    },
  },
  [ImageNeed.HADOOP_AWS]: {
    what: () => 'hadoop-aws and its AWS SDK bundle',
    why: 's3a:// paths are served by hadoop-aws, which the Spark distribution (and the apache/spark images) do not carry',
    fix: () => 'add hadoop-aws of the image\'s Hadoop version and the AWS SDK bundle it was built against to /opt/spark/jars',
    declare: () => 'hadoopAws: true',
    holds: (image) => image.facts.hadoopAws,
  },
  [ImageNeed.GCS_CONNECTOR]: {
    what: () => 'the Cloud Storage connector',
    why: 'gs:// paths are served by the Cloud Storage connector, which the Spark distribution (and the apache/spark images) do not carry',
    // The shaded jar (classifier "shaded": GoogleCloudDataproc/hadoop-connectors gcs/pom.xml shadedArtifactAttached),
    // as Spark's hadoop-cloud module bundles it (apache/spark dev/deps/spark-deps-hadoop-3-hive-2.3: gcs-connector hadoop3-2.2.x shaded).
    fix: () => 'add the shaded connector jar (Maven com.google.cloud.bigdataoss:gcs-connector, classifier shaded: '
      + 'gcs-connector-hadoop3-2.2.x-shaded.jar, or gcs-connector-3.x-shaded.jar on Java 11 and later) to /opt/spark/jars',
    declare: () => 'gcsConnector: true',
    holds: (image) => image.facts.gcsConnector,
  },
  [ImageNeed.HADOOP_AZURE]: {
    what: () => 'hadoop-azure and its dependencies',
    why: 'abfss:// paths are served by hadoop-azure, which the Spark distribution (and the apache/spark images) do not carry',
    // What Spark's hadoop-cloud module bundles with it (apache/spark hadoop-cloud/pom.xml, dev/deps/spark-deps-hadoop-3-hive-2.3).
    fix: () => 'add hadoop-azure of the image\'s Hadoop version with the jars Spark\'s hadoop-cloud module bundles with it '
      + '(azure-storage, azure-keyvault-core, wildfly-openssl, jetty-util-ajax) to /opt/spark/jars',
    declare: () => 'hadoopAzure: true',
    holds: (image) => image.facts.hadoopAzure,
  },
  [ImageNeed.PYTHON]: {
    what: () => 'Python 3 and PySpark',
    why: 'the driver and the executors start Python workers for a PySpark application',
    fix: () => 'use an image with Python (the apache/spark tags without "-r" and with "python3" or no variant, e.g. "4.0.1", carry it) '
      + 'or build one with SparkImageBuildScript and SparkImageVariant.PYTHON',
    declare: () => 'python: true',
    holds: (image) => image.facts.python,
  },
  [ImageNeed.R]: {
    what: () => 'R and SparkR',
    why: 'the driver and the executors run R for a SparkR application',
    fix: () => 'use an apache/spark "-r" tag (e.g. "3.5.7-r") or build one with SparkImageBuildScript and SparkImageVariant.R',
    declare: () => 'r: true',
    holds: (image) => image.facts.r,
  },
};

/**
 * Refuses an image that lacks, or does not declare, a fact the workload at
 * `scope` relies on. `purpose` names the workload's part that needs it.
 */
export function requireImageFacts(scope: IConstruct, property: string, image: SparkImage, needs: Array<[ImageNeed, string]>): void {
  for (const [need, purpose] of needs) {
    const text = NEEDS[need];
    const holds = text.holds(image);
    if (holds === true) continue;
    const state = holds === false ? 'lacks' : 'does not declare';
    throw invalidInput(scope, property, image.reference,
      `an image with ${text.what(image)} (${purpose}): this image ${state} it. ${text.why}. `
      + `Fix the image: ${text.fix(image)}; then declare it: `
      + `SparkImage.of({ ..., facts: SparkImageFacts.of({ ${text.declare(image)}, ... }) })`);
  }
}

// The connector each network store needs, and the Maven coordinates that fetch it at submission.
const STORE_CONNECTORS: { readonly [kind: string]: { readonly need: ImageNeed; readonly maven: string } } = {
  [EventLogStoreKind.S3]: { need: ImageNeed.HADOOP_AWS, maven: 'org.apache.hadoop:hadoop-aws:' },
  [EventLogStoreKind.GCS]: { need: ImageNeed.GCS_CONNECTOR, maven: 'com.google.cloud.bigdataoss:gcs-connector:' },
  [EventLogStoreKind.ABFS]: { need: ImageNeed.HADOOP_AZURE, maven: 'org.apache.hadoop:hadoop-azure:' },
};

/**
 * Refuses an image that cannot serve the event log store (`purpose`: what uses it): without its
 * connector (unless `packages` fetch it at submission), or of a Spark
 * release whose Hadoop lacks what the store is configured with.
 */
export function requireStoreImage(scope: IConstruct, property: string, image: SparkImage, store: EventLogStore,
  purpose: string, packages: string[] = []): void {
  const min = store._minSpark;
  if (min !== undefined && !releaseAtLeast(image.sparkVersion, min.version)) {
    throw invalidInput(scope, property, image.reference,
      `an image of Spark ${min.version} or later for the event log store ${store.logDirectory}: ${min.why}; this image carries Spark ${image.sparkVersion}`);
  }
  const connector = STORE_CONNECTORS[store.kind];
  if (connector !== undefined && !packages.some((p) => p.trim().startsWith(connector.maven))) {
    requireImageFacts(scope, property, image, [[connector.need, purpose]]);
  }
}

/** True when any of the URIs is an s3a:// path. */
export function usesS3a(uris: Array<string | undefined>): boolean {
  return uris.some((uri) => typeof uri === 'string' && /^s3a:\/\//i.test(uri));
}

/** What a Spark job (driver and executors) does with its image. */
export interface JobImageUse {
  /** Which parts run Hadoop's login, e.g. "spark-submit, the driver and the executors". */
  readonly loginBy: string;
  /** The cluster-mode SparkSubmitJob wrapper runs in the image. */
  readonly submitWrapper?: boolean;
  /** The event log store the job writes to. */
  readonly eventLog?: EventLogStore;
  /** The application file and dependencies the job fetches. */
  readonly uris?: Array<string | undefined>;
  /** Maven coordinates fetched at submission (hadoop-aws among them serves s3a://). */
  readonly packages?: string[];
  /** The user's Spark configuration: an s3a:// value in it (a warehouse, a log directory) needs hadoop-aws too. */
  readonly conf?: SparkConf;
  /** The application's language, e.g. `Python` (SparkApplicationType). */
  readonly language?: string;
}

/** Checks the image facts a Spark job relies on: one rule for every kind of job. */
export function requireJobImageFacts(scope: IConstruct, image: SparkImage, use: JobImageUse): void {
  const needs: Array<[ImageNeed, string]> = [[ImageNeed.PASSWD_ENTRY, `${use.loginBy} log in to Hadoop as uid ${image.uid}`]];
  if (use.submitWrapper) {
    needs.push([ImageNeed.HTTP_CLIENT, 'the cluster-mode submit wrapper reads the driver\'s outcome']);
  }
  if (use.language === 'Python') {
    needs.push([ImageNeed.PYTHON, 'the application is a PySpark application']);
  } else if (use.language === 'R') {
    needs.push([ImageNeed.R, 'the application is a SparkR application']);
  }
  const confValues = (use.conf?.keys ?? []).flatMap((key) => (use.conf!.get(key) ?? '').split(','));
  const packages = [...(use.packages ?? []), ...(use.conf?.get('spark.jars.packages')?.split(',') ?? [])];
  const fetchesHadoopAws = packages.some((p) => p.trim().startsWith('org.apache.hadoop:hadoop-aws:'));
  if (!fetchesHadoopAws) {
    if (usesS3a(use.uris ?? [])) {
      needs.push([ImageNeed.HADOOP_AWS, 'the application or its dependencies are s3a:// paths']);
    } else if (usesS3a(confValues.map((v) => v.trim()))) {
      needs.push([ImageNeed.HADOOP_AWS, 'the Spark configuration names s3a:// paths']);
    }
  }
  requireImageFacts(scope, 'image', image, needs);
  if (use.eventLog) {
    requireStoreImage(scope, 'image', image, use.eventLog, `the event log goes to ${use.eventLog.logDirectory}`, packages);
  }
  requireConfKeysKnown(scope, image, use.conf);
}
