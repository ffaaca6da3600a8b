// The upstream reference data (../shared/reference next to the repository, see its README):
// conformance tests read it when present and skip with a printed reason when absent.
// CDK8S_SPARK_REFERENCE points elsewhere (e.g. a worktree whose sibling has no copy).
import * as fs from 'fs';
import * as path from 'path';

export const REFERENCE_DIR = process.env.CDK8S_SPARK_REFERENCE
  ?? path.join(__dirname, '..', '..', '..', 'shared', 'reference');

/**
 * The path of `parts` under the reference data, or undefined (after printing
 * why, naming `who`) when it is absent.
 */
export function referencePath(who: string, ...parts: string[]): string | undefined {
  const file = path.join(REFERENCE_DIR, ...parts);
  if (fs.existsSync(file)) {
    return file;
  }
  // eslint-disable-next-line no-console
  console.log(`${who}: ${file} is absent (the upstream reference data, ../shared/reference), skipping its conformance tests`);
  return undefined;
}
