// The facts SparkImage states for the official apache/spark images, checked
// against their Dockerfiles (apache/spark-docker, ../shared/reference/spark-docker):
// the user-creating RUN is applied to a stand-in image, the installed packages
// and the Spark tarball are read from the file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SparkImage } from '../../src';
import { applyDockerfile, distributionImage, groupEntry, passwdEntry } from '../harness/fake-image';
import { REFERENCE_DIR } from '../harness/reference';

const REF = path.join(REFERENCE_DIR, 'spark-docker');
const describeRef = fs.existsSync(REF) ? describe : describe.skip;
if (!fs.existsSync(REF)) {
  // eslint-disable-next-line no-console
  console.log(`skipping the apache/spark image facts conformance tests: ${REF} not found`);
}

function dockerfiles(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const version of fs.readdirSync(REF).filter((d) => /^\d+\.\d+\.\d+$/.test(d)).sort()) {
    for (const variant of fs.readdirSync(path.join(REF, version)).sort()) {
      const file = path.join(REF, version, variant, 'Dockerfile');
      if (fs.existsSync(file)) {
        out.push([`${version}/${variant}`, file]);
      }
    }
  }
  return out;
}

describeRef('SparkImageFacts.apacheImage() against apache/spark-docker', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-official-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the reference holds Dockerfiles to check', () => {
    expect(dockerfiles().map(([name]) => name)).toEqual(expect.arrayContaining(['3.5.7/scala2.12-java17-ubuntu', '4.0.0/scala2.13-java17-ubuntu']));
  });

  // (Without the reference the block is skipped; jest still wants a table.)
  test.each(fs.existsSync(REF) ? dockerfiles() : [['(no reference)', '']])('%s', (name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const version = name.split('/')[0];
    const facts = SparkImage.apache(version).facts;
    const joined = text.replace(/\\\n/g, ' ');

    // Only the RUN that creates the user: the others write outside the stand-in's reach.
    const userRun = joined.split('\n').filter((l) => /^RUN\s/.test(l) && /\buseradd\b/.test(l));
    expect(userRun).toHaveLength(1);
    const image = distributionImage(path.join(dir, name.replace('/', '-')));
    applyDockerfile(image, `ARG spark_uid=185\n${userRun[0]}\n`, {}, path.join(dir, 'stubs'));
    const uid = SparkImage.apache(version).uid;
    expect(passwdEntry(image, uid)?.[0]).toBe('spark');
    expect(groupEntry(image, uid)?.[0]).toBe('spark');
    expect(facts.passwdUids).toEqual([uid]);
    // The image runs as that user.
    expect(joined).toMatch(/^USER spark$/m);
    expect(/^ARG spark_uid=(\d+)$/m.exec(joined)?.[1]).toBe(String(uid));

    // wget is installed; curl is not asked for (it may come from the base image).
    const install = /apt-get install -y ([^;]+);/.exec(joined)?.[1].split(/\s+/) ?? [];
    expect(install).toContain('wget');
    expect(facts.wget).toBe(true);
    expect(facts.curl).toBeUndefined();

    // The Spark distribution for Hadoop 3 is unpacked as it is: no hadoop-aws is added.
    expect(joined).toContain(`spark-${version}-bin-hadoop3.tgz`);
    expect(joined).not.toMatch(/hadoop-aws|aws-java-sdk|bundle-\d/);
    expect(facts.hadoopAws).toBe(false);
  });
});
