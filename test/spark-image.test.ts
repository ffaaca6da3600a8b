import { Chart, Testing } from 'cdk8s';
import { ImagePullPolicy, Secret } from 'cdk8s-plus-28';
import { ImageRegistryOverride, SparkImage } from '../src';

describe('SparkImage', () => {
  test('defaults: the Apache image of the default Spark version', () => {
    const image = SparkImage.apache();
    expect({
      reference: image.reference,
      sparkVersion: image.sparkVersion,
      pullPolicy: image.pullPolicy,
      uid: image.uid,
      pullSecrets: image.pullSecrets.length,
    }).toMatchSnapshot();
    expect(image.reference).toBe('docker.io/apache/spark:4.0.4');
    expect(image.uid).toBe(185);
    expect(image.pullPolicy).toBe(ImagePullPolicy.IF_NOT_PRESENT);
  });

  test('reads the Spark version from a descriptive tag, or takes it explicitly', () => {
    expect(SparkImage.of({ tag: '3.5.7-scala2.12-java17-python3-ubuntu' }).sparkVersion).toBe('3.5.7');
    const custom = SparkImage.of({ repository: 'registry.corp/spark', tag: 'team-build-42', sparkVersion: '3.5.7' });
    expect(custom.sparkVersion).toBe('3.5.7');
    expect(custom.isAtLeast(3, 0)).toBe(true);
    expect(custom.isAtLeast(4, 0)).toBe(false);
    expect(custom.with({ tag: '4.0.4' }).sparkVersion).toBe('4.0.4');
    expect(custom.with({ pullPolicy: ImagePullPolicy.ALWAYS }).tag).toBe('team-build-42');
  });

  test('emits the image through the registry override in force', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('10.0.0.5:5000'));
    const chart = new Chart(app, 'jobs');
    expect(SparkImage.apache('3.5.7').imageFor(chart)).toBe('10.0.0.5:5000/apache/spark:3.5.7');
  });

  test('carries pull secrets as objects', () => {
    const chart = Testing.chart();
    const secret = Secret.fromSecretName(chart, 'Pull', 'registry-creds');
    expect(SparkImage.apache('4.0.4', { pullSecrets: [secret] }).pullSecrets[0].name).toBe('registry-creds');
  });

  test.each([
    [{ tag: 'latest' }, 'invalid tag "latest"'],
    [{ tag: 'nightly' }, 'invalid sparkVersion (undefined): a Spark version like "4.0.4"; it cannot be read from tag "nightly"'],
    [{ tag: 'x', sparkVersion: '4' }, 'invalid sparkVersion "4": a version "major.minor.patch"'],
    [{ repository: 'Apache/Spark' }, 'invalid repository/tag/digest "Apache/Spark:4.0.4"'],
    [{ uid: 0 }, 'invalid uid 0: a positive integer user id other than 0'],
  ])('rejects %j', (props, message) => {
    expect(() => SparkImage.of(props)).toThrow(`SparkImage: ${message}`);
  });
});
