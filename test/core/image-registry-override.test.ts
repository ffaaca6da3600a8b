import { App, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ImageRegistryOverride, LocalPathProvisioner, SparkApplication, SparkApplicationType } from '../../src';

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

  test.each([
    ['a prefix with slashes at its ends', () => ImageRegistryOverride.mirror('m.example', { pathPrefix: '/proxy/' }),
      'ImageRegistryOverride.mirror: invalid pathPrefix "/proxy/": lowercase path components'],
    ['an uppercase prefix', () => ImageRegistryOverride.mirror('m.example', { pathPrefix: 'Proxy' }), 'invalid pathPrefix "Proxy"'],
    ['a source registry with a scheme', () => ImageRegistryOverride.mirror('m.example', { sourceRegistries: ['https://docker.io'] }),
      'invalid sourceRegistries "https://docker.io": a registry host name'],
    ['a port out of range', () => ImageRegistryOverride.mirror('m.example:70000'), 'invalid registry "m.example:70000"'],
    ['a second override on one scope', () => {
      const app = Testing.app();
      ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('a.example'));
      ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('b.example'));
    }, '<root>: invalid image registry override "b.example": one override per scope'],
    ['something other than an override', () => ImageRegistryOverride.apply(Testing.app(), { registry: 'x' } as any),
      'invalid image registry override "object": an ImageRegistryOverride'],
  ])('refuses %s', (_name, attempt, message) => {
    expect(attempt).toThrow(message);
  });

  test('isImageRegistryOverride tells overrides from look-alikes', () => {
    expect(ImageRegistryOverride.isImageRegistryOverride(ImageRegistryOverride.mirror('m.example'))).toBe(true);
    expect(ImageRegistryOverride.isImageRegistryOverride({ registry: 'm.example' })).toBe(false);
    expect(ImageRegistryOverride.isImageRegistryOverride(undefined)).toBe(false);
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

  describe('applied after constructs have emitted their images', () => {
    const MIRROR = 'mirror.example:5000';
    const PI = {
      type: SparkApplicationType.SCALA,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    };
    const build = (app: App) => {
      const chart = new Chart(app, 'c');
      new LocalPathProvisioner(chart, 'Storage');
      new SparkApplication(chart, 'Pi', PI);
      return chart;
    };

    test('applied first, the mirror rewrites every image', () => {
      const app = Testing.app();
      ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror(MIRROR));
      build(app);
      const yaml = app.synthYaml();
      const images = yaml.match(/image: \S+/g) ?? [];
      expect(images.length).toBeGreaterThanOrEqual(2);
      for (const image of images) {
        expect(image).toContain(`image: ${MIRROR}/`);
      }
      // Images named elsewhere (the helper pod's image in the provisioner's ConfigMap) are rewritten too.
      expect(yaml).not.toMatch(/docker\.io\/|registry\.k8s\.io\//);
    });

    test('applied to the app before or after creating the (still empty) chart: the same output byte for byte', () => {
      const first = Testing.app();
      ImageRegistryOverride.apply(first, ImageRegistryOverride.mirror(MIRROR));
      build(first);
      const second = Testing.app();
      const chart = new Chart(second, 'c');
      ImageRegistryOverride.apply(second, ImageRegistryOverride.mirror(MIRROR));
      new LocalPathProvisioner(chart, 'Storage');
      new SparkApplication(chart, 'Pi', PI);
      expect(second.synthYaml()).toBe(first.synthYaml());
    });

    test.each<[string, (app: App, chart: IConstruct) => void, string[]]>([
      ['to the app', (app) => ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror(MIRROR)), [
        'c/Storage: image registry override changed after c/Storage emitted its images, so the change would be ignored '
          + `(when created: none; now: ImageRegistryOverride.mirror("${MIRROR}") applied to <root>): `
          + 'call ImageRegistryOverride.apply() before creating c/Storage, e.g. right after creating the App or Chart',
        'c/Pi: image registry override changed after c/Pi emitted its images',
      ]],
      ['to the chart', (_app, chart) => ImageRegistryOverride.apply(chart, ImageRegistryOverride.mirror(MIRROR)), [
        `c/Pi: image registry override changed after c/Pi emitted its images, so the change would be ignored (when created: none; now: ImageRegistryOverride.mirror("${MIRROR}") applied to c)`,
      ]],
      ['to the chart, below another override applied first', (_app, chart) => ImageRegistryOverride.apply(chart, ImageRegistryOverride.mirror('inner.example')), [
        '(when created: ImageRegistryOverride.mirror("outer.example") applied to <root>; now: ImageRegistryOverride.mirror("inner.example") applied to c)',
      ]],
    ])('applied last %s, it fails synth naming the construct and the override', (_name, late, messages) => {
      const app = Testing.app();
      if (_name.includes('another override')) {
        ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('outer.example'));
      }
      const chart = build(app);
      late(app, chart);
      for (const message of messages) {
        expect(() => app.synth()).toThrow(message);
      }
    });

    test('an override applied later to a scope beside a construct leaves it alone', () => {
      const app = Testing.app();
      const chart = build(app);
      const before = Testing.synth(chart);
      const sibling = new Chart(app, 'other');
      ImageRegistryOverride.apply(sibling, ImageRegistryOverride.mirror(MIRROR));
      new SparkApplication(sibling, 'Other', { ...PI, name: 'other' });
      expect(Testing.synth(chart)).toEqual(before);
      expect(() => app.synth()).not.toThrow();
      expect(JSON.stringify(Testing.synth(sibling))).toContain(`${MIRROR}/`);
    });
  });
});
