import { EnvValue, IConfigMap, ISecret, k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { refuseCredentialEnv } from '../credentials';
import { check } from '../errors';
import { podVolumeStruct } from '../pod-volume';
import { secretRef } from '../validate';
import type { SparkVolumeMount } from '../volume-mount';

// What a user gives a container (variables, their sources, mounts), checked
// and rendered the same way for the pod-wide options and for extra containers.

/** The variables of an `env` map, checked; one holding a credential must come from a Secret. */
export function envVars(scope: IConstruct, property: string, env: { [name: string]: EnvValue } | undefined): k8s.EnvVar[] {
  check(env === undefined || (env !== null && typeof env === 'object'), scope, property, typeof env,
    'a map of variable names to EnvValue');
  return Object.entries(env ?? {}).map(([name, value]) => {
    check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name), scope, property, name,
      'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
    check(value !== null && typeof value === 'object' && (value.value !== undefined || value.valueFrom !== undefined), scope,
      `${property}["${name}"]`, typeof value, 'an EnvValue, e.g. EnvValue.fromValue("x") or EnvValue.fromSecretValue({ secret, key })');
    refuseCredentialEnv(scope, property, name, value);
    return value.valueFrom !== undefined ? { name, valueFrom: value.valueFrom } : { name, value: value.value };
  });
}

/** Secrets' and ConfigMaps' keys as variables (`envFrom`), checked; `prefix` is where they were given, e.g. `pod`. */
export function envSources(scope: IConstruct, prefix: string, secrets: ISecret[] | undefined,
  configMaps: IConfigMap[] | undefined): k8s.EnvFromSource[] {
  check(secrets === undefined || Array.isArray(secrets), scope, `${prefix}.envFromSecrets`, typeof secrets, 'a list of ISecret');
  check(configMaps === undefined || Array.isArray(configMaps), scope, `${prefix}.envFromConfigMaps`, typeof configMaps, 'a list of IConfigMap');
  return [
    ...(secrets ?? []).map((secret, i) => ({ secretRef: { name: secretRef(scope, `${prefix}.envFromSecrets[${i}]`, secret).name } })),
    ...(configMaps ?? []).map((map, i) => {
      check(map !== null && typeof map === 'object' && typeof map.name === 'string', scope, `${prefix}.envFromConfigMaps[${i}]`, typeof map,
        'an IConfigMap, e.g. ConfigMap.fromConfigMapName(scope, "Id", "name")');
      return { configMapRef: { name: map.name } };
    }),
  ];
}

/**
 * The mounts of `mounts`, checked, with their volumes recorded in `volumes`
 * (shared by every container of the pod: a volume mounted twice must be the
 * same volume).
 */
export function volumeMounts(scope: IConstruct, property: string, mounts: SparkVolumeMount[] | undefined,
  volumes: Map<string, k8s.Volume>): k8s.VolumeMount[] {
  check(mounts === undefined || Array.isArray(mounts), scope, property, typeof mounts, 'a list of SparkVolumeMount');
  const out = (mounts ?? []).map((m, i) => {
    const at = `${property}[${i}]`;
    check(m !== null && typeof m === 'object', scope, at, typeof m, 'a SparkVolumeMount');
    const volume = podVolumeStruct(scope, `${at}.volume`, m.volume);
    check(typeof m.path === 'string' && /^\/\S*$/.test(m.path), scope, `${at}.path`, m.path, 'an absolute path');
    const known = volumes.get(volume.name);
    check(known === undefined || JSON.stringify(known) === JSON.stringify(volume), scope, `${at}.volume`, volume.name,
      'one volume per name');
    volumes.set(volume.name, volume);
    return { name: volume.name, mountPath: m.path, ...(m.readOnly ? { readOnly: true } : {}), ...(m.subPath ? { subPath: m.subPath } : {}) };
  });
  const paths = out.map((m) => m.mountPath);
  check(new Set(paths).size === paths.length, scope, property, paths, 'distinct mount paths');
  return out;
}
