import { arrayOf, bool, Field, int32, int64, mapOf, obj, opaque, quantity, str, stringList, stringMap } from './types';

// The SparkApplication and ScheduledSparkApplication specs of the Spark
// operator (sparkoperator.k8s.io/v1beta2, operator v2.5). Field names, types,
// enums and bounds follow the operator's API; descriptions are ours.
// Kubernetes core types are kept as opaque objects: the API server keeps them
// as given, and the library's props type them with the cdk8s k8s structs.

const NAMED = { properties: { name: str('Name of the entry.') }, required: ['name'] };

function podFields(role: 'driver' | 'executor'): { [name: string]: Field } {
  return {
    cores: int32(`Number of CPU cores Spark assigns to the ${role} (its task slots for executors).`, { minimum: 1 }),
    coreRequest: str(`CPU request of the ${role} pod (Kubernetes quantity); wins over cores for the request.`),
    coreLimit: str(`CPU limit of the ${role} pod (Kubernetes quantity).`),
    memory: str(`Heap size of the ${role} JVM in Spark notation, e.g. 512m.`),
    memoryOverhead: str(`Off-heap memory added to the ${role} container on top of the heap, in Spark notation.`),
    memoryLimit: str(`Memory limit of the ${role} container, in Spark notation.`),
    javaOptions: str(`Extra JVM options of the ${role}.`),
    labels: stringMap(`Labels added to the ${role} pod.`),
    annotations: stringMap(`Annotations added to the ${role} pod.`),
    nodeSelector: stringMap(`Node labels the ${role} pod must be scheduled on.`),
    tolerations: arrayOf(`Taints the ${role} pod tolerates.`, opaque('A Kubernetes Toleration.')),
    affinity: opaque(`Kubernetes Affinity of the ${role} pod.`),
    securityContext: opaque(`Kubernetes SecurityContext of the ${role} container.`),
    podSecurityContext: opaque(`Kubernetes PodSecurityContext of the ${role} pod.`),
    env: arrayOf(`Environment variables of the ${role} container.`, opaque('A Kubernetes EnvVar.', NAMED)),
    envFrom: arrayOf(`Sources of environment variables of the ${role} container.`, opaque('A Kubernetes EnvFromSource.')),
    envVars: stringMap('Environment variables as a plain map.', { notExposed: 'superseded by env, which the env prop renders' }),
    envSecretKeyRefs: mapOf('Environment variables taken from Secret keys, by variable name.',
      obj('A Secret key.', { name: str('Secret name.'), key: str('Key in the Secret.') }, { required: ['key', 'name'] }),
      { notExposed: 'superseded by env with secretKeyRef, which the env prop renders (EnvValue.fromSecretValue)' }),
    volumeMounts: arrayOf(`Volumes mounted into the ${role} container.`,
      opaque('A Kubernetes VolumeMount.', { properties: { name: str('Volume name.'), mountPath: str('Mount path.') }, required: ['mountPath', 'name'] })),
    priorityClassName: str(`PriorityClass of the ${role} pod.`),
    template: opaque(`A pod template merged by Spark into the ${role} pod (Spark 3.0 or later).`),
    configMaps: arrayOf('ConfigMaps mounted at a path.',
      obj('A ConfigMap mount.', { name: str('ConfigMap name.'), path: str('Mount path.') }, { required: ['name', 'path'] }),
      { notExposed: 'mount ConfigMaps as volumes (volumeMounts), which keeps one way to do it' }),
    secrets: arrayOf('Secrets mounted at a path.',
      obj('A Secret mount.', { name: str('Secret name.'), path: str('Mount path.'), secretType: str('How the Secret is used.') },
        { required: ['name', 'path', 'secretType'] }),
      { notExposed: 'mount Secrets as volumes (volumeMounts), which keeps one way to do it' }),
    gpu: obj('A GPU request.', { name: str('Extended resource name, e.g. nvidia.com/gpu.'), quantity: int64('Number of GPUs.') },
      { required: ['name', 'quantity'], notExposed: 'request accelerators through Spark resource scheduling conf' }),
    hostAliases: arrayOf('Extra /etc/hosts entries.', opaque('A Kubernetes HostAlias.')),
    hostNetwork: bool('Run in the host network namespace.', { notExposed: 'forbidden by the restricted Pod Security Standard' }),
    dnsConfig: opaque('Kubernetes PodDNSConfig.', { notExposed: 'rarely needed; use the template prop' }),
    image: str(`Container image of the ${role}, instead of the application image.`,
      { notExposed: 'driver and executors must run the same Spark build; set the application image' }),
    initContainers: arrayOf('Init containers.', opaque('A Kubernetes Container.', NAMED),
      { notExposed: 'fetch dependencies with deps (Spark downloads them); use the template prop otherwise' }),
    sidecars: arrayOf('Sidecar containers.', opaque('A Kubernetes Container.', NAMED), { notExposed: 'use the template prop' }),
    kubernetesMaster: str('API server URL for the pod.', { notExposed: 'jobs run in the operator\'s cluster' }),
    lifecycle: opaque('Kubernetes Lifecycle hooks of the container.', { notExposed: 'use the template prop' }),
    ports: arrayOf('Extra container ports.',
      obj('A port.', { name: str('Port name.'), containerPort: int32('Port number.'), protocol: str('Protocol.') },
        { required: ['containerPort', 'name', 'protocol'] }), { notExposed: 'use the template prop' }),
    schedulerName: str('Scheduler of the pod.'),
    serviceAccount: str(`ServiceAccount of the ${role} pod.`,
      role === 'executor' ? { notExposed: 'executors do not call the API server; they use the namespace default' } : {}),
    shareProcessNamespace: bool('Share one process namespace between the containers.', { notExposed: 'use the template prop' }),
    terminationGracePeriodSeconds: int64('Grace period for the pod to stop, in seconds.'),
  };
}

const DRIVER = obj('The driver pod.', {
  ...podFields('driver'),
  podName: str('Name of the driver pod.', {
    pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*',
    notExposed: 'the operator derives it from the application name, which keeps names unique per run',
  }),
  serviceAnnotations: stringMap('Annotations of the driver Service.', { notExposed: 'not needed by the platform' }),
  serviceLabels: stringMap('Labels of the driver Service.', { notExposed: 'not needed by the platform' }),
});

const EXECUTOR = obj('The executor pods.', {
  ...podFields('executor'),
  instances: int32('Number of executors (the initial count when dynamic allocation is on).', { minimum: 1 }),
  deleteOnTermination: bool('Delete executor pods when they end.'),
});

const TLS = arrayOf('TLS settings of the Ingress.', obj('TLS for some hosts.', {
  hosts: stringList('Hosts covered by the certificate.'),
  secretName: str('Secret holding the certificate.'),
}));

/** The spec of a SparkApplication (also the template of a ScheduledSparkApplication). */
export const SPARK_APPLICATION_SPEC: Field = obj('What to run and how.', {
  type: str('Language of the application.', { enum: ['Java', 'Python', 'Scala', 'R'] }),
  mode: str('Where the driver runs.', { enum: ['cluster', 'client'] }),
  sparkVersion: str('Spark version of the image.'),
  image: str('Container image of the driver and executors.'),
  imagePullPolicy: str('When the kubelet pulls the image.'),
  imagePullSecrets: stringList('Names of Secrets used to pull the image.'),
  mainClass: str('Entry class of a JVM application.'),
  mainApplicationFile: str('The application jar, Python or R file (local:// inside the image, or a URL).'),
  arguments: stringList('Arguments passed to the application.'),
  proxyUser: str('User to impersonate when submitting.'),
  pythonVersion: str('Major Python version of a PySpark application.', { enum: ['2', '3'] }),
  memoryOverheadFactor: str('Fraction of the heap added as off-heap memory when no overhead is given.'),
  sparkConf: stringMap('Spark configuration.'),
  hadoopConf: stringMap('Hadoop configuration; keys are given without the spark.hadoop. prefix.'),
  sparkConfigMap: str('ConfigMap holding Spark configuration files.', { notExposed: 'sparkConf keeps configuration in the typed model' }),
  hadoopConfigMap: str('ConfigMap holding Hadoop configuration files.', { notExposed: 'hadoopConf keeps configuration in the typed model' }),
  volumes: arrayOf('Volumes the driver and executors can mount.', opaque('A Kubernetes Volume.', NAMED)),
  nodeSelector: stringMap('Node labels both driver and executors must be scheduled on.'),
  driver: DRIVER,
  executor: EXECUTOR,
  deps: obj('Dependencies fetched when the application starts.', {
    jars: stringList('Jars added to the class path.'),
    files: stringList('Files placed in the working directory.'),
    pyFiles: stringList('Python files, zips or eggs added to the Python path.'),
    packages: stringList('Maven coordinates (group:artifact:version) to resolve.'),
    excludePackages: stringList('Maven coordinates (group:artifact) to leave out of the resolution.'),
    repositories: stringList('Extra Maven repositories to resolve packages from.'),
    archives: stringList('Archives extracted into the working directory.'),
  }),
  restartPolicy: obj('When the operator re-runs the application.', {
    type: str('The policy.', { enum: ['Never', 'Always', 'OnFailure'] }),
    onFailureRetries: int32('Retries after a failed run.', { minimum: 0 }),
    onFailureRetryInterval: int64('Seconds between retries after a failed run.', { minimum: 1 }),
    onSubmissionFailureRetries: int32('Retries after a failed submission.', { minimum: 0 }),
    onSubmissionFailureRetryInterval: int64('Seconds between retries after a failed submission.', { minimum: 1 }),
  }),
  failureRetries: int32('Legacy retry count.', { notExposed: 'restartPolicy carries retries' }),
  retryInterval: int64('Legacy retry interval in seconds.', { notExposed: 'restartPolicy carries retry intervals' }),
  timeToLiveSeconds: int64('Seconds after termination before the operator deletes the application.'),
  suspend: bool('Hold the application: it is not submitted (or is stopped) while true.'),
  dynamicAllocation: obj('Dynamic allocation of executors.', {
    enabled: bool('Turns dynamic allocation on.'),
    initialExecutors: int32('Executors at start.'),
    minExecutors: int32('Least number of executors.'),
    maxExecutors: int32('Largest number of executors.'),
    shuffleTrackingEnabled: bool('Keep executors that hold shuffle data (needed without an external shuffle service).'),
    shuffleTrackingTimeout: int64('Milliseconds after which executors holding shuffle data may be released.'),
  }),
  monitoring: obj('Metrics exposure.', {
    exposeDriverMetrics: bool('Expose metrics of the driver.'),
    exposeExecutorMetrics: bool('Expose metrics of the executors.'),
    metricsProperties: str('Content of Spark\'s metrics.properties.'),
    metricsPropertiesFile: str('Path of metrics.properties inside the image.'),
    prometheus: obj('The Prometheus JMX exporter.', {
      jmxExporterJar: str('Path of the JMX exporter java agent jar inside the image.'),
      port: int32('Port the exporter listens on.', { minimum: 1024 }),
      portName: str('Name of the exporter port.'),
      configFile: str('Path of the exporter configuration inside the image.'),
      configuration: str('Content of the exporter configuration.'),
    }, { required: ['jmxExporterJar'] }),
  }, { required: ['exposeDriverMetrics', 'exposeExecutorMetrics'] }),
  batchScheduler: str('Batch scheduler of the pods, e.g. volcano or yunikorn.'),
  batchSchedulerOptions: obj('Options of the batch scheduler.', {
    queue: str('Queue the application is submitted to.'),
    priorityClassName: str('PriorityClass of the pod group.'),
    resources: mapOf('Resources reserved for the pod group.', quantity('A quantity.')),
  }),
  sparkUIOptions: obj('Service and Ingress of the Spark UI.', {
    servicePort: int32('Port of the UI Service.'),
    servicePortName: str('Name of the UI Service port.'),
    serviceType: str('Type of the UI Service.'),
    serviceAnnotations: stringMap('Annotations of the UI Service.'),
    serviceLabels: stringMap('Labels of the UI Service.'),
    ingressAnnotations: stringMap('Annotations of the UI Ingress.'),
    ingressTLS: TLS,
  }),
  driverIngressOptions: arrayOf('Extra Services and Ingresses in front of driver ports.', obj('One exposed port.', {
    servicePort: int32('Service port.'),
    servicePortName: str('Service port name.'),
    serviceType: str('Service type.'),
    serviceAnnotations: stringMap('Annotations of the Service.'),
    serviceLabels: stringMap('Labels of the Service.'),
    ingressURLFormat: str('URL format of the Ingress.'),
    ingressAnnotations: stringMap('Annotations of the Ingress.'),
    ingressTLS: TLS,
  }, { required: ['servicePort', 'servicePortName'] }), { notExposed: 'ingresses are out of the platform\'s scope' }),
}, { required: ['driver', 'executor', 'mainApplicationFile', 'sparkVersion', 'type'] });

/** The spec of a ScheduledSparkApplication. */
export const SCHEDULED_SPARK_APPLICATION_SPEC: Field = obj('When to run and what.', {
  schedule: str('Cron schedule of the runs.'),
  timeZone: str('IANA time zone the schedule is read in.'),
  concurrencyPolicy: str('What happens when a run is due while another is running.', { enum: ['Allow', 'Forbid', 'Replace'] }),
  suspend: bool('Stop starting new runs while true.'),
  successfulRunHistoryLimit: int32('Finished runs kept.', { minimum: 0 }),
  failedRunHistoryLimit: int32('Failed runs kept.', { minimum: 0 }),
  template: SPARK_APPLICATION_SPEC,
}, { required: ['schedule', 'template'] });

/** Status written by the operator; kept as given. */
export const STATUS: Field = opaque('Observed state, written by the operator.');
