// For scripts/test-package.sh, in the fresh app that installed the packed
// library: `node validate-minimal-app.js <cdk8s-cli plugins module>` writes
// the charts that test/package/minimal-app.js printed (JSON on stdin) as
// manifest files, and runs the packed validation plugin on them with
// cdk8s-cli's own ValidationContext, as `cdk8s synth` would load it. Its
// schemas (the bundled kubernetes-models), type map (lib/imports/k8s) and YAML
// parser (cdk8s's) must all be found inside the app. Prints the report; exits
// 1 unless it passed.
const fs = require('fs');
const path = require('path');
const { ValidationContext } = require(process.argv[2]);

const charts = JSON.parse(fs.readFileSync(0, 'utf8'));
fs.mkdirSync('dist', { recursive: true });
const manifests = charts.map((chart, i) => {
  const file = `dist/000${i}.k8s.yaml`;
  fs.writeFileSync(file, chart.map((o) => JSON.stringify(o, null, 1)).join('\n---\n')); // one document per object; JSON is YAML
  return file;
});

const plugin = require.resolve('cdk8s-spark/lib/validation/plugin.js');
const models = require.resolve('kubernetes-models', { paths: [path.dirname(plugin)] });
if (!models.startsWith(path.resolve('node_modules', 'cdk8s-spark', 'node_modules') + path.sep)) {
  throw new Error(`kubernetes-models resolved outside the package's bundled dependencies: ${models}`);
}
const { SparkManifestValidation } = require(plugin);
const context = new ValidationContext(manifests, 'cdk8s-spark', '0.0.0');
new SparkManifestValidation({ scripts: false }).validate(context).then(() => {
  console.log(context.report.toString());
  process.exit(context.report.success ? 0 : 1);
});
