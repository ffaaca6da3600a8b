import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { AppSlot } from './app-context';
import { brand, isBranded } from './brand';
import { check } from './errors';

/**
 * Properties of {@link GeneratedFile}.
 */
export interface GeneratedFileProps {
  /** Path relative to the app's output directory, e.g. `nodes/control-plane.sh`. */
  readonly path: string;

  /** The file's content. */
  readonly content: string;

  /**
   * Unix file mode.
   * @default 0o644
   */
  readonly mode?: number;
}

/**
 * A file other than a manifest that the app writes into its output directory
 * when it synthesizes: node bootstrap scripts, kubeadm configuration, build
 * scripts.
 *
 * cdk8s has no asset stage; the file is written while `app.synth()` validates
 * the construct tree, which happens right after the output directory is
 * created and before the manifests are written. Two files with one path in
 * one app are an error.
 */
export class GeneratedFile extends Construct {
  /** True when `x` is a GeneratedFile (of any copy of this library). */
  public static isGeneratedFile(x: any): x is GeneratedFile {
    return isBranded(x, 'GeneratedFile');
  }

  /** All generated files of the app containing `scope`, in construct order. */
  public static allOf(scope: Construct): GeneratedFile[] {
    return App.of(scope).node.findAll().filter((c): c is GeneratedFile => GeneratedFile.isGeneratedFile(c));
  }

  /** Path relative to the output directory. */
  public readonly path: string;
  private readonly givenContent: string;
  /** Unix file mode. */
  public readonly mode: number;
  private written?: { readonly target: string; readonly content: string };

  constructor(scope: Construct, id: string, props: GeneratedFileProps) {
    super(scope, id);
    brand(this, 'GeneratedFile');
    const normalized = path.posix.normalize(props.path ?? '');
    check(typeof props.path === 'string' && props.path.length > 0 && !path.posix.isAbsolute(props.path)
      && normalized === props.path && !normalized.startsWith('..') && !props.path.includes('\\'),
    this, 'path', props.path, 'a relative path inside the output directory, e.g. "nodes/worker.sh", without "..", "./" or "\\"');
    check(/\.k8s\.ya?ml$/.test(props.path) === false, this, 'path', props.path,
      'a name that does not end in .k8s.yaml (reserved for the charts\' manifests)');
    const mode = props.mode ?? 0o644;
    check(Number.isInteger(mode) && mode >= 0 && mode <= 0o777, this, 'mode', mode, 'a Unix mode from 0 to 0o777');
    this.path = props.path;
    this.givenContent = props.content;
    this.mode = mode;

    const samePath = FILES_BY_PATH.of(this);
    samePath.set(this.path, [...(samePath.get(this.path) ?? []), this]);

    // cdk8s validates the whole app once per chart: the clash check is a
    // lookup, and the file is written once per output directory.
    this.node.addValidation({
      validate: () => {
        if ((samePath.get(this.path) ?? []).length > 1) {
          const clash = GeneratedFile.allOf(this).find((f) => f !== this && f.path === this.path);
          if (clash) {
            return [`${this.node.path}: generated file path "${this.path}" is also written by ${clash.node.path}`];
          }
        }
        // Rewritten when the content changed since the last write (a later
        // synth of the same app after a lazily rendered input changed).
        const target = path.join(App.of(this).outdir, this.path);
        const content = this.content;
        if (this.written?.target !== target || this.written.content !== content || !fs.existsSync(target)) {
          this.write(target, content);
        }
        return [];
      },
    });
  }
  /** The content (read when the app writes the file). */
  public get content(): string {
    return this.renderContent();
  }

  /**
   * Produces the content. Subclasses whose content depends on what is added
   * to the app after them override this; it runs when the file is written.
   */
  protected renderContent(): string {
    return this.givenContent;
  }


  /** Writes the file below `outdir` with its mode. */
  public writeTo(outdir: string): void {
    this.write(path.join(outdir, this.path), this.content);
  }

  private write(target: string, content: string): void {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content, { mode: this.mode });
    // writeFileSync applies the mode only when it creates the file.
    fs.chmodSync(target, this.mode);
    this.written = { target, content };
  }
}

/** The app's generated files by path. */
const FILES_BY_PATH = new AppSlot('generated-files-by-path', () => new Map<string, GeneratedFile[]>());
