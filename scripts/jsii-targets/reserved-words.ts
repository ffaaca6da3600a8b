// The public names that are keywords in a jsii target language, kept on
// purpose: each carries `@jsii suppress reserved-word` in src/ and a row in
// docs/jsii-languages.md. test/jsii-languages.test.ts keeps the tags and the
// rows equal (the compile, `jsii --fail-on-warnings`, fails on an untagged one);
// run as a script on jsii-pacmak's output (scripts/test-jsii-targets.sh), this
// checks that each documented generated name is what pacmak wrote.
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import * as ts from 'typescript';

export const ROOT = join(__dirname, '..', '..');
export const DOC = join(ROOT, 'docs', 'jsii-languages.md');

/** A reserved name the API keeps: one table row of the doc, or one name under a tag in src/. */
export interface KeptName {
  /** `Type.member` for a property or method, `Type.method(param)` for a parameter. */
  readonly key: string;
  /** The reserved word itself. */
  readonly word: string;
  readonly kind: 'property' | 'method' | 'parameter';
  /** The languages reserving the word, as jsii names them (`C#`, `Java`, `Python`, `Go`). */
  readonly languages: string[];
  /** What jsii-pacmak generates for it in each reserving language (doc rows only). */
  readonly generated?: { [language: string]: string };
}

/** The languages jsii warns about for `name` (jsii's own list), or [] when none reserves it. */
export function reservingLanguages(name: string): string[] {
  // Not in jsii's package exports: loaded by path, from the jsii that compiles the library.
  const lib = join(dirname(require.resolve('jsii/package.json')), 'lib', 'reserved-words.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isReservedName } = require(lib) as { isReservedName(n: string): string[] | undefined };
  return isReservedName(name) ?? [];
}

/**
 * The rows of docs/jsii-languages.md: under each `## \`word\`: reserved in L1, L2`
 * heading, a table `| Declaration | Kind | L1 | L2 |` with one row per kept name.
 */
export function readDoc(markdown: string): KeptName[] {
  const rows: KeptName[] = [];
  let word: string | undefined;
  let languages: string[] = [];
  let header: string[] | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^## `([^`]+)`: reserved in (.+)$/.exec(line);
    if (heading) {
      word = heading[1];
      languages = heading[2].split(',').map((l) => l.trim());
      header = undefined;
      continue;
    }
    if (line.startsWith('## ')) {
      word = undefined;
      continue;
    }
    if (word === undefined || !line.startsWith('|')) continue;
    const cells = line.slice(1, line.lastIndexOf('|')).split('|').map((c) => c.trim());
    if (header === undefined) {
      header = cells;
      continue;
    }
    if (cells.every((c) => /^-+$/.test(c))) continue;
    const key = /^`([^`]+)`$/.exec(cells[0])?.[1];
    const kind = cells[1];
    if (key === undefined || !['property', 'method', 'parameter'].includes(kind)) {
      throw new Error(`${relative(ROOT, DOC)}: malformed row under \`${word}\`: ${line}`);
    }
    const generated: { [language: string]: string } = {};
    header.slice(2).forEach((language, i) => {
      generated[language] = /^`([^`]+)`$/.exec(cells[i + 2] ?? '')?.[1] ?? '';
    });
    rows.push({ key, word, kind: kind as KeptName['kind'], languages, generated });
  }
  return rows;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'imports' ? [] : sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

type Member = ts.PropertyDeclaration | ts.PropertySignature | ts.MethodDeclaration | ts.MethodSignature
| ts.GetAccessorDeclaration | ts.SetAccessorDeclaration | ts.ConstructorDeclaration;

function isMember(node: ts.Node): node is Member {
  return ts.isPropertyDeclaration(node) || ts.isPropertySignature(node) || ts.isMethodDeclaration(node)
    || ts.isMethodSignature(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node) || ts.isConstructorDeclaration(node);
}

/** The `@jsii suppress` directives in the doc comments a node carries itself (as jsii reads them). */
function suppressions(node: ts.Node): string[] {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  return docs.flatMap((doc) => doc.tags ?? [])
    .filter((tag) => tag.tagName.text === 'jsii')
    .flatMap((tag) => (ts.getTextOfJSDocComment(tag.comment) ?? '').split(/[\n,]/))
    .map((text) => text.trim().split(/\s+/))
    .filter(([subcommand]) => subcommand === 'suppress')
    .map(([, code]) => code ?? '');
}

/**
 * Every reserved name under a `@jsii suppress reserved-word` tag in src/, and
 * the problems found: a tag on a whole type (it would hide names added later),
 * a suppression of another warning, a tag under which no name is reserved.
 */
export function suppressedNames(srcDir = join(ROOT, 'src')): { names: KeptName[]; problems: string[] } {
  const names: KeptName[] = [];
  const problems: string[] = [];
  for (const file of sources(srcDir)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('@jsii')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const codes = suppressions(node);
      if (codes.length > 0) {
        const where = `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
        if (!isMember(node)) {
          problems.push(`${where}: @jsii suppress on a ${ts.SyntaxKind[node.kind]}; put it on the member that keeps the name`);
        } else {
          for (const code of codes.filter((c) => c !== 'reserved-word')) {
            problems.push(`${where}: @jsii suppress ${code}: only \`@jsii suppress reserved-word\` is documented (docs/jsii-languages.md)`);
          }
          if (codes.includes('reserved-word')) {
            const kept = keptNames(node);
            if (kept.length === 0) problems.push(`${where}: @jsii suppress reserved-word, yet no name here is reserved in a jsii language`);
            names.push(...kept);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { names, problems };
}

function keptNames(member: Member): KeptName[] {
  const parent = member.parent;
  const type = (ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)) && parent.name ? parent.name.text : '?';
  const memberName = ts.isConstructorDeclaration(member) ? 'constructor' : member.name.getText();
  const out: KeptName[] = [];
  const ownLanguages = ts.isConstructorDeclaration(member) ? [] : reservingLanguages(memberName);
  if (ownLanguages.length > 0) {
    const kind = ts.isMethodDeclaration(member) || ts.isMethodSignature(member) ? 'method' : 'property';
    out.push({ key: `${type}.${memberName}`, word: memberName, kind, languages: ownLanguages });
  }
  const parameters = 'parameters' in member ? member.parameters : undefined;
  for (const parameter of parameters ?? []) {
    const name = parameter.name.getText();
    const languages = reservingLanguages(name);
    if (languages.length > 0) out.push({ key: `${type}.${memberName}(${name})`, word: name, kind: 'parameter', languages });
  }
  return out;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Targets {
  readonly dotnet: { namespace: string; packageId: string };
  readonly go: { packageName: string };
  readonly python: { module: string };
  readonly java: { package: string };
}

/** The generated text of `type` in `language` under jsii-pacmak's `outdir`, or undefined when absent. */
function generatedType(outdir: string, targets: Targets, language: string, type: string): string | undefined {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  switch (language) {
    case 'C#':
      return read(join(outdir, 'dotnet', targets.dotnet.packageId, ...targets.dotnet.namespace.split('.'), `${type}.cs`));
    case 'Go':
      return read(join(outdir, 'go', targets.go.packageName, `${type}.go`));
    case 'Java':
      return read(join(outdir, 'java', 'src', 'main', 'java', ...targets.java.package.split('.'), `${type}.java`));
    case 'Python': {
      // One module file: the class's block, from `class Type(` to the next top-level statement.
      const text = read(join(outdir, 'python', 'src', targets.python.module, '__init__.py'));
      const start = text?.search(new RegExp(`^class ${esc(type)}\\(`, 'm')) ?? -1;
      if (text === undefined || start < 0) return undefined;
      const body = text.indexOf('\n', start) + 1;
      const end = text.slice(body).search(/^\S/m);
      return end < 0 ? text.slice(start) : text.slice(start, body + end);
    }
    default:
      return undefined;
  }
}

/** How each language declares a kept name (its generated spelling `g`), as a pattern over the type's generated text. */
function declaration(language: string, row: KeptName, g: string): RegExp | undefined {
  const method = /^[^.]+\.([^(]+)/.exec(row.key)![1];
  const callable = method === 'constructor' ? row.key.split('.')[0] : method;
  switch (`${language} ${row.kind}`) {
    case 'C# property': return new RegExp(`^\\s*[^/\\n]*\\s${esc(g)}\\s*$`, 'm');
    case 'C# method': return new RegExp(`\\s${esc(g)}\\(`);
    case 'C# parameter': return new RegExp(`\\s${esc(pascal(callable))}\\([^)]*\\s${esc(g)}\\b`);
    case 'Go property': return new RegExp(`^\\t${esc(g)}(\\(\\))?\\s`, 'm');
    case 'Go method': return new RegExp(`^(\\t|func .*\\)\\s)${esc(g)}\\(`, 'm');
    case 'Python property':
    case 'Python method': return new RegExp(`^\\s+def ${esc(g)}\\(`, 'm');
    case 'Python parameter': return new RegExp(`^\\s+${esc(g)}: `, 'm');
    case 'Java property':
    case 'Java method': return new RegExp(`\\s${esc(g)}\\(`);
    case 'Java parameter': return new RegExp(`\\s${esc(callable)}\\([^)]*\\s${esc(g)}[,)]`);
    default: return undefined;
  }
}

/** Problems with the doc's generated names against jsii-pacmak's code-only output in `outdir`. */
export function checkGenerated(outdir: string, rows: KeptName[]): string[] {
  const targets = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).jsii.targets as Targets;
  const problems: string[] = [];
  for (const row of rows) {
    const type = row.key.split('.')[0];
    for (const language of row.languages) {
      const g = row.generated?.[language];
      const text = generatedType(outdir, targets, language, type);
      const pattern = g ? declaration(language, row, g) : undefined;
      if (!g) problems.push(`${row.key}: the doc gives no ${language} name`);
      else if (text === undefined) problems.push(`${row.key}: no generated ${language} code for ${type}`);
      else if (pattern === undefined) problems.push(`${row.key}: no rule to find a ${language} ${row.kind}; add one to ${relative(ROOT, __filename)}`);
      else if (!pattern.test(text)) problems.push(`${row.key}: ${language} declares no \`${g}\` (${pattern})`);
    }
  }
  return problems;
}

if (require.main === module) {
  const outdir = process.argv[2];
  if (!outdir) throw new Error('usage: reserved-words.ts <jsii-pacmak outdir>');
  const rows = readDoc(readFileSync(DOC, 'utf8'));
  const problems = checkGenerated(outdir, rows);
  if (problems.length > 0) {
    console.error(`${relative(ROOT, DOC)} does not match the generated code:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const words = [...new Set(rows.map((r) => r.word))].join(', ');
  console.log(`reserved words: ${rows.length} kept names (${words}) generated as ${relative(ROOT, DOC)} says`);
}
