/**
 * @module config/paths
 * Certificate and data paths, with kubeadm's defaults (cmd/kubeadm/app/constants: CertificatesDir
 * /etc/kubernetes/pki; etcd's own PKI under pki/etcd; the apiserver's etcd client pair in pki). Every path
 * can be overridden by the request.
 */

export interface ConfigPaths {
  /** CA that signed the etcd server, peer and client certificates. */
  etcdCaFile: string;
  /** etcd's serving certificate and key (client TLS). */
  etcdServerCertFile: string;
  etcdServerKeyFile: string;
  /** etcd's peer certificate and key (member-to-member TLS). */
  etcdPeerCertFile: string;
  etcdPeerKeyFile: string;
  /** The kube-apiserver's client certificate and key for etcd. */
  apiserverEtcdClientCertFile: string;
  apiserverEtcdClientKeyFile: string;
  /** A client pair etcdctl uses for member add/promote (kubeadm's healthcheck client). */
  etcdctlCertFile: string;
  etcdctlKeyFile: string;
  /** etcd's data directory. */
  etcdDataDir: string;
}

export const kubeadmDefaultPaths: ConfigPaths = {
  etcdCaFile: '/etc/kubernetes/pki/etcd/ca.crt',
  etcdServerCertFile: '/etc/kubernetes/pki/etcd/server.crt',
  etcdServerKeyFile: '/etc/kubernetes/pki/etcd/server.key',
  etcdPeerCertFile: '/etc/kubernetes/pki/etcd/peer.crt',
  etcdPeerKeyFile: '/etc/kubernetes/pki/etcd/peer.key',
  apiserverEtcdClientCertFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
  apiserverEtcdClientKeyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
  etcdctlCertFile: '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  etcdctlKeyFile: '/etc/kubernetes/pki/etcd/healthcheck-client.key',
  etcdDataDir: '/var/lib/etcd',
};

export function resolvePaths(overrides: Partial<ConfigPaths> = {}): ConfigPaths {
  const paths = { ...kubeadmDefaultPaths };
  for (const key of Object.keys(paths) as (keyof ConfigPaths)[]) {
    const value = overrides[key];
    if (value !== undefined) paths[key] = value;
  }
  return paths;
}
