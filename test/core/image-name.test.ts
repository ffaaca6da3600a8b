import { parseImageName, requirePinned } from '../../src/core/image-name';

// Reference grammar and Docker Hub normalization after the distribution
// project's reference package (distribution/reference normalize.go
// splitDockerDomain, regexp.go tag and separator): the first component is a
// registry when it holds '.' or ':' or is "localhost"; one-component Hub names
// live under "library/"; index.docker.io (legacyDefaultDomain) is docker.io.
// Two deliberate differences: registry-1.docker.io, the Hub's registry
// endpoint, is folded into docker.io too, and an uppercase first component is
// refused rather than taken for a registry host.

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageName', () => {
  test.each<[string, string, string, string | undefined, string | undefined, string]>([
    // reference, registry, path, tag, digest, toString
    ['busybox:1.37', 'docker.io', 'library/busybox', '1.37', undefined, 'docker.io/library/busybox:1.37'],
    ['apache/spark:4.0.4', 'docker.io', 'apache/spark', '4.0.4', undefined, 'docker.io/apache/spark:4.0.4'],
    ['index.docker.io/apache/spark:4.0.4', 'docker.io', 'apache/spark', '4.0.4', undefined, 'docker.io/apache/spark:4.0.4'],
    ['registry-1.docker.io/library/redis:7', 'docker.io', 'library/redis', '7', undefined, 'docker.io/library/redis:7'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io', 'pause', '3.10', undefined, 'registry.k8s.io/pause:3.10'],
    ['localhost/app:1', 'localhost', 'app', '1', undefined, 'localhost/app:1'],
    ['localhost:5000/team/app:1', 'localhost:5000', 'team/app', '1', undefined, 'localhost:5000/team/app:1'],
    ['10.0.0.5:5000/spark', '10.0.0.5:5000', 'spark', undefined, undefined, '10.0.0.5:5000/spark'],
    [`ghcr.io/a/b/c@${DIGEST}`, 'ghcr.io', 'a/b/c', undefined, DIGEST, `ghcr.io/a/b/c@${DIGEST}`],
    [`quay.io/x/y:v1@${DIGEST}`, 'quay.io', 'x/y', 'v1', DIGEST, `quay.io/x/y:v1@${DIGEST}`],
    ['team/my_app__x.y-z:1_0.A-b', 'docker.io', 'team/my_app__x.y-z', '1_0.A-b', undefined, 'docker.io/team/my_app__x.y-z:1_0.A-b'],
  ])('%s', (ref, registry, path, tag, digest, text) => {
    const name = parseImageName('Test', 'image', ref);
    expect({ registry: name.registry, path: name.path, tag: name.tag, digest: name.digest }).toEqual({ registry, path, tag, digest });
    expect(name.toString()).toBe(text);
  });

  test.each<[string, string]>([
    ['', 'empty'],
    ['Apache/spark:1', 'uppercase path'],
    ['apache/spark:', 'empty tag'],
    ['apache/spark:-1', 'tag starting with a dash'],
    [`apache/spark:${'a'.repeat(129)}`, 'tag over 128 characters'],
    ['apache/spark@sha256:abc', 'short digest'],
    ['apache/spark@md5', 'digest without algorithm separator'],
    ['apache//spark:1', 'empty path component'],
    ['apache/spark-:1', 'component ending in a separator'],
    ['apache spark:1', 'blank'],
    ['a'.repeat(513), 'over 512 characters'],
  ])('refuses %j (%s)', (ref) => {
    expect(() => parseImageName('Test', 'image', ref)).toThrow(`Test: invalid image ${JSON.stringify(ref)}: an image reference like`);
  });

  test('the same reference parses to the same (immutable) name', () => {
    expect(parseImageName('A', 'image', 'apache/spark:4.0.4')).toBe(parseImageName('B', 'image', 'apache/spark:4.0.4'));
  });

  test('a bad reference fails each time, naming its own user', () => {
    expect(() => parseImageName('First', 'image', 'Bad:1')).toThrow('First: invalid image');
    expect(() => parseImageName('Second', 'image', 'Bad:1')).toThrow('Second: invalid image');
  });
});

describe('requirePinned', () => {
  test.each([['apache/spark:4.0.4'], [`apache/spark@${DIGEST}`], [`apache/spark:latest@${DIGEST}`]])('%s is pinned', (ref) => {
    expect(requirePinned('Test', 'image', ref).pinned).toBe(true);
  });
  test.each([['apache/spark'], ['apache/spark:latest'], ['localhost:5000/app']])('%s is refused', (ref) => {
    expect(() => requirePinned('Test', 'image', ref))
      .toThrow(`Test: invalid image ${JSON.stringify(ref)}: a pinned image: give a version tag other than "latest", or a digest`);
  });
});
