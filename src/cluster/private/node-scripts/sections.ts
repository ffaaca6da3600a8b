// Bash sections of the node scripts rendered by KubeadmClusterPrereqs, kept as
// real files in ./sh/ (one per section) and embedded at build by
// scripts/embed-shell.mjs (`npx projen embed:shell`, run by pre-compile).
//
// They are static: every synth-time value reaches them through the settings
// block that render.ts puts in front (shell variables such as
// KUBERNETES_VERSION), never by interpolation. Each file is formatted as
// `shfmt -i 2 -ci -bn` formats it and passes shellcheck on its own (its first
// line names the checks a fragment cannot satisfy alone: variables set by the
// settings block or another section); the tests check the files and every
// rendered script.
export * from '../../../imports/sh/cluster-private-node-scripts';
