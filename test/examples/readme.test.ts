// The YAML excerpts in README.md, each marked `<!-- excerpt: examples/<app> -->`, must be
// part of what that example synthesizes: every mapping key present with the same value,
// every list item found in the synthesized list.
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { buildApp as cloudEventLogs } from '../../examples/cloud-event-logs/main';
import { buildApp as connect } from '../../examples/connect/main';
import { buildApp as multiTenant, buildArgoCd } from '../../examples/multi-tenant/main';
import { buildApp as platform } from '../../examples/platform/main';
import { buildApp as registryObjectStorage } from '../../examples/registry-object-storage/main';
import { buildApp as shuffle } from '../../examples/shuffle/main';
import { buildApp as sparkJobs } from '../../examples/spark-jobs/main';
import { buildApp as standalone } from '../../examples/standalone/main';
import { buildApp as thrift } from '../../examples/thrift/main';
import { parseYamlDocuments } from '../harness/yaml';

const synthAll = (app: { charts: any[] }) => app.charts.flatMap((c) => Testing.synth(c));

const EXAMPLES: { [name: string]: () => any[] } = {
  'examples/platform': () => synthAll(platform(Testing.app())),
  'examples/spark-jobs': () => synthAll(sparkJobs(Testing.app())),
  'examples/thrift': () => synthAll(thrift(Testing.app())),
  'examples/standalone': () => synthAll(standalone(Testing.app())),
  'examples/cloud-event-logs': () => synthAll(cloudEventLogs(Testing.app())),
  'examples/connect': () => synthAll(connect(Testing.app())),
  'examples/shuffle': () => synthAll(shuffle(Testing.app())),
  'examples/registry-object-storage': () => synthAll(registryObjectStorage(Testing.app())),
  'examples/multi-tenant': () => {
    const app = Testing.app();
    const p = multiTenant(app);
    return [...synthAll(app), ...synthAll(buildArgoCd(Testing.app(), p))];
  },
};

/** Where `expected` is not part of `actual`, as a path; undefined when it is. */
function mismatch(expected: any, actual: any, at: string): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: not a list`;
    for (const [i, item] of expected.entries()) {
      if (!actual.some((a: any) => mismatch(item, a, at) === undefined)) return `${at}[${i}]: ${JSON.stringify(item)} not found`;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${at}: not a mapping`;
    for (const [key, value] of Object.entries(expected)) {
      const m = mismatch(value, actual[key], `${at}.${key}`);
      if (m) return m;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${at}: ${JSON.stringify(expected)} != ${JSON.stringify(actual)}`;
}

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const excerpts = [...readme.matchAll(/<!-- excerpt: (\S+) -->\s*```yaml\n([\s\S]*?)```/g)].map((m) => ({ example: m[1], yaml: m[2] }));

// An example may have several excerpts (e.g. examples/connect: the operator's server, then the native one).
test('README has an excerpt for every example scenario', () => {
  expect([...new Set(excerpts.map((e) => e.example))].sort()).toEqual(Object.keys(EXAMPLES).sort());
});

test.each(excerpts.map((e, i) => [e.example, i, e.yaml]))('README excerpt of %s (#%i) is part of its output', (example, _, yaml) => {
  const manifests = EXAMPLES[example]();
  for (const doc of parseYamlDocuments(yaml)) {
    const candidates = manifests.filter((m) => m.kind === doc.kind && m.metadata?.name === doc.metadata.name
      && (doc.metadata.namespace === undefined || m.metadata.namespace === doc.metadata.namespace));
    expect(candidates.length).toBeGreaterThan(0);
    const problems = candidates.map((c) => mismatch(doc, c, `${doc.kind}/${doc.metadata.name}`));
    expect(problems.some((p) => p === undefined) ? [] : problems).toEqual([]);
  }
});

test('the subset check finds differences', () => {
  expect(mismatch({ a: [1, { b: 2 }] }, { a: [{ b: 2, c: 3 }, 1, 4] }, '')).toBeUndefined();
  expect(mismatch({ a: [5] }, { a: [1] }, '')).toBe('.a[0]: 5 not found');
  expect(mismatch({ a: { b: '2' } }, { a: { b: 2 } }, '')).toBe('.a.b: "2" != 2');
});
