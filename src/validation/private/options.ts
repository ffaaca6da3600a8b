// The plugin's `properties` from cdk8s.yaml, checked at once: a typo there
// would otherwise silently turn a check off.

export interface PluginOptions {
  readonly crdFiles: readonly string[];
  /** `<group>/<Kind>` entries. */
  readonly allowUnknownKinds: ReadonlySet<string>;
  readonly admission: boolean;
  readonly scripts: boolean;
}

const WHERE = 'SparkManifestValidation (cdk8s.yaml, validations[].properties)';
const GROUP_KIND = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/[A-Z][A-Za-z0-9]*$/;

function fail(property: string, value: unknown, allowed: string): never {
  throw new Error(`${WHERE}: ${property} is ${JSON.stringify(value)}; expected ${allowed}`);
}

function stringList(properties: Record<string, unknown>, property: string, allowed: string, test?: (s: string) => boolean): string[] {
  const value = properties[property];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    fail(property, value, `a list of ${allowed}`);
  }
  for (const item of value) {
    if (typeof item !== 'string' || item === '' || (test && !test(item))) {
      fail(`${property} entry`, item, allowed);
    }
  }
  return value;
}

function flag(properties: Record<string, unknown>, property: string): boolean {
  const value = properties[property];
  if (value === undefined || value === null) {
    return true;
  }
  if (typeof value !== 'boolean') {
    fail(property, value, 'true or false');
  }
  return value;
}

const KNOWN = ['crdFiles', 'allowUnknownKinds', 'admission', 'scripts'];

/** Reads and checks the plugin properties; throws naming the property, the value and what is allowed. */
export function parseOptions(properties: unknown): PluginOptions {
  const props = (properties ?? {}) as Record<string, unknown>;
  if (typeof props !== 'object' || Array.isArray(props)) {
    fail('properties', properties, `a map with the keys ${KNOWN.join(', ')}`);
  }
  for (const key of Object.keys(props)) {
    if (!KNOWN.includes(key)) {
      fail(`property ${JSON.stringify(key)}`, props[key], `one of the properties ${KNOWN.join(', ')}`);
    }
  }
  return {
    crdFiles: stringList(props, 'crdFiles', 'paths of YAML files holding CustomResourceDefinitions (relative to the cdk8s.yaml folder)'),
    allowUnknownKinds: new Set(stringList(props, 'allowUnknownKinds', '"<group>/<Kind>" names, e.g. "monitoring.coreos.com/ServiceMonitor"',
      (s) => GROUP_KIND.test(s))),
    admission: flag(props, 'admission'),
    scripts: flag(props, 'scripts'),
  };
}
