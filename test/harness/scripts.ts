/**
 * Shell script checks for tests of constructs that generate scripts (kubeadm
 * node setup, init containers, ...). A generated script must parse with
 * `bash -n`, pass shellcheck at every severity and already be formatted the
 * way shfmt formats it with SHFMT_FLAGS.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * shfmt flags shared by the check and by `formatScript`: bash dialect (the
 * same dialect shellcheck and `bash -n` use), 2-space indent, indented
 * `case` branches, binary operators such as `&&` and `|` at the start of a
 * continued line.
 */
export const SHFMT_FLAGS: readonly string[] = ['-ln', 'bash', '-i', '2', '-ci', '-bn'];

/** shellcheck flags: bash dialect, report all severities, ignore stray .shellcheckrc files. */
const SHELLCHECK_FLAGS: readonly string[] = ['-s', 'bash', '-S', 'style', '--norc', '--color=never'];

const INSTALL_HINT = 'install it with: apt-get install -y shellcheck shfmt';

interface ToolResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool; a missing binary is an error that says how to install it, never a silent skip. */
function run(tool: string, args: readonly string[], options: { input?: string; cwd?: string } = {}): ToolResult {
  // env is passed explicitly so that the PATH seen by this process (e.g. jest's
  // sandboxed process.env) is the one used to find the tool.
  const result = spawnSync(tool, args, { ...options, env: process.env, encoding: 'utf8', timeout: 60_000 });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed (or not on PATH); ${INSTALL_HINT}`);
    }
    throw new Error(`failed to run ${tool}: ${result.error.message}`);
  }
  // A tool killed by a signal has no exit status: count it as a failure.
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** A file name for the temp copy, so tool output names the script. */
function safeFileName(name: string): string {
  const base = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_');
  return base || 'script.sh';
}

/**
 * Checks a shell script with `bash -n`, shellcheck and shfmt (diff mode).
 * Throws an Error containing every failing tool's output.
 *
 * @param content the script text
 * @param name a name for messages (e.g. `kubeadm-init.sh`)
 */
export function checkScript(content: string, name = 'script.sh'): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-script-'));
  const file = safeFileName(name);
  try {
    fs.writeFileSync(path.join(dir, file), content);
    // The tools run in the temp dir on the bare file name, so their messages
    // name the script rather than a temp path.
    const checks: Array<[string, string, string[]]> = [
      ['bash -n', 'bash', ['-n', file]],
      ['shellcheck', 'shellcheck', [...SHELLCHECK_FLAGS, file]],
      [`shfmt -d ${SHFMT_FLAGS.join(' ')}`, 'shfmt', ['-d', ...SHFMT_FLAGS, file]],
    ];
    const failures: string[] = [];
    for (const [label, tool, args] of checks) {
      const result = run(tool, args, { cwd: dir });
      if (result.status !== 0) {
        const output = [result.stdout, result.stderr].filter((s) => s.trim()).join('\n').trimEnd();
        failures.push(`--- ${label} (exit ${result.status}) ---\n${output}`);
      }
    }
    if (failures.length > 0) {
      throw new Error(`script ${name} failed ${failures.length} check(s):\n${failures.join('\n')}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Formats a script with shfmt and SHFMT_FLAGS; throws when shfmt cannot parse it. */
export function formatScript(content: string): string {
  const result = run('shfmt', SHFMT_FLAGS, { input: content });
  if (result.status !== 0) {
    throw new Error(`shfmt could not format the script:\n${result.stderr.trimEnd()}`);
  }
  return result.stdout;
}
