// Flags → LabOptions, checked. Pure: the CLI hands in what meow parsed, this says what is wrong in
// one line. Names go into netns names, process titles and API objects, so they must be DNS labels.
import type {TargetOptions} from '../app/options.js';
import {isDnsLabel} from '../core/k8s-names.js';
import type {Result} from '../core/types.js';
import {MAX_LAB_NODES} from './lab-nodes.js';
import type {RawSvcFlags} from './services/svc-options.js';
import type {LabCni, LabOptions, LabOverlay, LabProxyMode, LabSandboxStyle} from './lab-state.js';

export interface RawLabFlags {
	pods?: number;
	namespaces?: string;
	sandbox?: string;
	cni?: string;
	ipv6: boolean;
	oddPods: boolean;
	fakeNodes?: number;
	fakePods?: number;
	traffic: boolean;
	nodes?: number;
	overlay?: string;
	proxy?: string;
	runtime?: string;
	policy?: string;
}

/** What the CLI hands to `lab ...`: the lab flags, and the target flags for the bare `lab` session. */
export interface LabCommandOptions {
	json: boolean;
	debug: boolean;
	target: TargetOptions;
	lab: RawLabFlags;
	/** `lab fault clear --all`. */
	all?: boolean;
	/** Flags of the hidden daemon subcommands (`__api-server --state`, `__api-forward --api-port --socket`, `__answer --node`). */
	daemon?: {state?: string; port?: number; socket?: string; node?: string};
	/** `lab svc add` flags. */
	svc?: RawSvcFlags;
}

export const DEFAULT_LAB_PODS = 4;
export const MAX_LAB_PODS = 1000;

function count(value: number | undefined, flag: string, fallback: number, max: number, min = 0): Result<number> {
	if (value === undefined) return {ok: true, value: fallback};
	if (!Number.isInteger(value) || value < min || value > max) {
		return {ok: false, reason: `--${flag} must be a whole number from ${min} to ${max}`, hint: `got ${value}`};
	}

	return {ok: true, value};
}

/** --nodes and --overlay, and the combinations a multi-node lab refuses (README "Lab options"). */
function topology(f: RawLabFlags): Result<{nodes: number; overlay: LabOverlay}> {
	const nodes = count(f.nodes, 'nodes', 1, MAX_LAB_NODES, 1);
	if (!nodes.ok) return nodes;
	const overlay = f.overlay;
	if (overlay !== undefined && overlay !== 'vxlan' && overlay !== 'routed') return {ok: false, reason: '--overlay must be vxlan or routed', hint: `got '${overlay}'`};
	if (nodes.value === 1) {
		if (overlay !== undefined) return {ok: false, reason: `--overlay ${overlay} joins nodes, and --nodes 1 has only one`, hint: 'add --nodes 2 (up to 5), or drop --overlay'};
		return {ok: true, value: {nodes: 1, overlay: 'none'}};
	}

	if (f.ipv6) return {ok: false, reason: '--ipv6 is for a one-node lab only (the overlays here are IPv4)', hint: 'drop --ipv6, or --nodes'};
	return {ok: true, value: {nodes: nodes.value, overlay: overlay ?? 'vxlan'}};
}

export function resolveLabOptions(f: RawLabFlags): Result<LabOptions> {
	const pods = count(f.pods, 'pods', DEFAULT_LAB_PODS, MAX_LAB_PODS);
	if (!pods.ok) return pods;
	const fakeNodes = count(f.fakeNodes, 'fake-nodes', 0, 10_000);
	if (!fakeNodes.ok) return fakeNodes;
	const fakePods = count(f.fakePods, 'fake-pods', 0, 1_000_000);
	if (!fakePods.ok) return fakePods;
	const topo = topology(f);
	if (!topo.ok) return topo;

	const namespaces = (f.namespaces ?? 'default,lab').split(',').map((s) => s.trim()).filter(Boolean);
	const badNs = namespaces.find((ns) => !isDnsLabel(ns));
	if (namespaces.length === 0 || badNs !== undefined) {
		return {ok: false, reason: `--namespaces: '${badNs ?? ''}' is not a namespace name`, hint: 'lowercase DNS labels, comma-separated, e.g. default,lab'};
	}

	const sandbox = f.sandbox ?? 'netns';
	if (sandbox !== 'netns' && sandbox !== 'process' && sandbox !== 'mixed') {
		return {ok: false, reason: `--sandbox must be netns, process or mixed`, hint: `got '${sandbox}'`};
	}

	const cni = f.cni ?? 'bridge';
	if (cni !== 'bridge' && cni !== 'ptp') return {ok: false, reason: `--cni must be bridge or ptp`, hint: `got '${cni}'`};
	const proxy = f.proxy ?? 'none';
	if (proxy !== 'none' && proxy !== 'iptables' && proxy !== 'nftables') return {ok: false, reason: '--proxy must be iptables, nftables or none', hint: `got '${proxy}'`};
	if (f.runtime !== undefined && f.runtime !== 'containerd') return {ok: false, reason: '--runtime must be containerd', hint: `got '${f.runtime}'; without --runtime the lab's own processes play the runtime`};
	const policy = f.policy ?? 'none';
	if (policy !== 'none' && policy !== 'enforce') return {ok: false, reason: '--policy must be none or enforce', hint: `got '${policy}'`};
	// The agent compiles IPv4 sets only; an IPv6 pod address would pass unguarded.
	if (policy === 'enforce' && f.ipv6) return {ok: false, reason: '--policy enforce guards IPv4 only, and --ipv6 gives pods IPv6 addresses too', hint: 'drop --ipv6, or use --policy none'};

	return {
		ok: true,
		value: {
			pods: pods.value,
			namespaces: [...new Set(namespaces)],
			sandbox: sandbox as LabSandboxStyle,
			cni: cni as LabCni,
			ipv6: f.ipv6,
			oddPods: f.oddPods,
			fakeNodes: fakeNodes.value,
			fakePods: fakePods.value,
			traffic: f.traffic,
			// A one-node lab's options stay as they were before multi-node, in the state and `lab status`.
			...(topo.value.nodes > 1 ? topo.value : {}),
			...(proxy === 'none' ? {} : {proxy: proxy as LabProxyMode}),
			...(f.runtime === 'containerd' ? {runtime: 'containerd' as const} : {}),
			...(policy === 'enforce' ? {policy: 'enforce' as const} : {}),
		},
	};
}

export function sameLabOptions(a: LabOptions, b: LabOptions): boolean {
	return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function normalise(o: LabOptions): LabOptions {
	return {
		pods: o.pods,
		namespaces: o.namespaces,
		sandbox: o.sandbox,
		cni: o.cni,
		ipv6: o.ipv6,
		oddPods: o.oddPods,
		fakeNodes: o.fakeNodes,
		fakePods: o.fakePods,
		traffic: o.traffic,
		nodes: o.nodes ?? 1,
		overlay: o.overlay ?? 'none',
		proxy: o.proxy ?? 'none',
		...(o.runtime === undefined ? {} : {runtime: o.runtime}),
		policy: o.policy ?? 'none',
	};
}

/** `NS/NAME` for `lab pod add|delete`. */
export function parsePodArg(arg: string | undefined): Result<{namespace: string; name: string}> {
	const m = /^([^/]+)\/([^/]+)$/.exec(arg ?? '');
	if (!m || !isDnsLabel(m[1] as string) || !isDnsLabel(m[2] as string)) {
		return {ok: false, reason: `expected NS/NAME, got '${arg ?? ''}'`, hint: 'e.g. k8snet-tui lab pod add default/web-1 (lowercase DNS labels)'};
	}

	return {ok: true, value: {namespace: m[1] as string, name: m[2] as string}};
}
