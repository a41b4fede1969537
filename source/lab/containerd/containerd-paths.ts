// Where the lab's containerd keeps everything: under the lab's folder, never the host's
// /run/containerd or /var/lib/containerd. `lab down` removes this folder last.
import {join} from 'node:path';
import {LAB_DIR, type LabContainerd} from '../lab-state.js';

export const CONTAINERD_DIR = join(LAB_DIR, 'containerd');
export const CONTAINERD_SOCKET = join(CONTAINERD_DIR, 'containerd.sock');
export const CONTAINERD_ROOT = join(CONTAINERD_DIR, 'root');
export const CONTAINERD_STATE = join(CONTAINERD_DIR, 'state');
export const CONTAINERD_CONFIG = join(CONTAINERD_DIR, 'config.toml');
export const CONTAINERD_LOG = join(CONTAINERD_DIR, 'containerd.log');
/** The CRI plugin's CNI conf_dir: the lab's own, never /etc/cni/net.d. */
export const CONTAINERD_CNI_CONF_DIR = join(CONTAINERD_DIR, 'net.d');
/** runc's --root, so container state stays out of /run/containerd/runc. */
export const CONTAINERD_RUNC_ROOT = join(CONTAINERD_DIR, 'runc');
export const CONTAINERD_POD_LOGS = join(CONTAINERD_DIR, 'pods');
export const CONTAINERD_IMAGES = join(CONTAINERD_DIR, 'images');
/** The pods' cgroup parent (cgroupfs), one tree of the lab's own under each controller. */
export const LAB_CGROUP_PARENT = '/k8snet-lab';
export const K8S_NAMESPACE = 'k8s.io';
/** containerd 1.6's default sandbox_image, so the config needs no override to find it. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.6';

export function labContainerdRecord(pid: number | null): LabContainerd {
	return {pid, socket: CONTAINERD_SOCKET, root: CONTAINERD_ROOT, state: CONTAINERD_STATE, config: CONTAINERD_CONFIG};
}
