import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkScript, checkScripts, formatScript, SHFMT_FLAGS } from './scripts';

const CLEAN = `#!/usr/bin/env bash
set -euo pipefail

target="\${1:?usage: cleanup.sh DIR}"
case "\${2:-}" in
  --force)
    rm -rf -- "\${target}"
    ;;
  *)
    echo "would remove \${target}" >&2
    ;;
esac
`;

describe('checkScript', () => {
  test('accepts a clean, formatted script', () => {
    expect(() => checkScript(CLEAN, 'cleanup.sh')).not.toThrow();
  });

  test('reports shellcheck findings', () => {
    const script = '#!/usr/bin/env bash\nrm $1\n';
    expect(() => checkScript(script, 'rm.sh')).toThrow(/--- shellcheck \(exit 1\) ---[\s\S]*In rm\.sh line 2:\nrm \$1\n[\s\S]*SC2086/);
  });

  test('reports syntax errors', () => {
    const script = '#!/usr/bin/env bash\nif true; then\n  echo hi\n';
    let message = '';
    try {
      checkScript(script, 'broken.sh');
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain('--- bash -n (exit 2) ---\nbroken.sh: line 4: syntax error: unexpected end of file');
    expect(message).toContain('SC1046');
    expect(message).toContain('broken.sh:2:1: if statement must end with "fi"');
  });

  test('reports scripts that are not shfmt-formatted, with a diff', () => {
    const script = '#!/usr/bin/env bash\nif true; then\n    echo hi\nfi\n';
    expect(() => checkScript(script, 'indent.sh')).toThrow(/script indent\.sh failed 1 check\(s\):\n--- shfmt -d -ln bash -i 2 -ci -bn \(exit 1\) ---[\s\S]*-    echo hi\n\+  echo hi/);
  });

  test('says how to install a missing tool instead of skipping', () => {
    // A PATH that has bash but neither shellcheck nor shfmt.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-shellcheck-'));
    const savedPath = process.env.PATH;
    try {
      fs.symlinkSync('/bin/bash', path.join(bin, 'bash'));
      process.env.PATH = bin;
      expect(() => checkScript(CLEAN)).toThrow('shellcheck is not installed (or not on PATH); install it with: apt-get install -y shellcheck shfmt');
      expect(() => formatScript(CLEAN)).toThrow('shfmt is not installed');
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('checkScripts', () => {
  test('checks several scripts at once and names every failing one', async () => {
    await expect(checkScripts({ 'a.sh': CLEAN, 'b.sh': CLEAN.replace('cleanup.sh', 'b.sh') })).resolves.toBeUndefined();
    const failure = checkScripts({
      'clean.sh': CLEAN,
      'rm.sh': '#!/usr/bin/env bash\nrm $1\n',
      'indent.sh': '#!/usr/bin/env bash\nif true; then\n    echo hi\nfi\n',
    });
    await expect(failure).rejects.toThrow(/^script rm\.sh failed 1 check\(s\):\n--- shellcheck \(exit 1\) ---[\s\S]*SC2086[\s\S]*\nscript indent\.sh failed 1 check\(s\):\n--- shfmt -d/);
    await expect(failure).rejects.not.toThrow(/clean\.sh/);
  });

  test('one text under several names is checked once, and a failure names every one of them', async () => {
    const bad = '#!/usr/bin/env bash\nrm $2\n';
    await expect(checkScripts({ 'x.sh': bad, 'ok.sh': CLEAN, 'y.sh': bad })).rejects.toThrow(
      /^script x\.sh \(also y\.sh\) failed 1 check\(s\):\n--- shellcheck \(exit 1\) ---[\s\S]*SC2086[^]*$/);
    await expect(checkScripts({ 'x.sh': bad, 'y.sh': bad })).rejects.not.toThrow(/\nscript y\.sh/);
  });

  test('a remembered pass covers only the exact text: a changed script is checked again', async () => {
    checkScript(CLEAN, 'cleanup.sh');
    const changed = CLEAN.replace('rm -rf -- "${target}"', 'rm -rf -- ${target}');
    expect(() => checkScript(changed, 'cleanup.sh')).toThrow(/SC2086/);
    await expect(checkScripts({ 'cleanup.sh': changed })).rejects.toThrow(/SC2086/);
  });
});

describe('formatScript', () => {
  test('uses SHFMT_FLAGS: 2-space indent, indented case branches, operators first', () => {
    expect(SHFMT_FLAGS).toEqual(['-ln', 'bash', '-i', '2', '-ci', '-bn']);
    const messy = '#!/usr/bin/env bash\ncase "$1" in\na)\necho a &&\necho b\n;;\nesac\n';
    const formatted = formatScript(messy);
    expect(formatted).toBe('#!/usr/bin/env bash\ncase "$1" in\n  a)\n    echo a \\\n      && echo b\n    ;;\nesac\n');
    expect(() => checkScript(formatted, 'formatted.sh')).not.toThrow();
  });

  test('is idempotent on formatted input', () => {
    expect(formatScript(CLEAN)).toBe(CLEAN);
  });

  test('throws on unparsable input', () => {
    expect(() => formatScript('if true; then\n')).toThrow(/shfmt could not format the script:\n.*must end with "fi"/);
  });
});
