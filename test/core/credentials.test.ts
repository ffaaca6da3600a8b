import { isCredentialConfKey, isCredentialEnvName, urlHasCredentials } from '../../src/core/credentials';

// Keys as Spark (docs/security.md, docs/configuration.md), hadoop-aws (S3A), the GCS
// connector, hadoop-azure (ABFS) and Hive name them.
describe('isCredentialConfKey', () => {
  test.each([
    'spark.authenticate.secret',
    'spark.authenticate.secret.driver',
    'spark.ssl.keyPassword',
    'spark.ssl.ui.keyStorePassword',
    'spark.ssl.standalone.trustStorePassword',
    'fs.s3a.access.key',
    'fs.s3a.secret.key',
    'fs.s3a.session.token',
    'fs.s3a.bucket.logs.secret.key',
    'fs.s3a.encryption.key',
    'spark.hadoop.fs.s3a.secret.key',
    'spark.hadoop.fs.s3a.access.key',
    'fs.gs.auth.service.account.private.key',
    'fs.gs.auth.service.account.private.key.id',
    'spark.hadoop.fs.gs.auth.client.secret',
    'fs.azure.account.key.logs.dfs.core.windows.net',
    'fs.azure.account.oauth2.client.secret',
    'fs.azure.account.oauth2.client.secret.logs.dfs.core.windows.net',
    'fs.azure.sas.logs.dfs.core.windows.net',
    'javax.jdo.option.ConnectionPassword',
    'spark.hadoop.javax.jdo.option.ConnectionPassword',
    'hive.server2.authentication.ldap.bindpw',
    'hive.server2.keystore.password',
    'hive.metastore.keystore.password',
    'spark.kafka.clusters.a.ssl.truststore.password',
    'my.service.api.token',
  ])('%s holds a credential', (key) => {
    expect(isCredentialConfKey(key)).toBe(true);
  });

  test.each([
    'spark.authenticate',
    'spark.authenticate.secret.file',
    'spark.authenticate.secret.driver.file',
    'spark.ssl.keyStore',
    'spark.ssl.trustStore',
    'spark.ssl.enabled',
    'fs.s3a.endpoint',
    'fs.s3a.aws.credentials.provider',
    'fs.s3a.encryption.algorithm',
    'spark.hadoop.fs.s3a.path.style.access',
    'fs.gs.auth.service.account.json.keyfile',
    'fs.gs.auth.type',
    'fs.azure.account.auth.type',
    'fs.azure.account.oauth.provider.type',
    'fs.azure.account.oauth2.client.id',
    'hadoop.security.credential.provider.path',
    'spark.kubernetes.driver.secrets.s3-keys',
    'spark.kubernetes.executor.secretKeyRef.AWS_SECRET_ACCESS_KEY',
    'spark.kubernetes.authenticate.driver.serviceAccountName',
    'spark.executor.memory',
    'spark.sql.shuffle.partitions',
    'hive.server2.keystore.path',
    'javax.jdo.option.ConnectionURL',
  ])('%s does not', (key) => {
    expect(isCredentialConfKey(key)).toBe(false);
  });
});

describe('isCredentialEnvName', () => {
  test.each(['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SESSION_TOKEN', 'AZURE_CLIENT_SECRET', 'AZURE_STORAGE_ACCOUNT_KEY', 'PGPASSWORD',
    'HIVE_METASTORE_PASSWORD', 'GITHUB_TOKEN', 'OPENAI_API_KEY', 'SPARK_AUTHENTICATE_SECRET'])('%s holds a credential', (name) => {
    expect(isCredentialEnvName(name)).toBe(true);
  });
  test.each(['AWS_REGION', 'GOOGLE_APPLICATION_CREDENTIALS', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'SPARK_HOME', 'TZ',
    'SECRET_PATH', 'KEYTAB_DIR'])('%s does not', (name) => {
    expect(isCredentialEnvName(name)).toBe(false);
  });
});

describe('urlHasCredentials', () => {
  test.each([
    'https://bot:ghp_x@git.example.com/p.git',
    'https://ghp_x@git.example.com/p.git',
    's3a://AKIA:secret@bucket/logs',
    'https://repo.example.com/a.jar?token=x',
    'https://b.s3.amazonaws.com/a.jar?X-Amz-Credential=a&X-Amz-Signature=b',
    'https://account.blob.core.windows.net/c/a.jar?sv=2022&sig=abc',
    'jdbc:mysql://db/hive?user=hive&password=x',
    'ssh://git:password@github.com/org/repo.git',
  ])('%s carries credentials', (url) => {
    expect(urlHasCredentials(url)).toBe(true);
  });
  test.each([
    'https://git.example.com/p.git',
    'hdfs://namenode.hadoop.svc:8020/spark-logs',
    'local:///opt/spark/examples/jars/spark-examples.jar',
    's3a://bucket/path/app.jar',
    'https://repo.example.com/a.jar?version=1',
    'https://git.example.com/users/a@b/repo.git',
    // ssh names the account; the key is elsewhere.
    'ssh://git@github.com/org/repo.git',
    'git@github.com:org/repo.git',
  ])('%s does not', (url) => {
    expect(urlHasCredentials(url)).toBe(false);
  });
});
