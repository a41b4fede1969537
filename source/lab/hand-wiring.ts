// The same pod wiring the bridge and ptp plugins make, by iproute2 steps, for machines without
// containernetworking-plugins. IPs come from a tiny allocator over the lab state (host-local's job).
import {randomBytes} from 'node:crypto';
import type {Result} from '../core/types.js';
import {POD_GATEWAY, POD_GATEWAY6, inNetns, ipBatch} from './lab-node.js';
import {LAB_NODE_NETNS, type LabCni, type LabPod} from './lab-state.js';

/** Hands out 10.244.0.2.. (and fd00:10:244::2..) synchronously, so concurrent builds never collide. */
export class PodIpAllocator {
	private readonly used = new Set<number>();

	constructor(pods: LabPod[]) {
		for (const p of pods) for (const addr of p.kernelIps ?? []) this.markUsed(addr);
	}

	private markUsed(addr: string): void {
		const m = /^10\.244\.(\d+)\.(\d+)$/.exec(addr);
		if (m) this.used.add(Number(m[1]) * 256 + Number(m[2]));
	}

	next(ipv6: boolean): string[] {
		let n = 2;
		while (this.used.has(n) || n % 256 === 255 || n % 256 === 0) n++;
		this.used.add(n);
		const v4 = `10.244.${Math.floor(n / 256)}.${n % 256}`;
		return ipv6 ? [v4, `fd00:10:244::${n.toString(16)}`] : [v4];
	}
}

/** `ip link ... netns X` takes a netns name or a pid, not a path. */
function netnsRef(path: string): string {
	return /^\/proc\/(\d+)\/ns\/net$/.exec(path)?.[1] ?? path.replace(/^\/run\/netns\//, '');
}

/** Wires the pod's veth; returns its host end's name. */
export async function wireByHand(cni: LabCni, netnsPath: string, ips: string[]): Promise<Result<string>> {
	const veth = `veth${randomBytes(4).toString('hex')}`;
	const [v4, v6] = ips;
	const node =
		cni === 'bridge'
			? [`link add ${veth} type veth peer name eth0 netns ${netnsRef(netnsPath)}`, `link set ${veth} master bridge`, `link set ${veth} up`]
			: [
					`link add ${veth} type veth peer name eth0 netns ${netnsRef(netnsPath)}`,
					`addr add ${POD_GATEWAY}/32 dev ${veth}`,
					`link set ${veth} up`,
					`route add ${v4}/32 dev ${veth} scope link`,
					...(v6 ? [`addr add ${POD_GATEWAY6}/128 dev ${veth} nodad`, `route add ${v6}/128 dev ${veth}`] : []),
				];
	const n = await ipBatch(LAB_NODE_NETNS, node);
	if (!n.ok) return n;

	const pod =
		cni === 'bridge'
			? [
					`addr add ${v4}/16 dev eth0`,
					...(v6 ? [`addr add ${v6}/64 dev eth0 nodad`] : []),
					'link set eth0 up',
					`route add default via ${POD_GATEWAY}`,
					...(v6 ? [`route add default via ${POD_GATEWAY6}`] : []),
				]
			: [
					`addr add ${v4}/32 dev eth0`,
					...(v6 ? [`addr add ${v6}/128 dev eth0 nodad`] : []),
					'link set eth0 up',
					`route add ${POD_GATEWAY} dev eth0 scope link`,
					`route add default via ${POD_GATEWAY} dev eth0`,
					...(v6 ? [`route add ${POD_GATEWAY6} dev eth0`, `route add default via ${POD_GATEWAY6} dev eth0`] : []),
				];
	const p = await inNetns(netnsPath, ['ip', '-batch', '-'], pod.join('\n') + '\n');
	return p.ok ? {ok: true, value: veth} : p;
}
