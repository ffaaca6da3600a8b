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

/** A step added with KubeadmClusterPrereqs.addPreparationStep, addPostInitStep, ... */
export interface PreparationStep {
  /** Logged as the step's name. */
  readonly description: string;
  /** bash lines, run as they are. */
  readonly commands: readonly string[];
}

/** The steps users added, by where they run. */
export interface AddedSteps {
  /** addPreparationStep: every preparing script, after the built-in preparation. */
  readonly preparation: readonly PreparationStep[];
  /** addPostInitStep: control-plane.sh, after kubeadm init. */
  readonly postInit: readonly PreparationStep[];
  /** addPostControlPlaneJoinStep: control-plane-join.sh, after kubeadm join. */
  readonly postControlPlaneJoin: readonly PreparationStep[];
  /** addPostWorkerJoinStep: worker.sh, after kubeadm join. */
  readonly postWorkerJoin: readonly PreparationStep[];
}

/** Everything the scripts need from synth time. */
export interface NodeScriptSettings {
  /** Steps the user added, each list in the order added. */
  readonly steps: AddedSteps;
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

/** How one group of added steps is rendered. */
interface StepGroup {
  /** Section title. */
  readonly title: string;
  /** The KubeadmClusterPrereqs method that adds them. */
  readonly method: string;
  /** A second comment line above the group function, or ''. */
  readonly note: string;
  /** The function that runs the group (called by a static section). */
  readonly runner: string;
  /** Prefix of the per-step function names (numbered from 1). */
  readonly prefix: string;
  /** The library function that logs a step, skips it in a dry run and calls it. */
  readonly via: string;
}

const PREPARATION: StepGroup = {
  title: 'added preparation steps',
  method: 'addPreparationStep',
  note: '',
  runner: 'added_preparation_steps',
  prefix: 'added_step_',
  via: 'added_step',
};
const POST_INIT: StepGroup = {
  title: 'added steps after kubeadm init',
  method: 'addPostInitStep',
  note: 'As root; KUBECONFIG is the admin kubeconfig.',
  runner: 'added_post_init_steps',
  prefix: 'added_post_init_step_',
  via: 'added_admin_step',
};
const POST_CONTROL_PLANE_JOIN: StepGroup = {
  title: 'added steps after the control-plane join',
  method: 'addPostControlPlaneJoinStep',
  note: 'As root; KUBECONFIG is the admin kubeconfig.',
  runner: 'added_post_control_plane_join_steps',
  prefix: 'added_post_control_plane_join_step_',
  via: 'added_admin_step',
};
const POST_WORKER_JOIN: StepGroup = {
  title: 'added steps after the worker join',
  method: 'addPostWorkerJoinStep',
  note: 'As root; no cluster credentials (the script sets no KUBECONFIG).',
  runner: 'added_post_worker_join_steps',
  prefix: 'added_post_worker_join_step_',
  via: 'added_step',
};

/**
 * One group of added steps: one function per step, and the group's runner
 * (called by a static section where the group belongs) running them in order
 * through the library function that logs each step and skips it in a dry run.
 */
function addedSteps(group: StepGroup, steps: readonly PreparationStep[]): string {
  const lines = [
    `# ---- ${group.title} `.padEnd(76, '-'),
    '',
    `# KubeadmClusterPrereqs.${group.method}, in the order added.`,
    ...(group.note === '' ? [] : [`# ${group.note}`]),
    `${group.runner}() {`,
    ...(steps.length === 0 ? ['  return 0'] : steps.map((s, i) => `  ${group.via} ${shQuote(s.description)} ${group.prefix}${i + 1}`)),
    '}',
  ];
  steps.forEach((s, i) => {
    lines.push('', `${group.prefix}${i + 1}() {`);
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
  const steps = addedSteps(PREPARATION, s.steps.preparation);
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
          sections.ADMIN_KUBECONFIG, sections.KUBE_VIP, sections.CONTROL_PLANE, addedSteps(POST_INIT, s.steps.postInit),
          sections.MAIN_CONTROL_PLANE],
      };
    case NodeScriptKind.WORKER:
      return {
        settings: [name, ...prepare, setting('CONTROL_PLANE_ENDPOINT', s.controlPlaneEndpoint),
          ...Object.entries(s.join).map(([k, v]) => setting(k, v))],
        sections: [SHELL_LIBRARY, sections.LIBRARY, sections.PREPARE, steps, sections.JOIN_PARAMETERS, sections.JOIN, sections.WORKER,
          addedSteps(POST_WORKER_JOIN, s.steps.postWorkerJoin), sections.MAIN_WORKER],
      };
    case NodeScriptKind.CONTROL_PLANE_JOIN:
      return {
        settings: [name, ...prepare, setting('CONTROL_PLANE_ENDPOINT', s.controlPlaneEndpoint),
          ...Object.entries(s.join).map(([k, v]) => setting(k, v)),
          ...Object.entries(s.controlPlaneJoin).map(([k, v]) => setting(k, v)),
          ...Object.entries(s.kubeVip).map(([k, v]) => setting(k, v))],
        sections: [SHELL_LIBRARY, sections.LIBRARY, sections.PREPARE, steps, sections.JOIN_PARAMETERS, sections.JOIN, sections.WORKER,
          sections.ADMIN_KUBECONFIG, sections.KUBE_VIP, sections.CONTROL_PLANE_JOIN,
          addedSteps(POST_CONTROL_PLANE_JOIN, s.steps.postControlPlaneJoin), sections.MAIN_CONTROL_PLANE_JOIN],
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
