// Programs every lab node's netns with the Services' rules, as kube-proxy's full sync does: the
// whole ruleset from the state, in one restore per node. Called after every change that moves an
// endpoint (lab up, lab svc add/delete, lab pod add/delete, the Service faults). A lab without
// `--proxy` has nothing to program.
import type {Result} from '../../core/types.js';
import {inNetns, netnsPath} from '../lab-node.js';
import {labNodes} from '../lab-nodes.js';
import type {LabState} from '../lab-state.js';
import {renderIptables} from './iptables-render.js';
import {renderNft} from './nft-render.js';
import {proxyPorts} from './proxy-services.js';

export async function syncProxy(state: LabState): Promise<Result<void>> {
	const mode = state.options.proxy ?? 'none';
	if (mode === 'none') return {ok: true, value: undefined};
	const ports = proxyPorts(state);
	for (const node of labNodes(state)) {
		const r =
			mode === 'iptables'
				? await inNetns(netnsPath(node.netns), ['iptables-restore'], renderIptables(ports))
				: await inNetns(netnsPath(node.netns), ['nft', '-f', '-'], renderNft(ports, node.ip));
		if (!r.ok) return {ok: false, reason: `programming ${mode} rules in ${node.netns}: ${r.reason}`, hint: mode === 'iptables' ? 'apt-get install iptables (iptables-nft)' : 'apt-get install nftables'};
	}

	return {ok: true, value: undefined};
}
