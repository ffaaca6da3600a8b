import { cdk8s, javascript } from 'projen';

// Versions the library is built and tested against. TypeScript stays on 5.9.x:
// the registry's `latest` (7.x) breaks ts-node, ts-jest and jsii.
const CDK8S_VERSION = '2.70.106';
const CONSTRUCTS_VERSION = '10.4.2';
const CDK8S_PLUS_VERSION = '2.5.6';
const TYPESCRIPT_VERSION = '~5.9.3';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-spark',
  packageName: 'cdk8s-spark',
  description:
    'cdk8s constructs for Apache Spark on Kubernetes: kubeadm node scripts, flannel, a registry mirror, the Spark operator, typed Spark jobs, history and Thrift servers.',
  author: 'cdk8s-spark developers',
  authorAddress: 'cdk8s-spark@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-spark/cdk8s-spark.git',
  homepage: 'https://github.com/cdk8s-spark/cdk8s-spark#readme',
  bugsUrl: 'https://github.com/cdk8s-spark/cdk8s-spark/issues',
  // Before 1.0 the API may still change between minor releases.
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'kubernetes', 'spark', 'apache-spark', 'kubeadm', 'flannel', 'spark-operator'],
  license: 'Apache-2.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  prettier: false,

  cdk8sVersion: CDK8S_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  peerDeps: [`cdk8s-plus-28@^${CDK8S_PLUS_VERSION}`],
  // The Kubernetes OpenAPI schemas (ajv validators) of the validation plugin
  // (src/validation), offline. Not a jsii package, so jsii requires it bundled.
  // Exact: src/imports/k8s/type-map.json is generated from this version.
  bundledDeps: ['kubernetes-models@4.5.1'],
  devDeps: [
    `cdk8s-plus-28@${CDK8S_PLUS_VERSION}`,
    'cdk8s-cli@^2.207.0',
    // Fast test transform (no per-file type-checking) and fast example runner.
    // Pinned where the registry serves every platform's binary package: npm ci
    // refuses a lock file that lacks another platform's optional package.
    '@swc/core@1.16.18',
    '@swc/jest@^0.2.39',
    'tsx@^4.20.0',
    // Parses the upstream reference YAML in conformance tests.
    'yaml@^2.2.2',
    // A user's app on the newest cdk8s-plus line: test/interop only (the library builds on cdk8s-plus-28).
    'cdk8s-plus-33@2.5.57',
  ],

  jsiiVersion: '~5.9.0',
  typescriptVersion: TYPESCRIPT_VERSION,

  // The jsii language targets (package.json `jsii.targets`). Their code is
  // generated and checked by `npx projen test:jsii-targets` (.ci/run); nothing
  // is published yet (release: false, docs/jsii-languages.md). The Java package
  // swaps the hyphen for an underscore: Java names cannot hold one (JLS 6.1).
  publishToPypi: { distName: 'cdk8s-spark', module: 'cdk8s_spark' },
  publishToMaven: {
    javaPackage: 'io.github.cdk8s_spark',
    mavenGroupId: 'io.github.cdk8s-spark',
    mavenArtifactId: 'cdk8s-spark',
  },
  publishToGo: { moduleName: 'github.com/cdk8s-spark/cdk8s-spark-go', packageName: 'cdk8sspark' },
  publishToNuget: { dotNetNamespace: 'Cdk8sSpark', packageId: 'Cdk8sSpark' },

  // Not hosted on GitHub yet: CI is `.ci/run`.
  github: false,
  release: false,
  depsUpgrade: false,

  jestOptions: {
    // Snapshots are only written by `npm run test:update`; `npm test` fails on a mismatch.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // The root-file-system integration test takes minutes and needs root: `npx projen test:integration`.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/'],
      collectCoverage: false,
      // Jest's default is one worker less than the CPUs: on a 2-CPU machine
      // (developers' and CI's) that is a single worker, and the files run one
      // after another in one process. One worker per CPU runs two files at once.
      maxWorkers: '100%',
    },
  },
  eslintOptions: {
    dirs: ['src'],
    tsconfigPath: './tsconfig.dev.json',
    // One project (tsconfig.dev.json) covers src, test, examples and scripts.
    projectService: false,
    devdirs: ['test', 'examples', 'scripts', 'projenrc', '.projenrc.ts'],
    // A test run must never rewrite sources; `npx projen eslint --fix` is there for that.
    commandOptions: { fix: false },
  },
  gitignore: ['/examples/*/dist/', '/examples/*/imports/', '.bench/'],
});

// projen compiles with `--silence-warnings=reserved-word`, which hides every
// name that is a keyword in a target language. Instead each name kept on
// purpose carries `@jsii suppress reserved-word` and has its row in
// docs/jsii-languages.md (test/jsii-languages.test.ts keeps them equal); any
// other warning, an untagged reserved word included, fails the compile.
project.compileTask.reset('jsii --fail-on-warnings');
// lib/index.js loads each module when one of its names is first read (scripts/lazy-index.mjs).
project.compileTask.exec('node scripts/lazy-index.mjs lib');
project.watchTask.reset('jsii -w');

// Source is laid out by domain (README, Architecture). A domain's private/
// folder is its own: no other domain imports from it. No import cycles, of
// values or of types: they make module load order (and jsii) fragile.
// The cycles are checked by test/architecture.test.ts, on every file eslint
// lints (src, test, examples, scripts, projenrc), type-only imports included,
// rather than by import/no-cycle: that rule skipped type-only imports and
// took almost half of eslint's time (it builds a module graph of its own).
const DOMAINS = ['core', 'cluster', 'registry', 'operator', 'jobs', 'services', 'standalone', 'tenancy', 'gitops', 'platform', 'validation', 'interop'];
project.eslint!.addRules({
  'import/no-restricted-paths': ['error', {
    zones: DOMAINS.map((domain) => ({
      target: `./src/!(${domain})/**`,
      from: `./src/${domain}/private`,
      message: `${domain}/private is internal to the ${domain} domain; import what it offers from ${domain}/ instead`,
    })),
  }],
});

// Only the library ships: not the examples, scripts, CI, benchmark output or test reports.
for (const pattern of ['/examples/', '/scripts/', '/.ci/', '/.bench/', '/test-reports/', '/docs/', '/.cache/']) {
  project.addPackageIgnore(pattern);
}

// Same reason as the @swc/core pin: jest 30 and the eslint resolver use unrs-resolver.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Type-check src, test and examples in one pass; jest itself only strips types (swc).
project.jest!.config.transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' } }],
};
project.tryFindObjectFile('package.json')?.addDeletionOverride('jest.globals');

new javascript.TypescriptConfig(project, {
  fileName: 'tsconfig.dev.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['./tsconfig.json']),
  include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts'],
  exclude: ['node_modules', 'examples/*/dist'],
  compilerOptions: { noEmit: true, rootDir: '.' },
});

// Incremental: tsc keeps each file's hash and diagnostics in .cache/ and
// checks again only what changed and what depends on it (a repeated `npm
// test` type-checks in about 7 CPU-seconds instead of 16); a fresh checkout
// checks everything.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check library, tests and examples (jest does not)',
  exec: 'tsc --noEmit -p tsconfig.dev.json --incremental --tsBuildInfoFile .cache/typecheck.tsbuildinfo',
});
project.gitignore.exclude('/.cache/');

// The test task: the type-check, jest (snapshots never updated) and eslint,
// side by side (scripts/test-all.mjs): tsc and eslint use one core each, so
// one after the other they left a core of a 2-core machine idle for most of a
// minute. Arguments go to jest (`npx projen test test/foo.test.ts`).
const jestTask = project.addTask('test:jest', {
  description: 'Run jest (snapshots never updated)',
  exec: 'jest --passWithNoTests --ci',
  receiveArgs: true,
});
project.testTask.reset('node scripts/test-all.mjs', { receiveArgs: true });
project.testTask.description = `Run tests: ${typecheck.name}, ${jestTask.name} and eslint side by side`;

// Bash lives in real files under src/**/sh/ (checked by bash -n, shellcheck and
// shfmt as files); pre-compile embeds them into generated modules under src/imports/sh/, so
// jest, lib/, the bench build and the package carry the same text and
// synthesis reads no file. A test fails when an embedded module is stale.
const embedShell = project.addTask('embed:shell', {
  description: 'Embed src/**/sh/*.sh into generated modules under src/imports/sh/',
  exec: 'node scripts/embed-shell.mjs',
});
project.preCompileTask.spawn(embedShell);

// The IANA time zone names Go's time.LoadLocation finds (API server, operator),
// generated from the local tz database into src/imports/tz/; a test compares
// them with it when the versions agree. Run by hand after a tzdata update.
project.addTask('gen:time-zones', {
  description: 'Generate src/imports/tz/time-zones.ts from /usr/share/zoneinfo/tzdata.zi',
  exec: 'node scripts/gen-time-zones.mjs',
});

// The tags of the official apache/spark images, generated from every version
// of apache/spark-docker's versions.json (a local clone's git dir is the
// argument) into src/imports/spark-docker/. Run by hand after a Spark release.
project.addTask('gen:spark-image-tags', {
  description: 'Generate src/imports/spark-docker/image-tags.ts from an apache/spark-docker clone (its git dir as argument)',
  exec: 'node scripts/gen-spark-image-tags.mjs',
  receiveArgs: true,
});

// The compatibility table in README.md and in the Compatibility API docs, as
// Compatibility.toMarkdown() renders it; a test fails when they differ.
project.addTask('gen:compatibility', {
  description: 'Write the compatibility table into README.md and the Compatibility doc comment',
  exec: 'ts-node --transpile-only scripts/gen-compatibility-docs.ts',
});

// The published package, used as a user would: packed, put into a new app
// next to its peers (offline), synthesizing what the sources do. Needs
// `npx projen compile` first; run by .ci/run.
project.addTask('test:package', {
  description: 'Pack the library, install it into a fresh app offline and synthesize the README minimal app there',
  exec: 'bash scripts/test-package.sh',
});

// The TypeScript samples of README.md, docs/*.md and the @example doc
// comments compile, strictly, in their jsii-rosetta fixtures (rosetta/); the
// README's and the examples' translations go into .jsii.tabl.json for
// jsii-pacmak. Needs `npx projen compile` first; run by .ci/run.
project.addTask('test:snippets', {
  description: 'Compile every TypeScript sample of README.md, docs/*.md and the @example doc comments (jsii-rosetta, strict)',
  exec: 'bash scripts/test-snippets.sh',
});
// Written by test:snippets and read by test:jsii-targets; not shipped in the
// npm package (release: false), nor the fixtures.
project.gitignore.exclude('/.jsii.tabl.json');
project.npmignore?.exclude('/.jsii.tabl.json', '/rosetta/');

// The other languages' bindings: generated by jsii-pacmak (code only) into
// dist/jsii-targets/ and checked as far as offline tools allow (the Python
// compiles, the Java and Go parse; docs/jsii-languages.md). Needs
// `npx projen compile` and `npx projen test:snippets` first; run by .ci/run.
project.addTask('test:jsii-targets', {
  description: 'Generate the Python, Java, Go and .NET bindings (code only) and check them offline',
  exec: 'bash scripts/test-jsii-targets.sh',
});

// `package` builds the npm tarball only: the other languages' packages need
// Maven, the .NET SDK, Go, Python and their registries, none of them here;
// `package-all` builds them where they are.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

// `npx projen test:integration`: the node scripts on debootstrapped Debian root
// file systems in namespaces (test/integration). Needs root; skips, saying
// why, where namespaces or the Debian mirror are unavailable. Run by .ci/run.
project.addTask('test:integration', {
  description: 'Run the node scripts on throwaway Debian root file systems (root; minutes)',
  exec: 'jest --runInBand --testPathIgnorePatterns=/node_modules/ --testMatch \'<rootDir>/test/integration/**/*.test.ts\'',
  receiveArgs: true,
});

// `npm run synth`: synthesize every app under examples/ into examples/<app>/dist/.
project.addTask('synth', {
  description: 'Synthesize every example app into examples/<app>/dist/',
  exec: 'node scripts/synth-examples.mjs',
});
project.package.setScript('synth', 'projen synth');

// `npm run bench [-- --json --runs N --apps N --tenants N --jobs N --large N --check]`:
// synthesis time and memory of the platform example, of 1000 jobs, and of a
// SparkPlatform alone and with 1000 and 10,000 jobs against cdk8s alone, against the
// budget (README, Performance). Compiles to .bench/ and runs plain `node`.
project.addTask('bench', {
  description: 'Measure synthesis time and memory against the budget (compiled JavaScript, fresh processes)',
  exec: 'node scripts/bench.mjs',
  receiveArgs: true,
});

project.synth();
