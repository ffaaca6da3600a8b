import type { SparkUiIngressTls } from '../jobs/spark-application-spec';

/**
 * An Ingress per Spark application UI, created by the operator's controller
 * in the application's namespace, in front of the application's UI Service
 * (kubeflow/spark-operator v2.5.2 cmd/operator/controller/start.go flags
 * `--ingress-*`, internal/controller/sparkapplication/driveringress.go).
 */
export interface SparkOperatorUiIngressOptions {
  /**
   * Where each application's UI is served: a host name and an optional
   * path, in which `{{$appName}}` and `{{$appNamespace}}` stand for the
   * application's name and namespace (`--ingress-url-format`). It must name
   * the application, and its namespace too when the operator runs jobs in
   * more than one namespace, so that no two applications share a URL.
   *
   * - `{{$appName}}.{{$appNamespace}}.spark.example.com`: a host per
   *   application (a wildcard DNS record and certificate), served at `/`;
   *   works with any Ingress controller.
   * - `spark.example.com/{{$appNamespace}}/{{$appName}}`: one host, a path per
   *   application. The operator then sets `spark.ui.proxyBase` and adds the
   *   `nginx.ingress.kubernetes.io/rewrite-target` annotation with a regular
   *   expression path: this needs the NGINX Ingress controller.
   *
   * An `http://` or `https://` prefix is allowed (the operator only shows it
   * in the application's status).
   */
  readonly urlFormat: string;
  /**
   * The IngressClass of the Ingresses (`--ingress-class-name`).
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;
  /**
   * TLS of every UI Ingress (`--ingress-tls`); an application's own
   * `uiIngress.tls` replaces it.
   * @default - none: plain HTTP
   */
  readonly tls?: SparkUiIngressTls[];
  /**
   * Annotations of every UI Ingress (`--ingress-annotations`); an
   * application's own `uiIngress.annotations` replace them.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}
