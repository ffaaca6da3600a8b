import { Construct } from 'constructs';
import { check } from '../../core/errors';
import { SparkConf } from '../../core/spark-conf';
import { SparkImage } from '../../core/spark-image';
import { RemoteShuffleService } from '../../shuffle/remote-shuffle-service';
import { SparkDependencies, SparkJobSpecOptions } from '../spark-job-spec';

/** What a job's `shuffle` adds, or nothing (and shuffle tracking) without one. */
export interface JobShuffle {
  /** Keys to merge into the job's conf. */
  readonly sparkConf?: SparkConf;
  /** The job's deps with the client jar added. */
  readonly deps?: SparkDependencies;
  /** Whether dynamic allocation keeps executors holding shuffle data. */
  readonly shuffleTracking: boolean;
}

/** The `shuffle` prop of the job at `scope`, checked against its image and dynamic allocation. */
export function jobShuffle(scope: Construct, props: SparkJobSpecOptions, image: SparkImage): JobShuffle {
  const shuffle = props.shuffle;
  if (shuffle === undefined) {
    return { deps: props.deps, shuffleTracking: true };
  }
  check(RemoteShuffleService.isRemoteShuffleService(shuffle), scope, 'shuffle', shuffle, 'a RemoteShuffleService (RemoteShuffleService.fromEndpoints)');
  const da = props.dynamicAllocation;
  check(da?.shuffleTrackingTimeout === undefined, scope, 'dynamicAllocation.shuffleTrackingTimeout', da?.shuffleTrackingTimeout?.toHumanString(),
    'no timeout with a remote shuffle service: executors hold no shuffle data, so shuffle tracking is off');
  const parts = shuffle._jobParts(scope, 'shuffle', image, da !== undefined);
  const deps = props.deps ?? {};
  const union = (given: string[] | undefined, added: string[]) => {
    const all = [...(given ?? []), ...added.filter((a) => !(given ?? []).includes(a))];
    return all.length > 0 ? all : undefined;
  };
  const withClient: SparkDependencies = { ...deps, packages: union(deps.packages, parts.packages), jars: union(deps.jars, parts.jars) };
  return { sparkConf: parts.sparkConf, deps: withClient, shuffleTracking: parts.shuffleTracking };
}
