// Compiles the TypeScript samples of Markdown files that are not part of the
// jsii assembly (docs/*.md; README.md is, and `jsii-rosetta extract --strict`
// compiles it with the @example snippets) the way `jsii-rosetta extract
// --strict` does: each sample in its fixture (rosetta/*.ts-fixture), against
// the built library (lib/, from `npx projen compile`) and its peers, with
// rosetta's strict compiler options; every diagnostic, of the compiler or of a
// translation, fails. Usage: ts-node scripts/snippets/check-markdown.ts FILE.md...
import { readFileSync, realpathSync } from 'fs';
import { dirname, join, relative } from 'path';
import { RosettaTranslator, TypeScriptSnippet } from 'jsii-rosetta';

const ROOT = join(__dirname, '..', '..');

// Not in jsii-rosetta's package exports: loaded by path, from the jsii-rosetta
// of the build (~5.9), as its `extract` command uses them.
function rosettaLib<T>(module: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(dirname(require.resolve('jsii-rosetta')), module)) as T;
}
const { extractTypescriptSnippetsFromMarkdown } = rosettaLib<{
  extractTypescriptSnippetsFromMarkdown(markdown: string, location: { api: 'file'; fileName: string }, strict: boolean): TypeScriptSnippet[];
}>('markdown/extract-snippets');
const { fixturize } = rosettaLib<{ fixturize(snippet: TypeScriptSnippet, loose?: boolean): TypeScriptSnippet }>('fixtures');

/** What a sample compiles against: this package (its lib/) and the packages it imports. */
function compilationDependencies(): TypeScriptSnippet['compilationDependencies'] {
  const at = (name: string) => ({
    type: 'concrete' as const,
    resolvedDirectory: realpathSync(dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }))),
  });
  return {
    'cdk8s-spark': { type: 'concrete', resolvedDirectory: realpathSync(ROOT) },
    ...Object.fromEntries(
      ['cdk8s', 'cdk8s-plus-28', 'constructs'].map((name) => [name, at(name)]),
    ),
  };
}

/** The samples of one Markdown file, each in its fixture, strict as `extract --strict` makes them. */
export function markdownSnippets(file: string): TypeScriptSnippet[] {
  const fileName = relative(ROOT, file);
  const dependencies = compilationDependencies();
  return extractTypescriptSnippetsFromMarkdown(readFileSync(file, 'utf8'), { api: 'file', fileName }, true).map((snippet) => fixturize({
    ...snippet,
    // Where fixturize looks for rosetta/<fixture>.ts-fixture.
    parameters: { ...snippet.parameters, $directory: ROOT },
    compilationDependencies: dependencies,
  }));
}

async function main(files: string[]): Promise<void> {
  if (files.length === 0) throw new Error('usage: check-markdown.ts FILE.md...');
  const snippets = files.flatMap((file) => markdownSnippets(file));
  const translator = new RosettaTranslator({ includeCompilerDiagnostics: true });
  const { diagnostics } = await translator.translateAll(snippets, { addToTablet: false });
  if (diagnostics.length > 0) {
    // Colours only on a terminal, as jsii-rosetta prints them.
    const plain = (text: string) => (process.stderr.isTTY ? text : text.replace(/\x1b\[[0-9;]*m/g, ''));
    for (const d of diagnostics) process.stderr.write(`${plain(d.formattedMessage)}\n`);
    throw new Error(`${diagnostics.length} diagnostics in the ${snippets.length} samples of ${files.length} files`);
  }
  console.log(`check-markdown: the ${snippets.length} TypeScript samples of ${files.length} files compile (jsii-rosetta, strict)`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`check-markdown: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
