// kube-proxy's rules from the path facts script's sections (iptables-save -t nat and -t filter,
// and the nft ruleset the script reads anyway) → the rules model and the proxy mode the node
// shows. Pure and total: a tool that is missing or refused leaves its side unread, and the mode
// then says so instead of guessing.
import type {NodeServiceRules} from '../core/path/types.js';
import {detectProxyMode} from '../core/service-rules/proxy-mode.js';
import {iptablesRulesModel} from './rules/iptables-model.js';
import {parseIptablesSave} from './rules/iptables-save.js';
import {parseNftJson} from './rules/nft-json.js';
import {nftRulesModel} from './rules/nft-model.js';

export interface ServiceSections {
	/** `iptables-save -t nat` (empty when the node has no nat table at all). */
	nat: string;
	filter: string;
	/** `nft -j list ruleset`. */
	nft: string;
	/** The node's interface names (Cilium's devices tell a replaced kube-proxy). */
	links: readonly string[];
}

/** iptables-save prints `*table` first, or nothing at all; anything else is its complaint. */
const isDump = (text: string) => text === '' || text.startsWith('#') || text.startsWith('*');

export function parseServiceRules(s: ServiceSections): NodeServiceRules {
	const iptablesRead = isDump(s.nat) && isDump(s.filter);
	const dump = iptablesRead ? parseIptablesSave(`${s.nat}\n${s.filter}`) : null;
	const table = s.nft.startsWith('{') ? parseNftJson(s.nft) : null;
	const mode = detectProxyMode({
		iptablesChains: dump === null ? null : [...dump.tables.values()].flatMap(chains => [...chains.keys()]),
		nftKubeProxyTable: s.nft.startsWith('{') ? table !== null : null,
		ipvsVirtualServers: null,
		links: s.links,
	});
	const model = mode.mode === 'iptables' && dump !== null ? iptablesRulesModel(dump) : mode.mode === 'nftables' && table !== null ? nftRulesModel(table) : null;
	return {model, mode};
}
