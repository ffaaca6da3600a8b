import { Duration, Size, Testing } from 'cdk8s';
import { Cpu, ServiceType } from 'cdk8s-plus-28';
import {
  dns1035Label, dnsLabel, dnsSubdomain, enumValue, httpPath, integer, isDns1035Label, isDnsLabel, isDnsSubdomain, isLabelKey,
  isLabelValue, isPort, kibibytes, labelKey, labels, labelValue, mebibytes, millicores, nodePort, port, secretKey, unprivilegedPort,
  wholeSeconds,
} from '../../src/core/validate';

// Kubernetes rules from k8s.io/apimachinery pkg/util/validation/validation.go
// (IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsValidPortNum,
// IsConfigMapKey) and pkg/api/validate/content/kube.go (IsLabelKey, IsLabelValue).

const W = 'Where';

describe('wholeSeconds', () => {
  test.each<[string, Duration, { min?: number; max?: number } | undefined, number]>([
    ['one second', Duration.seconds(1), undefined, 1],
    ['minutes', Duration.minutes(3), undefined, 180],
    ['zero when allowed', Duration.seconds(0), { min: 0 }, 0],
    ['the upper bound itself', Duration.seconds(65535), { max: 65535 }, 65535],
    ['int32 max', Duration.seconds(2 ** 31 - 1), undefined, 2 ** 31 - 1],
  ])('accepts %s', (_name, value, bounds, expected) => {
    expect(wholeSeconds(W, 'p', value, bounds)).toBe(expected);
  });

  test.each<[string, Duration, { min?: number; max?: number } | undefined, string]>([
    ['a fraction', Duration.millis(1500), undefined, 'Where: invalid p "1500 ms": a whole number of seconds, at least 1'],
    ['zero by default', Duration.seconds(0), undefined, 'invalid p "0 ms": a whole number of seconds, at least 1'],
    ['below the minimum', Duration.seconds(5), { min: 10 }, 'invalid p "5000 ms": a whole number of seconds, at least 10'],
    ['above the maximum', Duration.seconds(65536), { max: 65535 }, 'a whole number of seconds, at least 1 and at most 65535'],
    ['beyond int32', Duration.seconds(2 ** 31), undefined, 'a whole number of seconds, at least 1'],
    ['not a Duration', 30 as any, undefined, 'invalid p "number": a cdk8s Duration'],
  ])('refuses %s', (_name, value, bounds, message) => {
    expect(() => wholeSeconds(W, 'p', value, bounds)).toThrow(message);
  });
});

describe('integer', () => {
  test.each<[number, { min?: number; max?: number } | undefined, string | undefined]>([
    [0, undefined, undefined],
    [100, { min: 0, max: 100 }, undefined],
    [-1, undefined, 'Where: invalid n -1: an integer of at least 0'],
    [1.5, undefined, 'invalid n 1.5: an integer of at least 0'],
    [101, { min: 0, max: 100 }, 'invalid n 101: an integer from 0 to 100'],
    [NaN, undefined, 'invalid n NaN'],
  ])('%p within %j', (value, bounds, message) => {
    if (message === undefined) {
      expect(integer(W, 'n', value, bounds)).toBe(value);
    } else {
      expect(() => integer(W, 'n', value, bounds)).toThrow(message);
    }
  });
});

describe('ports (IsValidPortNum) and NodePorts (kube-apiserver --service-node-port-range, default 30000-32767)', () => {
  test.each([1, 80, 65535])('port %p is accepted', (value) => {
    expect(port(W, 'port', value)).toBe(value);
  });
  test.each<[unknown, boolean]>([[1, true], [65535, true], [0, false], [65536, false], [80.5, false], ['80', false], [undefined, false]])(
    'isPort(%p) is %p (the port part of a URL)', (value, expected) => {
      expect(isPort(value)).toBe(expected);
    });
  test.each([0, -1, 65536, 80.5, NaN])('port %p is refused', (value) => {
    expect(() => port(W, 'port', value)).toThrow(`Where: invalid port ${value}: a port number from 1 to 65535`);
  });
  test.each([1024, 8080, 65535])('unprivileged port %p is accepted', (value) => {
    expect(unprivilegedPort(W, 'port', value)).toBe(value);
  });
  test.each([0, 80, 1023, 65536, 4040.5])('unprivileged port %p is refused', (value) => {
    expect(() => unprivilegedPort(W, 'port', value)).toThrow(`Where: invalid port ${value}: a port from 1024 to 65535 (the pods run as non-root`);
  });
  test.each([30000, 31234, 32767])('NodePort %p is accepted', (value) => {
    expect(nodePort(W, 'nodePort', value)).toBe(value);
  });
  test.each([29999, 32768, 80, 30000.5])('NodePort %p is refused', (value) => {
    expect(() => nodePort(W, 'nodePort', value)).toThrow(`Where: invalid nodePort ${value}: a NodePort from 30000 to 32767`);
  });
  test('a cluster with another NodePort range', () => {
    expect(nodePort(W, 'nodePort', 20000, { min: 20000, max: 22767 })).toBe(20000);
    expect(() => nodePort(W, 'nodePort', 30000, { min: 20000, max: 22767 })).toThrow('a NodePort from 20000 to 22767');
  });
});

describe('CPU and memory', () => {
  test.each<[string, Cpu, number]>([
    ['whole cores', Cpu.units(2), 2000],
    ['a fraction of a core', Cpu.units(0.5), 500],
    ['1.1 cores (inexact in binary floating point)', Cpu.units(1.1), 1100],
    ['millicores', Cpu.millis(250), 250],
    ['one millicore', Cpu.millis(1), 1],
  ])('millicores of %s', (_name, cpu, expected) => {
    expect(millicores(W, 'cpu', cpu)).toBe(expected);
  });

  test.each<[string, any, string]>([
    ['zero', Cpu.millis(0), 'Where: invalid cpu "0m": at least 1 millicore, in whole millicores'],
    ['less than a millicore', Cpu.units(0.0005), 'at least 1 millicore, in whole millicores'],
    ['a fraction of a millicore', Cpu.millis(1.5), 'invalid cpu "1.5m"'],
    ['a plain number', 2, 'invalid cpu "number": a cdk8s-plus Cpu'],
  ])('millicores refuse %s', (_name, cpu, message) => {
    expect(() => millicores(W, 'cpu', cpu)).toThrow(message);
  });

  test.each<[Size, number]>([
    [Size.kibibytes(1), 1],
    [Size.mebibytes(512), 512 * 1024],
    [Size.gibibytes(2), 2 * 1024 * 1024],
  ])('kibibytes of %p', (size, expected) => {
    expect(kibibytes(W, 'memory', size)).toBe(expected);
  });

  test.each<[any, string]>([
    [Size.kibibytes(0), 'Where: invalid memory "0 KiB": at least 1 KiB, in whole KiB'],
    [Size.kibibytes(1.5), 'invalid memory "1.5 KiB"'],
    ['1Gi', 'invalid memory "string": a cdk8s Size'],
  ])('kibibytes refuse %p', (size, message) => {
    expect(() => kibibytes(W, 'memory', size)).toThrow(message);
  });

  test('mebibytes: whole MiB only', () => {
    expect(mebibytes(W, 'memory', Size.gibibytes(1))).toBe(1024);
    expect(() => mebibytes(W, 'memory', Size.kibibytes(1536))).toThrow('Where: invalid memory "1.5 MiB": at least 1 MiB, in whole MiB');
    expect(() => mebibytes(W, 'memory', Size.mebibytes(0))).toThrow('invalid memory "0 MiB"');
  });
});

describe('DNS names', () => {
  const label63 = 'a'.repeat(63);
  const subdomain253 = [label63, label63, label63, 'a'.repeat(61)].join('.');

  test.each<[string, string, boolean, boolean]>([
    // value, description, DNS-1123 label, DNS-1123 subdomain
    ['a', 'one letter', true, true],
    ['0', 'one digit', true, true],
    ['spark-operator', 'dashes inside', true, true],
    [label63, '63 characters', true, true],
    // IsDNS1123Subdomain checks the whole length only, not each part's.
    ['a'.repeat(64), '64 characters', false, true],
    [`${'a'.repeat(64)}.b`, 'a part of 64 characters', false, true],
    ['spark.apache.org', 'dots', false, true],
    [subdomain253, '253 characters', false, true],
    [`${subdomain253}a`, '254 characters', false, false],
    ['a.-b', 'a part with a leading dash', false, false],
    ['-a', 'leading dash', false, false],
    ['a-', 'trailing dash', false, false],
    ['a..b', 'empty part', false, false],
    ['.a', 'leading dot', false, false],
    ['Spark', 'uppercase', false, false],
    ['a_b', 'underscore', false, false],
    ['', 'empty', false, false],
  ])('%j (%s): label %p, subdomain %p', (value, _name, label, subdomain) => {
    expect(isDnsLabel(value)).toBe(label);
    expect(isDnsSubdomain(value)).toBe(subdomain);
    if (label) {
      expect(dnsLabel(W, 'name', value)).toBe(value);
    } else {
      expect(() => dnsLabel(W, 'name', value)).toThrow(`Where: invalid name ${JSON.stringify(value)}: a DNS-1123 label`);
    }
    if (subdomain) {
      expect(dnsSubdomain(W, 'name', value)).toBe(value);
    } else {
      expect(() => dnsSubdomain(W, 'name', value)).toThrow(`Where: invalid name ${JSON.stringify(value)}: a DNS-1123 subdomain`);
    }
  });

  test.each<[string, string | undefined]>([
    ['pi', undefined],
    ['a1', undefined],
    ['1pi', 'a DNS-1035 label consists of lowercase letters, digits and \'-\', starts with a letter'],
    ['pi-', 'starts with a letter and ends with a letter or digit'],
    ['a'.repeat(64), 'a DNS-1035 label of 1 to 63 characters is required'],
  ])('DNS-1035 label %j', (value, message) => {
    expect(isDns1035Label(value)).toBe(message === undefined);
    if (message === undefined) {
      expect(dns1035Label(W, 'name', value)).toBe(value);
    } else {
      expect(() => dns1035Label(W, 'name', value)).toThrow(message);
    }
  });

  test('a tighter limit leaves room for suffixes', () => {
    const scope = Testing.chart();
    expect(() => dnsLabel(scope, 'name', 'a'.repeat(41), 40))
      .toThrow(`test: invalid name "${'a'.repeat(41)}": a DNS-1123 label of 1 to 40 characters is required`);
    expect(() => dns1035Label(W, 'name', 'a'.repeat(37), 36)).toThrow('a DNS-1035 label of 1 to 36 characters is required');
  });
});

describe('labels', () => {
  test.each<[string, string, boolean]>([
    ['app', 'a name', true],
    ['app.kubernetes.io/name', 'a prefixed name', true],
    ['MyName', 'uppercase name', true],
    ['my_name.x-y', 'underscore, dot, dash inside', true],
    ['a'.repeat(63), 'a name of 63 characters', true],
    [`${'a'.repeat(63)}.example.com/x`, 'a prefix label of 63 characters', true],
    ['a'.repeat(64), 'a name of 64 characters', false],
    [`${'a'.repeat(250)}.com/x`, 'a prefix of 254 characters', false],
    ['Example.com/x', 'an uppercase prefix', false],
    ['/x', 'an empty prefix', false],
    ['example.com/', 'an empty name', false],
    ['a/b/c', 'two slashes', false],
    ['_x', 'a leading underscore', false],
    ['x.', 'a trailing dot', false],
    ['', 'empty', false],
  ])('label key %j (%s): %p', (key, _name, ok) => {
    expect(isLabelKey(key)).toBe(ok);
    if (ok) {
      expect(labelKey(W, 'key', key)).toBe(key);
    } else {
      expect(() => labelKey(W, 'key', key)).toThrow(`Where: invalid key ${JSON.stringify(key)}: a label key`);
    }
  });

  test.each<[string, boolean]>([
    ['', true],
    ['driver', true],
    ['4.0.4', true],
    ['My_Value-1', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-a', false],
    ['a.', false],
    ['a b', false],
    ['a/b', false],
  ])('label value %j: %p', (value, ok) => {
    expect(isLabelValue(value)).toBe(ok);
    if (ok) {
      expect(labelValue(W, 'value', value)).toBe(value);
    } else {
      expect(() => labelValue(W, 'value', value)).toThrow(`Where: invalid value ${JSON.stringify(value)}: a label value has at most 63 characters`);
    }
  });

  test.each<[{ [key: string]: string }, string | undefined]>([
    [{ 'team': 'etl', 'example.com/tier': 'gold' }, undefined],
    [{ 'bad key!': 'x' }, 'Where: invalid labels key "bad key!": a label key'],
    [{ team: 'a b' }, 'Where: invalid labels["team"] "a b": a label value'],
    [{ team: 7 as any }, 'Where: invalid labels["team"] 7: a label value'],
  ])('a label map %j', (map, message) => {
    if (message === undefined) {
      expect(() => labels(W, 'labels', map)).not.toThrow();
    } else {
      expect(() => labels(W, 'labels', map)).toThrow(message);
    }
  });
});

describe('Secret keys (IsConfigMapKey)', () => {
  test.each(['password', 'tls.crt', 'KEY_NAME', 'key-name', '.dotfile', 'a'.repeat(253)])('%j is accepted', (key) => {
    expect(secretKey(W, 'key', key)).toBe(key);
  });
  test.each(['', '.', '..', '..data', 'a/b', 'a b', 'pässword', 'a'.repeat(254)])('%j is refused', (key) => {
    expect(() => secretKey(W, 'key', key)).toThrow(`Where: invalid key ${JSON.stringify(key)}: a Secret key`);
  });
});

describe('HTTP paths', () => {
  test.each(['/', '/spark', '/api/v1/applications', '/a.b_c~d-e/'])('%j is accepted', (path) => {
    expect(httpPath(W, 'path', path)).toBe(path);
  });
  test.each(['', 'spark', '/a b', '/a?b=1', '/a#x', '/$HOME', '/a;b', '/%20'])('%j is refused', (path) => {
    expect(() => httpPath(W, 'path', path)).toThrow(`Where: invalid path ${JSON.stringify(path)}: an absolute HTTP path`);
  });
});

describe('enum values', () => {
  test('a member is returned', () => {
    expect(enumValue(W, 'type', ServiceType.NODE_PORT, ServiceType)).toBe('NodePort');
  });
  test.each(['nodeport', 'Ingress', ''])('%j is refused, listing the members', (value) => {
    expect(() => enumValue(W, 'type', value as ServiceType, ServiceType))
      .toThrow(`Where: invalid type ${JSON.stringify(value)}: one of ClusterIP, NodePort, LoadBalancer, ExternalName`);
  });
});
