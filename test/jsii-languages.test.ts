/**
 * The public names kept although a jsii target language reserves them: the
 * `@jsii suppress reserved-word` tags in src/ and the rows of
 * docs/jsii-languages.md must name the same declarations. The compile (`jsii
 * --fail-on-warnings`) fails on an untagged one; `npx projen test:jsii-targets`
 * checks the rows' generated names against jsii-pacmak's output.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DOC, readDoc, reservingLanguages, suppressedNames } from '../scripts/jsii-targets/reserved-words';

const doc = readDoc(fs.readFileSync(DOC, 'utf8'));
const { names, problems } = suppressedNames();

describe('reserved words kept in the API (docs/jsii-languages.md)', () => {
  test('every tag suppresses reserved-word only, on a member under which a name is reserved', () => {
    expect(problems).toEqual([]);
    expect(names.length).toBeGreaterThan(0);
  });

  test('the tagged names are exactly the documented ones', () => {
    const keys = (list: typeof names) => list.map((n) => `${n.key} (${n.kind})`).sort();
    expect(keys(doc)).toEqual(keys(names));
    expect(new Set(doc.map((r) => r.key)).size).toBe(doc.length);
  });

  test('each section names the languages jsii says reserve its word, with a generated name for each', () => {
    for (const row of doc) {
      expect({ key: row.key, languages: row.languages }).toEqual({ key: row.key, languages: reservingLanguages(row.word) });
      expect({ key: row.key, word: row.key.includes('(') ? /\(([^)]+)\)$/.exec(row.key)![1] : row.key.split('.')[1] })
        .toEqual({ key: row.key, word: row.word });
      for (const language of row.languages) {
        expect({ key: row.key, language, generated: row.generated![language] }).toEqual(
          { key: row.key, language, generated: expect.stringMatching(/\S/) });
      }
    }
  });

  test('jsii reserves the words the doc keeps, and not an ordinary name', () => {
    expect(reservingLanguages('namespace')).toEqual(['C#']);
    expect(reservingLanguages('with')).toEqual(['Python']);
    expect(reservingLanguages('type')).toEqual(['Go']);
    expect(reservingLanguages('registryOverride')).toEqual([]);
  });
});

describe('suppressedNames', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-reserved-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const scan = (source: string) => {
    fs.writeFileSync(path.join(dir, 'a.ts'), source);
    return suppressedNames(dir);
  };

  test('names a property, a method and its reserved parameters by type', () => {
    const { names: found, problems: found2 } = scan(`
      export class Peer {
        /**
         * Doc.
         * @jsii suppress reserved-word see docs
         */
        public static namespace(namespace: string, labels?: string): Peer { return new Peer(); }
      }
      export interface Props {
        /** @jsii suppress reserved-word */
        readonly type: string;
      }`);
    expect(found2).toEqual([]);
    expect(found.map((n) => [n.key, n.kind, n.languages])).toEqual([
      ['Peer.namespace', 'method', ['C#']],
      ['Peer.namespace(namespace)', 'parameter', ['C#']],
      ['Props.type', 'property', ['Go']],
    ]);
  });

  test.each([
    ['a tag on a class', '/** @jsii suppress reserved-word */\nexport class A { readonly namespace = "x"; }', /on a ClassDeclaration/],
    ['a tag on an interface', '/** @jsii suppress reserved-word */\nexport interface A { readonly namespace: string; }', /on a InterfaceDeclaration/],
    ['another warning', 'export class A {\n  /** @jsii suppress JSII5018 */\n  readonly namespace = "x";\n}', /suppress JSII5018: only `@jsii suppress reserved-word`/],
    ['a tag with nothing reserved under it', 'export class A {\n  /** @jsii suppress reserved-word */\n  readonly name = "x";\n}', /no name here is reserved/],
  ])('refuses %s', (_what, source, message) => {
    const found = scan(source).problems;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });
});
