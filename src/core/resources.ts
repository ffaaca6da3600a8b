import { Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from './errors';
import { memoryQuantity as binaryQuantity } from './quantities';
import { kibibytes, millicores } from './validate';

/** Default requests and limits of one container. */
export interface ResourceDefaults {
  readonly cpuRequest: Cpu;
  readonly cpuLimit: Cpu;
  readonly memoryRequest: Size;
  readonly memoryLimit: Size;
}

/**
 * Requests and limits for a container: each given field over its default, so
 * that every container always has both requests and limits.
 */
export function renderResources(scope: IConstruct, property: string, given: ContainerResources | undefined,
  defaults: ResourceDefaults): k8s.ResourceRequirements {
  const cpuRequest = millicores(scope, `${property}.cpu.request`, given?.cpu?.request ?? defaults.cpuRequest);
  const cpuLimit = millicores(scope, `${property}.cpu.limit`, given?.cpu?.limit ?? defaults.cpuLimit);
  check(cpuRequest <= cpuLimit, scope, `${property}.cpu`, `request ${cpuRequest}m, limit ${cpuLimit}m`,
    'a request no greater than the limit');
  const memoryRequest = kibibytes(scope, `${property}.memory.request`, given?.memory?.request ?? defaults.memoryRequest);
  const memoryLimit = kibibytes(scope, `${property}.memory.limit`, given?.memory?.limit ?? defaults.memoryLimit);
  check(memoryRequest <= memoryLimit, scope, `${property}.memory`, `request ${memoryRequest}Ki, limit ${memoryLimit}Ki`,
    'a request no greater than the limit');
  const requests: { [key: string]: k8s.Quantity } = {
    cpu: k8s.Quantity.fromString(`${cpuRequest}m`),
    memory: k8s.Quantity.fromString(binaryQuantity(memoryRequest)),
  };
  const limits: { [key: string]: k8s.Quantity } = {
    cpu: k8s.Quantity.fromString(`${cpuLimit}m`),
    memory: k8s.Quantity.fromString(binaryQuantity(memoryLimit)),
  };
  const storage = given?.ephemeralStorage;
  if (storage?.request !== undefined) {
    requests['ephemeral-storage'] = k8s.Quantity.fromString(
      binaryQuantity(kibibytes(scope, `${property}.ephemeralStorage.request`, storage.request)));
  }
  if (storage?.limit !== undefined) {
    limits['ephemeral-storage'] = k8s.Quantity.fromString(
      binaryQuantity(kibibytes(scope, `${property}.ephemeralStorage.limit`, storage.limit)));
  }
  return { requests, limits };
}
