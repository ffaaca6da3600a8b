// Issue #19, runtime pod options (PodRuntimeOptions, part of WorkloadPodOptions
// and of the jobs' driver and executor props): hostAliases, grace period,
// scheduler, supplementary groups, sysctls, SELinux labels and user
// namespaces reach every pod kind, and only what Pod Security "restricted"
// admits is accepted (kubernetes/kubernetes
// staging/src/k8s.io/pod-security-admission/policy/check_sysctls.go and
// check_seLinuxOptions.go); the user-namespace feature state comes from
// pkg/features/kube_features.go (UserNamespacesSupport: beta off by default
// in 1.30, on by default from 1.33).
import { Chart, Duration, Testing } from 'cdk8s';

import { parse } from 'yaml';
import {
  BatchScheduler, DeployMode, HiveMetastore, PodRuntimeOptions, SafeSysctl, ScheduledSparkApplication, SeLinuxType, SparkApplication,
  SparkApplicationType, SparkSubmitJob, SparkThriftServer, WorkloadPodOptions,
} from '../../src';
import { podSecurityViolations } from '../../src/core/cluster-model/pod-security';
import { PodBuilder } from '../../src/core/pod-builder';
import { resolvePodOptions } from '../../src/core/pod-options';
import { everyWorkload, podsOf } from '../harness/every-workload';
import { expectValidManifests } from '../harness/manifests';
import { libraryOperatorCrds } from '../harness/spark-operator';
import { certManagerCrds, upstreamCrds } from '../harness/third-party-crds';

const RUNTIME: PodRuntimeOptions = {
  hostAliases: [{ ip: '10.0.0.15', hostnames: ['namenode.example.internal', 'nn'] }, { ip: 'fd00::15', hostnames: ['lake.example.internal'] }],
  // Above the Thrift server's own 60 s, which is the least it accepts.
  terminationGracePeriod: Duration.seconds(90),
  schedulerName: 'spark-scheduler',
  supplementalGroups: [5000, 5001],
  sysctls: [{ name: SafeSysctl.NET_IPV4_IP_LOCAL_PORT_RANGE, value: '1024 65535' }, { name: SafeSysctl.KERNEL_SHM_RMID_FORCED, value: '1' }],
  seLinuxOptions: { type: SeLinuxType.CONTAINER, level: 's0:c123,c456' },
  hostUsers: false,
  acknowledgeUserNamespaces: true,
};
const HOST_ALIASES = [{ ip: '10.0.0.15', hostnames: ['namenode.example.internal', 'nn'] }, { ip: 'fd00::15', hostnames: ['lake.example.internal'] }];
const SYSCTLS = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }, { name: 'kernel.shm_rmid_forced', value: '1' }];
const SELINUX = { type: 'container_t', level: 's0:c123,c456' };

/** The pod-level fields every pod gets, and its security context's. */
function expectRuntime(where: string, spec: any, fields: { grace?: boolean; scheduler?: boolean } = {}): void {
  const { grace = true, scheduler = true } = fields;
  expect([where, spec.hostAliases, spec.hostUsers]).toEqual([where, HOST_ALIASES, false]);
  expect([where, spec.terminationGracePeriodSeconds, spec.schedulerName])
    .toEqual([where, grace ? 90 : undefined, scheduler ? 'spark-scheduler' : undefined]);
  expect([where, spec.securityContext]).toEqual([where, expect.objectContaining({
    supplementalGroups: [5000, 5001],
    sysctls: SYSCTLS,
    seLinuxOptions: SELINUX,
    // The restricted context stays.
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  })]);
}


/** The library's SparkApplication CRDs and, when the reference data is present, the operator's own (v2.5.2). */
function sparkCrds(): Array<[string, any[]]> {
  const upstream = upstreamCrds('spark-operator-v2.5.2/crds',
    ['sparkoperator.k8s.io_sparkapplications.yaml', 'sparkoperator.k8s.io_scheduledsparkapplications.yaml']);
  return [['library', libraryOperatorCrds()], ...(upstream ? [['upstream v2.5.2', upstream] as [string, any[]]] : [])];
}

const JOB = {
  namespace: 'analytics',
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

describe('runtime options on every pod kind', () => {
  test('reach every pod, the operator\'s driver and executor fields and spark-submit\'s pod templates; Pod Security "restricted" admits each', () => {
    const app = Testing.app();
    const pod: WorkloadPodOptions = RUNTIME;
    const { jobs } = everyWorkload(app, pod);
    const job = { ...JOB, driver: RUNTIME, executor: RUNTIME };
    new SparkSubmitJob(jobs, 'Submit', { ...job, submitterPod: { ...RUNTIME, terminationGracePeriod: Duration.seconds(90) } });
    new SparkApplication(jobs, 'Operator', job);
    new ScheduledSparkApplication(jobs, 'Nightly', { ...job, schedule: '0 2 * * *' });

    const seen: string[] = [];
    for (const chart of app.charts) {
      const manifests = Testing.synth(chart);
      for (const [where, spec] of podsOf(manifests)) {
        // flannel takes no pod options.
        if (where === 'DaemonSet/kube-flannel-ds') continue;
        seen.push(where);
        expectRuntime(where, spec);
        expect([where, podSecurityViolations(spec, 'restricted')]).toEqual([where, []]);
      }
      const operatorJobs = manifests.filter((m) => m.kind === 'SparkApplication' || m.kind === 'ScheduledSparkApplication');
      for (const application of operatorJobs) {
        const spec = application.kind === 'SparkApplication' ? application.spec : application.spec.template;
        for (const role of ['driver', 'executor']) {
          const where = `${application.kind} ${role}`;
          const p = spec[role];
          // The operator's webhook applies these fields (spark-operator v2.5.2 internal/webhook/sparkpod_defaulter.go).
          expect([where, p.hostAliases, p.terminationGracePeriodSeconds, p.schedulerName])
            .toEqual([where, HOST_ALIASES, 90, 'spark-scheduler']);
          expect([where, p.podSecurityContext]).toEqual([where, expect.objectContaining({
            supplementalGroups: [5000, 5001], sysctls: SYSCTLS, seLinuxOptions: SELINUX, runAsNonRoot: true,
          })]);
          // No CRD field for hostUsers: through the pod template, which Spark builds the pod from.
          expect([where, p.template]).toEqual([where, { spec: { containers: [{ name: `spark-kubernetes-${role}` }], hostUsers: false } }]);
          expect([where, podSecurityViolations({ securityContext: p.podSecurityContext, containers: [{ name: 'c', securityContext: p.securityContext }] },
            'restricted')]).toEqual([where, []]);
        }
        seen.push(application.kind);
      }
      if (operatorJobs.length > 0) {
        for (const [name, crds] of sparkCrds()) {
          expect(() => expectValidManifests(operatorJobs, { crds })).not.toThrow();
          seen.push(`crds ${name}`);
        }
      }
      // spark-submit's driver and executor templates, and the Thrift server's executor template.
      for (const cm of manifests.filter((m) => m.kind === 'ConfigMap' && JSON.stringify(m.data ?? {}).includes('kind: Pod'))) {
        for (const [file, text] of Object.entries<string>(cm.data)) {
          if (!text.includes('kind: Pod')) continue;
          const template = parse(text);
          const where = `${cm.metadata.name}/${file}`;
          // The Thrift server's executors share the server's runtime options, not its grace period or scheduler.
          const thrift = !cm.metadata.name.includes('submit');
          expectRuntime(where, template.spec, { grace: !thrift, scheduler: !thrift });
          expect([where, podSecurityViolations(template.spec, 'restricted')]).toEqual([where, []]);
          seen.push('template');
        }
      }
      // The provisioner's helper pods (node system pods) take none of them.
      for (const cm of manifests.filter((m) => m.kind === 'ConfigMap' && m.data?.['helperPod.yaml'])) {
        const helper = JSON.parse(cm.data['helperPod.yaml']).spec;
        expect([helper.hostAliases, helper.hostUsers, helper.schedulerName, helper.securityContext.sysctls])
          .toEqual([undefined, undefined, undefined, undefined]);
        seen.push('local-path helper pod');
      }
      expectValidManifests(manifests.filter((m) => !['SparkApplication', 'ScheduledSparkApplication'].includes(m.kind)), { crds: certManagerCrds() });
    }
    expect(seen.sort()).toEqual([
      'CronJob/mirror-docker-io-gc', // registry garbage collection
      'Deployment/local-path-provisioner', 'Deployment/mirror-docker-io', 'Deployment/platform-spark-services-thriftserver-c893747e',
      'Deployment/spark-history-server', 'Deployment/spark-operator-controller', 'Deployment/spark-operator-webhook', 'Deployment/spark-zeppelin',
      'Job/platform-jobs-submit-c8899cc2', // spark-submit
      'ScheduledSparkApplication', 'SparkApplication',
      'StatefulSet/spark-master', 'StatefulSet/spark-worker',
      'crds library', ...(sparkCrds().length > 1 ? ['crds upstream v2.5.2'] : []),
      'local-path helper pod',
      'template', 'template', 'template', // spark-submit's driver and executor, the Thrift server's executors
    ].sort());
    // The cluster model (Pod Security by namespace label among its rules) finds nothing.
    expect(() => app.synth()).not.toThrow();
  });

  test('a client-mode driver\'s options reach the submit pod, which is the driver; with the submit pod\'s own, a field in both is refused', () => {
    const chart = new Chart(Testing.app(), 'jobs', { namespace: 'analytics' });
    new SparkSubmitJob(chart, 'Client', {
      ...JOB, mode: DeployMode.CLIENT, driver: RUNTIME, submitterPod: { hostAliases: [{ ip: '10.0.0.16', hostnames: ['metastore.example.internal'] }] },
    });
    const spec = Testing.synth(chart).find((m) => m.kind === 'Job').spec.template.spec;
    expect(spec.hostAliases).toEqual([...HOST_ALIASES, { ip: '10.0.0.16', hostnames: ['metastore.example.internal'] }]);
    expect([spec.schedulerName, spec.hostUsers, spec.securityContext.sysctls]).toEqual(['spark-scheduler', false, SYSCTLS]);
    expect(() => new SparkSubmitJob(new Chart(Testing.app(), 'jobs'), 'Client', {
      ...JOB, mode: DeployMode.CLIENT, driver: { schedulerName: 'a' }, submitterPod: { schedulerName: 'b' },
    })).toThrow('invalid submitterPod.schedulerName "b": no schedulerName: driver.schedulerName gives the pod one already');
  });
});

describe('refused where the cluster would refuse, miss or drop them', () => {
  test.each<[string, any, string]>([
    ['a host alias without an address', { hostAliases: [{ ip: 'namenode', hostnames: ['nn'] }] }, 'invalid pod.hostAliases[0].ip "namenode": an IPv4 or IPv6 address'],
    ['a host alias without names', { hostAliases: [{ ip: '10.0.0.1', hostnames: [] }] }, 'invalid pod.hostAliases[0].hostnames []: a non-empty list of host names'],
    ['a host name with an underscore', { hostAliases: [{ ip: '10.0.0.1', hostnames: ['name_node'] }] }, 'invalid pod.hostAliases[0].hostnames[0] "name_node"'],
    ['a fraction of a second', { terminationGracePeriod: Duration.millis(1500) }, 'invalid pod.terminationGracePeriod "1500 ms": a whole number of seconds, at least 0'],
    ['a number for a grace period', { terminationGracePeriod: 30 }, 'invalid pod.terminationGracePeriod "number": a cdk8s Duration'],
    ['a scheduler name with capitals', { schedulerName: 'Volcano' }, 'invalid pod.schedulerName "Volcano"'],
    ['a negative group', { supplementalGroups: [-1] }, 'invalid pod.supplementalGroups[0] -1: a group id from 0 to 2147483647'],
    ['a fractional group', { supplementalGroups: [1.5] }, 'invalid pod.supplementalGroups[0] 1.5'],
    ['an unsafe sysctl (net.core.somaxconn)', { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
      'invalid pod.sysctls[0].name "net.core.somaxconn": a sysctl the Pod Security Standards allow (check_sysctls.go): kernel.shm_rmid_forced, '
      + 'net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start'],
    ['a node-wide sysctl (vm.max_map_count)', { sysctls: [{ name: 'vm.max_map_count', value: '262144' }] }, 'invalid pod.sysctls[0].name "vm.max_map_count"'],
    ['a sysctl twice', { sysctls: [{ name: SafeSysctl.NET_IPV4_TCP_SYNCOOKIES, value: '1' }, { name: SafeSysctl.NET_IPV4_TCP_SYNCOOKIES, value: '0' }] },
      'invalid pod.sysctls[1].name "net.ipv4.tcp_syncookies": each sysctl once'],
    ['an empty sysctl value', { sysctls: [{ name: SafeSysctl.NET_IPV4_TCP_SYNCOOKIES, value: ' ' }] }, 'invalid pod.sysctls[0].value " ": a value on one line'],
    ['SELinux type spc_t (unconfined containers)', { seLinuxOptions: { type: 'spc_t' } },
      'invalid pod.seLinuxOptions.type "spc_t": a type the Pod Security Standards allow (check_seLinuxOptions.go): container_t, container_init_t, container_kvm_t'],
    ['SELinux type unconfined_t', { seLinuxOptions: { type: 'unconfined_t' } }, 'invalid pod.seLinuxOptions.type "unconfined_t"'],
    ['an SELinux user', { seLinuxOptions: { type: 'container_t', user: 'system_u' } },
      'invalid pod.seLinuxOptions.user "system_u": no SELinux user or role: the Pod Security Standards refuse both'],
    ['an SELinux role', { seLinuxOptions: { role: 'system_r' } }, 'invalid pod.seLinuxOptions.role "system_r"'],
    ['a malformed SELinux level', { seLinuxOptions: { level: 'c123' } }, 'invalid pod.seLinuxOptions.level "c123": an MCS level such as "s0:c123,c456"'],
    ['empty SELinux options', { seLinuxOptions: {} }, 'invalid pod.seLinuxOptions {}: a type or a level'],
    ['hostUsers: false without the acknowledgement', { hostUsers: false },
      'invalid pod.hostUsers false: hostUsers: false only with acknowledgeUserNamespaces: true: before Kubernetes 1.33'],
    ['the acknowledgement without hostUsers: false', { acknowledgeUserNamespaces: true }, 'invalid pod.acknowledgeUserNamespaces true: only with hostUsers: false'],
    ['a string for hostUsers', { hostUsers: 'false' }, 'invalid pod.hostUsers "false": true or false'],
  ])('refuses %s', (_name, options, message) => {
    const chart = Testing.chart();
    expect(() => resolvePodOptions(chart, 'pod', options)).toThrow(message);
  });

  test.each<[string, (c: Chart) => void, string]>([
    ['a grace period shorter than the Thrift server\'s own', (c) => new SparkThriftServer(c, 'Sql', {
      metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'), warehouseDir: 'hdfs://nn:8020/w', pod: { terminationGracePeriod: Duration.seconds(10) },
    }), 'invalid pod.terminationGracePeriod "10 s": at least the construct\'s own grace period, 60 s'],
    ['schedulerName with a batch scheduler, whose scheduler the webhook puts in its place', (c) => new SparkApplication(c, 'Job', {
      ...JOB, batchScheduler: BatchScheduler.volcano(), executor: { schedulerName: 'spark-scheduler' },
    }), 'invalid executor.schedulerName "spark-scheduler": no schedulerName with batchScheduler (volcano)'],
    ['hostUsers given by the template too, otherwise', (c) => new SparkApplication(c, 'Job', {
      ...JOB, driver: { hostUsers: false, acknowledgeUserNamespaces: true, template: { spec: { containers: [], hostUsers: true } } },
    }), 'invalid driver.hostUsers false: the value of driver.template\'s spec.hostUsers (true)'],
    ['sysctls in a podSecurityContext given whole and as a prop', (c) => new SparkSubmitJob(c, 'Job', {
      ...JOB, executor: { podSecurityContext: { runAsNonRoot: true, sysctls: [] }, sysctls: [{ name: SafeSysctl.KERNEL_SHM_RMID_FORCED, value: '1' }] },
    }), 'invalid executor.sysctls "set": no sysctls: the pod\'s security context (podSecurityContext) sets it already'],
    ['a grace period in the template and as a prop', (c) => new SparkSubmitJob(c, 'Job', {
      ...JOB, driver: { terminationGracePeriod: Duration.seconds(5), template: { spec: { containers: [], terminationGracePeriodSeconds: 30 } } },
    }), 'invalid driver.terminationGracePeriod 5: the value of driver.template\'s spec.terminationGracePeriodSeconds (30)'],
    ['a bad value in a job\'s driver', (c) => new SparkApplication(c, 'Job', { ...JOB, driver: { sysctls: [{ name: 'kernel.msgmax' as SafeSysctl, value: '1' }] } }),
      'invalid driver.sysctls[0].name "kernel.msgmax"'],
  ])('refuses %s', (_name, build, message) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
    expect(() => {
      build(chart);
      Testing.synth(chart);
    }).toThrow(message);
  });

  test('a node system pod takes none of them: it states everything it runs with', () => {
    const chart = Testing.chart();
    const pod = PodBuilder.nodeSystemPod(chart, { hostNetwork: true });
    pod.addContainer({ name: 'c', image: 'registry.example.com/x:1', nodeSystemSecurity: { allowPrivilegeEscalation: false } });
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', { hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }] }));
    expect(() => pod.renderSpec()).toThrow('invalid pod "runtime options": no hostAliases, terminationGracePeriod, schedulerName');
  });

  test('the construct\'s own grace period stays when none is given, and a longer one replaces it', () => {
    const build = (options: WorkloadPodOptions) => {
      const chart = Testing.chart();
      const pod = new PodBuilder(chart, { runAsUser: 185, terminationGracePeriodSeconds: 60 });
      pod.addContainer({ name: 'c', image: 'registry.example.com/x:1' });
      pod.applyPodOptions(resolvePodOptions(chart, 'pod', options));
      return pod.renderSpec();
    };
    expect(build({ schedulerName: 'b' })).toEqual(expect.objectContaining({ terminationGracePeriodSeconds: 60, schedulerName: 'b' }));
    expect(build({ terminationGracePeriod: Duration.minutes(2) }).terminationGracePeriodSeconds).toBe(120);
  });

  test('the Pod Security check used above catches unsafe sysctls and SELinux labels, as admission would', () => {
    const container = {
      name: 'c',
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
        seLinuxOptions: { type: 'spc_t' },
      },
    };
    expect(podSecurityViolations({
      securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1' }, ...SYSCTLS], seLinuxOptions: { user: 'system_u' } },
      containers: [container],
    }, 'baseline')).toEqual([
      'the pod sets sysctl net.core.somaxconn (Sysctls)',
      'the pod sets seLinuxOptions {"user":"system_u"} (SELinux)',
      'container c sets seLinuxOptions {"type":"spc_t"} (SELinux)',
    ]);
  });
});
