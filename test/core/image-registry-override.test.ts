import { Chart, Testing } from 'cdk8s';
import { ImageRegistryOverride } from '../../src';

describe('ImageRegistryOverride', () => {
  test('without an override, images are emitted fully qualified', () => {
    const chart = Testing.chart();
    expect(ImageRegistryOverride.resolve(chart, 'apache/spark:4.0.4')).toBe('docker.io/apache/spark:4.0.4');
    expect(ImageRegistryOverride.resolve(chart, 'busybox:1.37')).toBe('docker.io/library/busybox:1.37');
    expect(ImageRegistryOverride.resolve(chart, 'registry.k8s.io/pause:3.10')).toBe('registry.k8s.io/pause:3.10');
    expect(ImageRegistryOverride.resolve(chart, 'localhost:5000/spark:1@sha256:' + 'a'.repeat(64)))
      .toBe(`localhost:5000/spark:1@sha256:${'a'.repeat(64)}`);
  });

  test('a mirror rewrites every registry, keeping the repository path', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.internal:5000'));
    const chart = new Chart(app, 'c');
    expect(ImageRegistryOverride.resolve(chart, 'apache/spark:4.0.4')).toBe('mirror.internal:5000/apache/spark:4.0.4');
    expect(ImageRegistryOverride.resolve(chart, 'registry.k8s.io/pause:3.10')).toBe('mirror.internal:5000/pause:3.10');
    expect(ImageRegistryOverride.resolve(chart, 'ghcr.io/flannel-io/flannel:v0.28.9'))
      .toBe('mirror.internal:5000/flannel-io/flannel:v0.28.9');
    // Images already on the mirror stay as they are.
    expect(ImageRegistryOverride.resolve(chart, 'mirror.internal:5000/team/job:7')).toBe('mirror.internal:5000/team/job:7');
  });

  test('prefix, source registry in the path, and a subset of source registries', () => {
    const mirror = ImageRegistryOverride.mirror('harbor.corp', {
      pathPrefix: 'proxy',
      includeSourceRegistry: true,
      sourceRegistries: ['docker.io', 'registry.k8s.io'],
    });
    expect(mirror.rewrite('apache/spark:4.0.4')).toBe('harbor.corp/proxy/docker.io/apache/spark:4.0.4');
    expect(mirror.rewrite('quay.io/x/y:1')).toBe('quay.io/x/y:1');
    expect(mirror.rewriteRepository('registry.k8s.io')).toBe('harbor.corp/proxy/registry.k8s.io');
  });

  test('the nearest scope wins', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('outer.example'));
    const inner = new Chart(app, 'inner');
    ImageRegistryOverride.apply(inner, ImageRegistryOverride.mirror('inner.example'));
    const other = new Chart(app, 'other');
    expect(ImageRegistryOverride.resolve(inner, 'a/b:1')).toBe('inner.example/a/b:1');
    expect(ImageRegistryOverride.resolve(other, 'a/b:1')).toBe('outer.example/a/b:1');
    expect(ImageRegistryOverride.of(other)?.registry).toBe('outer.example');
  });

  test.each([
    ['https://mirror.example', 'without scheme or path'],
    ['mirror.example/path', 'without scheme or path'],
    ['mirror example', 'without scheme or path'],
    ['', 'without scheme or path'],
  ])('rejects the mirror host %j', (host, rule) => {
    expect(() => ImageRegistryOverride.mirror(host)).toThrow(`ImageRegistryOverride.mirror: invalid registry ${JSON.stringify(host)}: `);
    expect(() => ImageRegistryOverride.mirror(host)).toThrow(rule);
  });

  test('rejects a bad prefix and a second override on one scope', () => {
    expect(() => ImageRegistryOverride.mirror('m.example', { pathPrefix: '/proxy/' })).toThrow('invalid pathPrefix "/proxy/"');
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('a.example'));
    expect(() => ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('b.example'))).toThrow('one override per scope');
  });

  test.each([
    ['apache/spark', 'a pinned image'],
    ['apache/spark:latest', 'a pinned image'],
    ['Apache/Spark:4.0.4', 'an image reference like'],
    ['apache/spark:4.0.4@sha256:short', 'an image reference like'],
    ['apache spark:1', 'an image reference like'],
  ])('rejects the image %j at the construct that emits it', (image, rule) => {
    const chart = Testing.chart();
    expect(() => ImageRegistryOverride.resolve(chart, image)).toThrow(`${chart.node.path}: invalid image ${JSON.stringify(image)}: ${rule}`);
  });
});
