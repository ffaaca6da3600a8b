import { IConstruct } from 'constructs';
import { check, Where } from './errors';
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

const HOST_PORT = /^(?=.{1,253}(:|$))[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?$/;
const PATH = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const overrides = new WeakMap<IConstruct, ImageRegistryOverride>();

/**
 * Rewrites every image this library emits to a registry mirror.
 *
 * Attach it to a scope (usually the App or a Chart) with
 * {@link ImageRegistryOverride.apply}; every construct below that scope
 * resolves its images through {@link ImageRegistryOverride.resolve}: container
 * images, kubeadm's image repository and containerd's sandbox image alike.
 */
export class ImageRegistryOverride {
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
   * Applies `override` to every image emitted below `scope`. A nearer scope's
   * override wins over one applied higher up.
   */
  public static apply(scope: IConstruct, override: ImageRegistryOverride): void {
    check(!overrides.has(scope), scope, 'image registry override', override.registry,
      'one override per scope; apply a different one to a child scope instead');
    overrides.set(scope, override);
  }

  /** The override in force at `scope`, if any. */
  public static of(scope: IConstruct): ImageRegistryOverride | undefined {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = overrides.get(scopes[i]);
      if (found) {
        return found;
      }
    }
    return undefined;
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
    this.registry = registry;
    this.options = options;
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

function validateRegistryHost(where: Where, property: string, value: string) {
  check(typeof value === 'string' && HOST_PORT.test(value), where, property, value,
    'a registry host name or IP address with an optional port, e.g. "registry.example.com:5000", without scheme or path');
}
