export * from './cluster-network';
export * from './firewall-port';
export * from './flannel-cni';
export * from './package-repository';
export * from './containerd';
export * from './kubeadm-cluster-prereqs';
export * from './storage';
export * from './local-path-provisioner';
