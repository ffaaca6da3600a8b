import { EnvValue } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { SparkDependencies } from './spark-job-spec';
import { refuseCredentialConf, refuseCredentialEnv, refuseCredentialUrl } from '../core/credentials';
import { SparkConf } from '../core/spark-conf';

/** The channels of a job's props a credential could take (every runner's props have some of them). */
export interface JobCredentialChannels {
  readonly mainApplicationFile: string;
  readonly arguments?: string[];
  readonly sparkConf?: SparkConf;
  readonly hadoopConf?: { [key: string]: string };
  readonly deps?: SparkDependencies;
  readonly driver?: { readonly env?: { [name: string]: EnvValue } };
  readonly executor?: { readonly env?: { [name: string]: EnvValue } };
}

// Internal to the library (not re-exported by the package): the job runners' shared credential rule.

/**
 * Refuses credentials given as literal values in any channel of a job's
 * props: they would be stored in the manifest (or a ConfigMap) in clear.
 * Messages name the key or variable, never its value.
 */
export function refuseJobCredentials(scope: IConstruct, spec: JobCredentialChannels): void {
  for (const key of spec.sparkConf?.keys ?? []) {
    refuseCredentialConf(scope, 'sparkConf key', key);
  }
  for (const key of Object.keys(spec.hadoopConf ?? {})) {
    refuseCredentialConf(scope, 'hadoopConf key', key);
  }
  for (const [role, pod] of [['driver', spec.driver], ['executor', spec.executor]] as const) {
    for (const [name, value] of Object.entries(pod?.env ?? {})) {
      refuseCredentialEnv(scope, `${role}.env`, name, value);
    }
  }
  const deps = spec.deps ?? {};
  const urls: Array<[string, string[] | undefined]> = [
    ['mainApplicationFile', [spec.mainApplicationFile]],
    ['deps.jars', deps.jars], ['deps.files', deps.files], ['deps.pyFiles', deps.pyFiles], ['deps.archives', deps.archives],
    ['deps.repositories', deps.repositories],
    ['arguments', spec.arguments],
  ];
  for (const [property, values] of urls) {
    for (const value of values ?? []) {
      refuseCredentialUrl(scope, property, value);
    }
  }
}
