// What a user's app needs beside this library: the peer dependencies and the
// Node.js release of package.json (test/core/compatibility keeps them equal),
// and which cdk8s-plus lines the objects passed in may come from.

/** The oldest release of each peer dependency and of Node.js; the next major is not supported. */
export const TOOLCHAIN_MINIMUMS = {
  cdk8s: '2.70.106',
  constructs: '10.4.2',
  cdk8sPlus28: '2.5.6',
  node: '20.0.0',
} as const;

/** cdk8s-plus lines whose objects an app may pass in, each tested (test/interop) at the release named. */
export const CDK8S_PLUS_LINES_TESTED: ReadonlyArray<{ readonly line: string; readonly release: string }> = [
  { line: 'cdk8s-plus-28', release: TOOLCHAIN_MINIMUMS.cdk8sPlus28 },
  { line: 'cdk8s-plus-33', release: '2.5.57' },
];
