import { check, Where } from './errors';

/** A parsed, fully qualified image reference: `registry/path[:tag][@digest]`. */
export class ImageName {
  constructor(
    public readonly registry: string,
    public readonly path: string,
    public readonly tag: string | undefined,
    public readonly digest: string | undefined,
  ) {}

  /** True when the reference names a fixed image: a digest, or a tag other than `latest`. */
  public get pinned(): boolean {
    return this.digest !== undefined || (this.tag !== undefined && this.tag !== 'latest');
  }

  public toString(): string {
    return `${this.registry}/${this.path}${this.tag ? `:${this.tag}` : ''}${this.digest ? `@${this.digest}` : ''}`;
  }
}

const COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+([+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const DOCKER_HUB = 'docker.io';

/**
 * Parses an image reference the way container runtimes do: the first path
 * component is a registry when it has a '.', a ':' or is `localhost`;
 * otherwise the image is on Docker Hub, where one-component names live under
 * `library/`.
 */
export function parseImageName(where: Where, property: string, ref: string): ImageName {
  // Every job parses its image: parse each distinct reference once.
  const known = typeof ref === 'string' ? parsed.get(ref) : undefined;
  if (known) {
    return known;
  }
  const allowed = 'an image reference like "registry.example.com:5000/team/app:1.2.3" or "apache/spark:4.0.4@sha256:..." (lowercase path, optional tag and digest)';
  check(typeof ref === 'string' && ref.length > 0 && ref.length <= 512 && !/\s/.test(ref), where, property, ref, allowed);

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    check(DIGEST.test(digest), where, property, ref, allowed);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    check(TAG.test(tag), where, property, ref, allowed);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!;
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') {
    registry = DOCKER_HUB;
  }
  if (registry === DOCKER_HUB && parts.length === 1) {
    parts.unshift('library');
  }
  check(parts.length > 0 && parts.every((p) => COMPONENT.test(p)), where, property, ref, allowed);
  const name = new ImageName(registry, parts.join('/'), tag, digest);
  if (parsed.size < MAX_CACHED) {
    parsed.set(ref, name);
  }
  return name;
}

// Valid references only (a bad one throws each time, naming its user).
// ImageName is immutable, so one instance serves every caller.
const parsed = new Map<string, ImageName>();
const MAX_CACHED = 10_000;

/** Throws unless the reference is pinned (a digest or a tag other than `latest`). */
export function requirePinned(where: Where, property: string, ref: string): ImageName {
  const name = parseImageName(where, property, ref);
  check(name.pinned, where, property, ref, 'a pinned image: give a version tag other than "latest", or a digest');
  return name;
}
