// Throwaway pod networks for the engine's tests, built by the real CNI plugins inside a node
// namespace of our own (k8snet-eng-<tag>-*), on 10.247.0.0/16 so they never collide with the lab.
// Used by the integration tests and to re-record fixtures (see test/fixtures/README.md).
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, rmSync} from 'node:fs';

export interface TestPod {
	name: string;
	/** /run/netns/NAME or /proc/PID/ns/net */
	netnsPath: string;
	netnsName: string | null;
	pid: number | null;
	ips: string[];
	bridge: string | null;
}

export interface TestNode {
	tag: string;
	nodeNetns: string;
	nodeNetnsPath: string;
	pods: TestPod[];
	addPod(options?: {processHeld?: boolean; bridge?: string}): TestPod;
	removePod(pod: TestPod): void;
	destroy(): void;
}

export interface TestNodeOptions {
	tag: string;
	pods: number;
	cni?: 'bridge' | 'ptp';
	ipv6?: boolean;
	/** Every n-th pod is held by a process instead of a /run/netns name (0: none). */
	processEvery?: number;
	/** Bridge names, pods spread over them round-robin (bridge CNI only). */
	bridges?: string[];
	/** Third octet of the first pod subnet (10.247.X.0/24); by default derived from the tag. */
	subnet?: number;
}

const CNI_PATH = '/usr/lib/cni';

function sh(argv: string[], input?: string, env?: NodeJS.ProcessEnv): string {
	return execFileSync(argv[0]!, argv.slice(1), {input, env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']});
}

export function createTestNode(options: TestNodeOptions): TestNode {
	const {tag} = options;
	const nodeNetns = `k8snet-eng-${tag}-node`;
	const nodeNetnsPath = `/run/netns/${nodeNetns}`;
	const dataDir = `/tmp/k8snet-eng-${tag}-ipam`;
	const holders: ChildProcess[] = [];
	const cni = options.cni ?? 'bridge';
	const bridges = options.bridges ?? ['bridge'];
	rmSync(dataDir, {recursive: true, force: true});
	mkdirSync(dataDir, {recursive: true});
	try {
		sh(['ip', 'netns', 'del', nodeNetns]);
	} catch {}

	sh(['ip', 'netns', 'add', nodeNetns]);
	sh(['ip', '-n', nodeNetns, 'link', 'set', 'lo', 'up']);
	let counter = 0;

	// Each test node gets its own /24s, so two nodes alive at once never share a pod IP.
	const base = options.subnet ?? [...tag].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 60, 7) * 4;
	const config = (bridge: string, index: number) => {
		const v4 = `10.247.${base + index}.0/24`;
		const ranges: object[] = [[{subnet: v4}]];
		if (options.ipv6) ranges.push([{subnet: `fd00:10:247:${base + index}::/64`}]);
		const ipam = {type: 'host-local', ranges, dataDir};
		return cni === 'ptp'
			? {cniVersion: '0.4.0', name: `k8snet-eng-${tag}`, type: 'ptp', ipMasq: false, ipam}
			: {cniVersion: '0.4.0', name: `k8snet-eng-${tag}-${bridge}`, type: 'bridge', bridge, isDefaultGateway: true, hairpinMode: true, ipam};
	};

	const node: TestNode = {
		tag,
		nodeNetns,
		nodeNetnsPath,
		pods: [],
		addPod(podOptions = {}) {
			const index = counter++;
			const name = `k8snet-eng-${tag}-p${index}`;
			let netnsPath: string;
			let netnsName: string | null = null;
			let pid: number | null = null;
			if (podOptions.processHeld) {
				const child = spawn('unshare', ['--net', 'sleep', 'infinity'], {stdio: 'ignore'});
				holders.push(child);
				pid = child.pid!;
				// Wait until unshare has moved the process into its own namespace.
				const nodeInode = sh(['stat', '-L', '-c', '%i', '/proc/self/ns/net']).trim();
				for (let i = 0; i < 200; i++) {
					try {
						if (sh(['stat', '-L', '-c', '%i', `/proc/${pid}/ns/net`]).trim() !== nodeInode && sh(['cat', `/proc/${pid}/comm`]).trim() === 'sleep') break;
					} catch {}
					execFileSync('sleep', ['0.01']);
				}

				netnsPath = `/proc/${pid}/ns/net`;
			} else {
				sh(['ip', 'netns', 'add', name]);
				netnsName = name;
				netnsPath = `/run/netns/${name}`;
			}

			const bridge = cni === 'bridge' ? (podOptions.bridge ?? bridges[index % bridges.length]!) : null;
			const bridgeIndex = bridge === null ? 0 : bridges.indexOf(bridge);
			const output = sh(['nsenter', `--net=${nodeNetnsPath}`, `${CNI_PATH}/${cni}`], JSON.stringify(config(bridge ?? 'bridge', bridgeIndex)), {
				...process.env,
				CNI_COMMAND: 'ADD',
				CNI_CONTAINERID: name,
				CNI_NETNS: netnsPath,
				CNI_IFNAME: 'eth0',
				CNI_PATH,
			});
			const result = JSON.parse(output) as {ips: Array<{address: string}>};
			const pod: TestPod = {name, netnsPath, netnsName, pid, ips: result.ips.map(ip => ip.address.split('/')[0]!), bridge};
			node.pods.push(pod);
			return pod;
		},
		removePod(pod) {
			if (pod.netnsName) sh(['ip', 'netns', 'del', pod.netnsName]);
			if (pod.pid) {
				process.kill(pod.pid, 'SIGKILL');
				// Until our child is reaped its /proc entry (a zombie) still shows up.
				for (let i = 0; i < 200 && existsSync(`/proc/${pod.pid}`); i++) execFileSync('sleep', ['0.01']);
			}
			node.pods = node.pods.filter(p => p !== pod);
		},
		destroy() {
			for (const child of holders) child.kill('SIGKILL');
			for (const pod of node.pods) {
				if (pod.netnsName) {
					try {
						sh(['ip', 'netns', 'del', pod.netnsName]);
					} catch {}
				}
			}

			try {
				sh(['ip', 'netns', 'del', nodeNetns]);
			} catch {}

			rmSync(dataDir, {recursive: true, force: true});
		},
	};
	try {
		for (let i = 0; i < options.pods; i++) node.addPod({processHeld: options.processEvery ? i % options.processEvery === options.processEvery - 1 : false});
	} catch (error) {
		node.destroy();
		throw error;
	}

	return node;
}

/** What `ip` itself says about a pod: eth0's ifindex and link_index, and the node interface with that exact ifindex. */
export function kernelMapping(node: TestNode, pod: TestPod): {eth0Ifindex: number; linkIndex: number; peer: string; master: string | null} {
	const eth0 = JSON.parse(sh(['nsenter', `--net=${pod.netnsPath}`, 'ip', '-j', 'link', 'show', 'eth0']))[0] as {ifindex: number; link_index: number};
	const links = JSON.parse(sh(['ip', '-n', node.nodeNetns, '-j', 'link', 'show'])) as Array<{ifindex: number; ifname: string; master?: string}>;
	const peer = links.find(link => link.ifindex === eth0.link_index)!;
	return {eth0Ifindex: eth0.ifindex, linkIndex: eth0.link_index, peer: peer.ifname, master: peer.master ?? null};
}
