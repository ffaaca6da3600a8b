// What many tests of Spark jobs need: the library's operator CRDs (to validate
// SparkApplications against their schema) and the `--conf` pairs of a
// spark-submit command line.
import { Chart, Testing } from 'cdk8s';
import { SparkOperatorCrds } from '../../src';

let crds: any[] | undefined;

/** The CRDs SparkOperatorCrds synthesizes, made once per test file. */
export function libraryOperatorCrds(): any[] {
  if (!crds) {
    const chart = new Chart(Testing.app(), 'crds');
    new SparkOperatorCrds(chart, 'Crds');
    crds = Testing.synth(chart);
  }
  return crds;
}

/** The `key=value` pairs that follow `flag` (e.g. `--conf`) in a command line, by key. */
export function pairsAfter(args: string[], flag: string = '--conf'): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  args.forEach((arg, i) => {
    if (arg === flag) {
      const pair = args[i + 1];
      out[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    }
  });
  return out;
}
