import { IConstruct } from 'constructs';
import { AppSlot } from './app-context';
import { brand, isBranded } from './brand';
import { check, pathOf, Where } from './errors';
import { parseHostPort } from './host-port';
import { ImageName, parseImageName, requirePinned } from './image-name';

/**
 * Options for {@link ImageRegistryOverride.mirror}.
 */
export interface ImageMirrorOptions {
  /**
   * Path prefix on the mirror, e.g. `proxy` to turn `docker.io/apache/spark:4.0.4`
   * into `mirror.example:5000/proxy/apache/spark:4.0.4`.
   * @default - no prefix
   */
  readonly pathPrefix?: string;

  /**
   * Only rewrite images from these source registries (e.g. `docker.io`,
   * `registry.k8s.io`, `ghcr.io`).
   * @default - every registry except the mirror itself
   */
  readonly sourceRegistries?: string[];

  /**
   * Keep the source registry host as the first path component on the mirror
   * (`mirror/docker.io/apache/spark`), the layout of mirrors that proxy
   * several upstreams under one host.
   * @default false
   */
  readonly includeSourceRegistry?: boolean;
}

const PATH = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
/** The override applied to each scope. */
const OVERRIDES = new AppSlot('image-registry-overrides', () => new Map<IConstruct, ImageRegistryOverride>());
/** The constructs that have read the override in force (to emit their images), and what they saw. */
const READERS = new AppSlot('image-registry-override-readers', () => new Map<IConstruct, InForce | undefined>());

interface InForce {
  readonly override: ImageRegistryOverride;
  readonly scope: IConstruct;
}

/**
 * Rewrites every image this library emits to a registry mirror.
 *
 * Attach it to a scope (usually the App or a Chart) with
 * {@link ImageRegistryOverride.apply}; every construct below that scope
 * resolves its images through {@link ImageRegistryOverride.resolve}: container
 * images, kubeadm's image repository and containerd's sandbox image alike.
 *
 * Constructs emit their images when they are built, so apply the override
 * before creating them (right after creating the App or Chart): an override
 * applied above a construct after it has emitted its images fails synthesis,
 * naming the construct and the override, instead of leaving those images
 * unchanged.
 */
export class ImageRegistryOverride {
  /** True when `x` is an ImageRegistryOverride (of any copy of this library). */
  public static isImageRegistryOverride(x: any): x is ImageRegistryOverride {
    return isBranded(x, 'ImageRegistryOverride');
  }

  /**
   * Rewrites images to `registry` (a `host[:port]`).
   */
  public static mirror(registry: string, options: ImageMirrorOptions = {}): ImageRegistryOverride {
    const where = 'ImageRegistryOverride.mirror';
    validateRegistryHost(where, 'registry', registry);
    if (options.pathPrefix !== undefined) {
      check(PATH.test(options.pathPrefix), where, 'pathPrefix', options.pathPrefix,
        'lowercase path components separated by \'/\', without leading or trailing \'/\'');
    }
    for (const source of options.sourceRegistries ?? []) {
      validateRegistryHost(where, 'sourceRegistries', source);
    }
    return new ImageRegistryOverride(registry, options);
  }

  /**
   * Applies `registryOverride` to every image emitted below `scope`. A nearer scope's
   * override wins over one applied higher up.
   */
  public static apply(scope: IConstruct, registryOverride: ImageRegistryOverride): void {
    check(ImageRegistryOverride.isImageRegistryOverride(registryOverride), scope, 'image registry override', typeof registryOverride,
      'an ImageRegistryOverride, e.g. ImageRegistryOverride.mirror("registry.example.com:5000")');
    const overrides = OVERRIDES.of(scope);
    check(!overrides.has(scope), scope, 'image registry override', registryOverride.registry,
      'one override per scope; apply a different one to a child scope instead');
    overrides.set(scope, registryOverride);
  }

  /**
   * The override in force at `scope`, if any. The construct `scope` is
   * recorded as having read it: applying another override above it later
   * fails synthesis (its images were already emitted).
   */
  public static of(scope: IConstruct): ImageRegistryOverride | undefined {
    const found = inForce(scope);
    const readers = READERS.of(scope);
    if (!readers.has(scope)) {
      readers.set(scope, found);
      scope.node.addValidation({ validate: () => lateOverride(scope, found) });
    }
    return found?.override;
  }

  /**
   * The image reference to emit at `scope`: `image` rewritten by the override
   * in force, or normalized (fully qualified) when there is none. Throws
   * unless the image is pinned (a tag other than `latest`, or a digest).
   */
  public static resolve(scope: IConstruct, image: string): string {
    const name = requirePinned(scope, 'image', image);
    const override = ImageRegistryOverride.of(scope);
    return (override ? override.rewriteName(name) : name).toString();
  }

  /** The mirror's `host[:port]`. */
  public readonly registry: string;
  private readonly options: ImageMirrorOptions;

  private constructor(registry: string, options: ImageMirrorOptions) {
    brand(this, 'ImageRegistryOverride');
    this.registry = registry;
    this.options = { ...options, sourceRegistries: options.sourceRegistries ? [...options.sourceRegistries] : undefined };
  }

  /**
   * Rewrites one image reference.
   * @param image e.g. `apache/spark:4.0.4` or `registry.k8s.io/pause:3.10`
   */
  public rewrite(image: string): string {
    return this.rewriteName(parseImageName('ImageRegistryOverride.rewrite', 'image', image)).toString();
  }

  /**
   * Where a whole upstream repository namespace lands on the mirror, for tools
   * that take a repository prefix instead of image names (kubeadm's
   * `imageRepository`, flannel's image prefix).
   * @param sourceRepository e.g. `registry.k8s.io`
   */
  public rewriteRepository(sourceRepository: string): string {
    const name = parseImageName('ImageRegistryOverride.rewriteRepository', 'sourceRepository', `${sourceRepository}/x`);
    const rewritten = this.rewriteName(name);
    return rewritten.toString().replace(/\/x$/, '');
  }

  private rewriteName(name: ImageName): ImageName {
    const sources = this.options.sourceRegistries;
    if (name.registry === this.registry || (sources && !sources.includes(name.registry))) {
      return name;
    }
    const path = [this.options.pathPrefix, this.options.includeSourceRegistry ? name.registry : undefined, name.path]
      .filter((p) => p !== undefined)
      .join('/');
    return new ImageName(this.registry, path, name.tag, name.digest);
  }
}

function inForce(scope: IConstruct): InForce | undefined {
  const overrides = OVERRIDES.of(scope);
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const override = overrides.get(scopes[i]);
    if (override) {
      return { override, scope: scopes[i] };
    }
  }
  return undefined;
}

/** The synth-time error when the override in force at `reader` is not the one it emitted its images with. */
function lateOverride(reader: IConstruct, seen: InForce | undefined): string[] {
  const now = inForce(reader);
  if (now?.override === seen?.override) {
    return [];
  }
  const describe = (f: InForce | undefined) => (f ? `ImageRegistryOverride.mirror("${f.override.registry}") applied to ${pathOf(f.scope)}` : 'none');
  return [`${pathOf(reader)}: image registry override changed after ${pathOf(reader)} emitted its images, so the change would be ignored `
    + `(when created: ${describe(seen)}; now: ${describe(now)}): call ImageRegistryOverride.apply() before creating ${pathOf(reader)}, `
    + 'e.g. right after creating the App or Chart'];
}

function validateRegistryHost(where: Where, property: string, value: string) {
  check(typeof value === 'string' && parseHostPort(value) !== undefined, where, property, value,
    'a registry host name or IP address with an optional port, e.g. "registry.example.com:5000", without scheme or path');
}
