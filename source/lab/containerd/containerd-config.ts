// Pure: the lab containerd's config.toml (v2 format, containerd 1.6) and its CNI conflist. Every
// path is the lab's; the plugins that would reach outside it (opt's /opt/containerd, the other
// snapshotters, tracing) are off. The CNI network is the one the lab's own CNI calls use.
import type {LabCni, LabNode} from '../lab-state.js';
import {cniConfig} from '../cni-plugin.js';
import {
	CONTAINERD_CNI_CONF_DIR,
	CONTAINERD_ROOT,
	CONTAINERD_RUNC_ROOT,
	CONTAINERD_SOCKET,
	CONTAINERD_STATE,
	PAUSE_IMAGE,
} from './containerd-paths.js';

const toml = (value: string) => JSON.stringify(value);

export function containerdConfig(cniBinDir: string): string {
	const cri = 'plugins."io.containerd.grpc.v1.cri"';
	return [
		'version = 2',
		`root = ${toml(CONTAINERD_ROOT)}`,
		`state = ${toml(CONTAINERD_STATE)}`,
		'disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]',
		'',
		'[grpc]',
		`  address = ${toml(CONTAINERD_SOCKET)}`,
		'[ttrpc]',
		`  address = ${toml(`${CONTAINERD_SOCKET}.ttrpc`)}`,
		'[debug]',
		'  address = ""',
		'[metrics]',
		'  address = ""',
		'',
		`[${cri}]`,
		`  sandbox_image = ${toml(PAUSE_IMAGE)}`,
		'  stream_server_address = "127.0.0.1"',
		'  stream_server_port = "0"',
		'  disable_apparmor = true',
		'  enable_selinux = false',
		// The pause's oom_score_adj (-998) is below ours, and lowering it needs CAP_SYS_RESOURCE,
		// which a host that is itself a container may lack: no lower than containerd's own, then.
		'  restrict_oom_score_adj = true',
		`[${cri}.containerd]`,
		'  snapshotter = "overlayfs"',
		'  default_runtime_name = "runc"',
		`[${cri}.containerd.runtimes.runc]`,
		'  runtime_type = "io.containerd.runc.v2"',
		`[${cri}.containerd.runtimes.runc.options]`,
		`  Root = ${toml(CONTAINERD_RUNC_ROOT)}`,
		'  SystemdCgroup = false',
		`[${cri}.cni]`,
		`  bin_dir = ${toml(cniBinDir)}`,
		`  conf_dir = ${toml(CONTAINERD_CNI_CONF_DIR)}`,
		'  max_conf_num = 1',
		'',
	].join('\n');
}

/** The lab's CNI config as a conflist, the form containerd's CRI reads from conf_dir. */
export function containerdConflist(cni: LabCni, ipv6: boolean, node: LabNode): string {
	const {cniVersion, name, ...plugin} = cniConfig(cni, ipv6, node);
	return `${JSON.stringify({cniVersion, name, plugins: [plugin]}, null, '\t')}\n`;
}
