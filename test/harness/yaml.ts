// YAML parsing for tests. cdk8s's Yaml.load reads files through a child
// process (it also fetches URLs), which costs about 100 ms a call; parsing
// in-process keeps the conformance tests fast.
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';

/** The non-empty documents of a multi-document YAML text, as plain JSON values. */
export function parseYamlDocuments(text: string): any[] {
  return parseAllDocuments(text).map((doc) => doc.toJS()).filter((doc) => doc !== null && doc !== undefined);
}

/** The non-empty documents of a YAML file. */
export function loadYamlFile(file: string): any[] {
  return parseYamlDocuments(fs.readFileSync(file, 'utf8'));
}
