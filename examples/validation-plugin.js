// cdk8s-spark's validation plugin for the example apps, loaded from the
// sources as the apps are (they import ../../src): cdk8s-cli loads a local
// plugin with plain Node `require`, so tsx compiles src/ on the fly, in its
// own namespace (the CLI's other modules are left alone). An app that
// installs cdk8s-spark names node_modules/cdk8s-spark/lib/validation/plugin.js
// in its cdk8s.yaml instead (README, "Checks inside cdk8s synth").
const { register } = require('tsx/cjs/api');

const api = register({ namespace: 'cdk8s-spark-validation' });
module.exports = api.require('../src/validation/plugin.ts', __filename);
