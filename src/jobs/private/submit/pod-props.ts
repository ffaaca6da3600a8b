import { EnvValue, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalidInput } from '../../../core/errors';
import { podVolumeStruct } from '../../../core/pod-volume';
import type { IPodVolume } from '../../../core/volume-mount';
import type { SparkPodProps } from '../../spark-job-spec';

// The driver and executor props as Kubernetes pieces, for the pod templates
// and for the client-mode submit pod (which is the driver).

/** A driver or executor variable name and value, as the props and addDriverEnv/addExecutorEnv give them. */
export type PodEnv = { [name: string]: EnvValue };

/** The variables of the `env` prop. */
export function userEnv(p: SparkPodProps): k8s.EnvVar[] {
  return Object.entries(p.env ?? {}).map(([envName, value]) => ({
    name: envName,
    ...(value.value !== undefined ? { value: value.value } : {}),
    ...(value.valueFrom !== undefined ? { valueFrom: value.valueFrom } : {}),
  }));
}

/** The ConfigMaps and Secrets of the `envFrom…` props. */
export function userEnvFrom(p: SparkPodProps): k8s.EnvFromSource[] {
  return [
    ...(p.envFromConfigMaps ?? []).map((cm) => ({ configMapRef: { name: cm.name } })),
    ...(p.envFromSecrets ?? []).map((secret) => ({ secretRef: { name: secret.name } })),
  ];
}

/** The mounts of the `volumeMounts` prop. */
export function userMounts(p: SparkPodProps): k8s.VolumeMount[] {
  return (p.volumeMounts ?? []).map((m) => ({
    name: m.volume.name,
    mountPath: m.path,
    ...(m.readOnly !== undefined ? { readOnly: m.readOnly } : {}),
    ...(m.subPath !== undefined ? { subPath: m.subPath } : {}),
  }));
}

/** The volumes of the `volumeMounts` prop, each once; two different volumes of one name are refused. */
export function userVolumes(scope: Construct, role: string, p: SparkPodProps): k8s.Volume[] {
  const seen = new Map<string, IPodVolume>();
  for (const m of p.volumeMounts ?? []) {
    const existing = seen.get(m.volume.name);
    if (existing !== undefined && existing !== m.volume) {
      throw invalidInput(scope, `${role}.volumeMounts`, m.volume.name, `volumes with distinct names; "${m.volume.name}" names two different volumes`);
    }
    seen.set(m.volume.name, m.volume);
  }
  return [...seen.values()].map((v) => podVolumeStruct(scope, `${role}.volumeMounts`, v));
}
