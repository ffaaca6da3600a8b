// Facts of Kubernetes storage and of rancher/local-path-provisioner (v0.0.37), shared by
// LocalPathProvisioner and the app's storage check.

/**
 * The annotation that makes a StorageClass the cluster's default: the
 * DefaultStorageClass admission plugin gives that class to claims naming none
 * (kubernetes.io docs, "Change the default StorageClass").
 */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** The provisioner name of rancher/local-path-provisioner (main.go DefaultProvisionerName). */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';

/** Creates the volume's directory; world-writable because pods of any uid use it (hostPath gets no fsGroup). */
export const SETUP_SCRIPT = `#!/bin/sh
set -eu
mkdir -p "\${VOL_DIR:?}"
chmod 0777 "\${VOL_DIR}"
`;

/** Removes the volume's directory and everything in it. */
export const TEARDOWN_SCRIPT = `#!/bin/sh
set -eu
rm -rf "\${VOL_DIR:?}"
`;
