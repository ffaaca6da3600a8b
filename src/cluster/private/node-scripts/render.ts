import * as sections from './sections';
import { SHELL_LIBRARY, shQuote } from '../../../core/shell';

/** One setting: a scalar or an array, rendered as a readonly bash variable. */
export type SettingValue = string | number | readonly string[];

/** The node scripts KubeadmClusterPrereqs renders. */
export enum NodeScriptKind {
  PREPARE_NODE = 'prepare-node.sh',
  CONTROL_PLANE = 'control-plane.sh',
  WORKER = 'worker.sh',
  NEW_JOIN_COMMAND = 'new-join-command.sh',
  CONTROL_PLANE_JOIN = 'control-plane-join.sh',
}

/** A step added with KubeadmClusterPrereqs.addPreparationStep. */
export interface PreparationStep {
  /** Logged as the step's name. */
  readonly description: string;
  /** bash lines, run as they are. */
  readonly commands: readonly string[];
}

/** Everything the scripts need from synth time. */
export interface NodeScriptSettings {
  /** Steps added to the node preparation, in order. */
  readonly preparationSteps: readonly PreparationStep[];
  /** Settings every preparing script uses (see sections.PREPARE). */
  readonly prepare: Record<string, SettingValue>;
  /** The control plane's endpoint, when known (worker.sh's default). */
  readonly controlPlaneEndpoint: string;
  /** The declared node `kubeadm init` must run on, or ''. */
  readonly initNodeName: string;
  /** The kubeadm configuration YAML. */
  readonly kubeadmConfig: string;
  /** Settings of the scripts that run kubeadm join (see sections.JOIN). */
  readonly join: Record<string, SettingValue>;
  /** The kube-vip static pod, or '' (see sections.KUBE_VIP). */
  readonly kubeVip: Record<string, SettingValue>;
  /** Settings of control-plane-join.sh beyond the join (see sections.CONTROL_PLANE_JOIN). */
  readonly controlPlaneJoin: Record<string, SettingValue>;
  /** Settings of control-plane.sh beyond the preparation (see sections.CONTROL_PLANE). */
  readonly controlPlane: Record<string, SettingValue>;
  /** Kubernetes version, for the header. */
  readonly kubernetesVersion: string;
}

const DESCRIPTIONS: Record<NodeScriptKind, string> = {
  [NodeScriptKind.PREPARE_NODE]: 'prepares this machine to become a kubeadm node',
  [NodeScriptKind.CONTROL_PLANE]: 'prepares this machine and initializes the control plane with kubeadm',
  [NodeScriptKind.WORKER]: 'prepares this machine and joins it to the cluster with kubeadm',
  [NodeScriptKind.NEW_JOIN_COMMAND]: 'prints the join parameters for a new node, on the control plane',
  [NodeScriptKind.CONTROL_PLANE_JOIN]: 'prepares this machine and joins it to the control plane with kubeadm',
};

function setting(name: string, value: SettingValue): string {
  if (Array.isArray(value)) {
    return `readonly -a ${name}=(${value.map(shQuote).join(' ')})`;
  }
  return `readonly ${name}=${shQuote(String(value))}`;
}

/**
 * The added preparation steps: one function per step, and
 * added_preparation_steps (called at the end of prepare_node) running them in
 * order through added_step, which logs the step and skips it in a dry run.
 */
function preparationSteps(steps: readonly PreparationStep[]): string {
  const lines = [
    '# ---- added preparation steps ---------------------------------------------',
    '',
    '# KubeadmClusterPrereqs.addPreparationStep, in the order added.',
    'added_preparation_steps() {',
    ...(steps.length === 0 ? ['  return 0'] : steps.map((s, i) => `  added_step ${shQuote(s.description)} added_step_${i + 1}`)),
    '}',
  ];
  steps.forEach((s, i) => {
    lines.push('', `added_step_${i + 1}() {`);
    for (const command of s.commands) {
      lines.push(...command.replace(/\n+$/, '').split('\n').map((l) => (l === '' ? '' : `  ${l}`)));
    }
    lines.push('}');
  });
  return lines.join('\n');
}

/** The settings block and sections of one script, in order. */
function parts(kind: NodeScriptKind, s: NodeScriptSettings): { settings: string[]; sections: string[] } {
  const name = setting('SCRIPT_NAME', kind);
  const prepare = Object.entries(s.prepare).map(([k, v]) => setting(k, v));
  const steps = preparationSteps(s.preparationSteps);
  switch (kind) {
    case NodeScriptKind.PREPARE_NODE:
      return {
        settings: [name, ...prepare],
        sections: [SHELL_LIBRARY, sections.LIBRARY, sections.PREPARE, steps, sections.MAIN_PREPARE_NODE],
      };
    case NodeScriptKind.CONTROL_PLANE:
      return {
        settings: [
          name, ...prepare,
          setting('INIT_NODE_NAME', s.initNodeName),
          ...Object.entries(s.controlPlane).map(([k, v]) => setting(k, v)),
          ...Object.entries(s.kubeVip).map(([k, v]) => setting(k, v)),
          '',
          '# The kubeadm configuration (also written next to this script as kubeadm-config.yaml).',
          'kubeadm_config() {',
          '  cat <<\'KUBEADM_CONFIG\'',
          s.kubeadmConfig.replace(/\n$/, ''),
          'KUBEADM_CONFIG',
          '}',
        ],
        sections: [SHELL_LIBRARY, sections.LIBRARY, sections.PREPARE, steps, sections.JOIN_PARAMETERS, sections.JOIN_COMMAND,
          sections.ADMIN_KUBECONFIG, sections.KUBE_VIP, sections.CONTROL_PLANE, sections.MAIN_CONTROL_PLANE],
      };
    case NodeScriptKind.WORKER:
      return {
        settings: [name, ...prepare, setting('CONTROL_PLANE_ENDPOINT', s.controlPlaneEndpoint),
          ...Object.entries(s.join).map(([k, v]) => setting(k, v))],
        sections: [SHELL_LIBRARY, sections.LIBRARY, sections.PREPARE, steps, sections.JOIN_PARAMETERS, sections.JOIN, sections.WORKER,
          sections.MAIN_WORKER],
      };
    case NodeScriptKind.CONTROL_PLANE_JOIN:
      return {
        settings: [name, ...prepare, setting('CONTROL_PLANE_ENDPOINT', s.controlPlaneEndpoint),
          ...Object.entries(s.join).map(([k, v]) => setting(k, v)),
          ...Object.entries(s.controlPlaneJoin).map(([k, v]) => setting(k, v)),
          ...Object.entries(s.kubeVip).map(([k, v]) => setting(k, v))],
        sections: [SHELL_LIBRARY, sections.LIBRARY, sections.PREPARE, steps, sections.JOIN_PARAMETERS, sections.JOIN, sections.WORKER,
          sections.ADMIN_KUBECONFIG, sections.KUBE_VIP, sections.CONTROL_PLANE_JOIN, sections.MAIN_CONTROL_PLANE_JOIN],
      };
    case NodeScriptKind.NEW_JOIN_COMMAND:
      return {
        settings: [name],
        sections: [SHELL_LIBRARY, sections.LIBRARY, sections.JOIN_PARAMETERS, sections.JOIN_COMMAND, sections.MAIN_NEW_JOIN_COMMAND],
      };
  }
}

/**
 * Renders one self-contained script: header, settings, then the static
 * sections. Each script embeds the common preparation rather than sourcing a
 * sibling file, so it can be copied to a machine on its own.
 */
export function renderNodeScript(kind: NodeScriptKind, s: NodeScriptSettings): string {
  const { settings, sections: body } = parts(kind, s);
  const header = [
    '#!/usr/bin/env bash',
    `# ${kind}: ${DESCRIPTIONS[kind]} (Kubernetes ${s.kubernetesVersion}).`,
    '#',
    '# Generated by cdk8s-spark (KubeadmClusterPrereqs): change the construct\'s',
    '# properties and synthesize again rather than editing this file.',
    ...(kind === NodeScriptKind.NEW_JOIN_COMMAND ? [
      '# Run as root; --help lists the options. Safe to run again: it keeps a join',
      '# command whose token is still valid and makes a new one only when needed.',
    ] : [
      '# Run as root; --help lists the options. Safe to run again: each step looks',
      '# at the current state first and changes only what differs.',
    ]),
    'set -euo pipefail',
    '',
    '# ---- settings (rendered at synth time) ------------------------------------',
    '',
  ];
  return [...header, ...settings, '', ...body.map((b) => b.replace(/\n$/, '')).join('\n\n').split('\n')].join('\n') + '\n';
}
