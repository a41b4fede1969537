// --node-ssh and --node-exec: a template split on whitespace (never through a shell) with {node}
// and {ip} filled in. What gets filled in comes from the cluster, so it is checked first: an IP must
// parse as one, and a node name must be a DNS name that cannot pass for an option.
import type {Result} from '../../core/types.js';
import {canonicalIp} from '../../core/pod-ip.js';

export interface NodeIdentity {
	name: string;
	/** The node's InternalIP, if the API gave one. */
	ip: string | null;
}

const NODE_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

export function fillNodeArgs(template: string, node: NodeIdentity, flag: string): Result<string[]> {
	const words = template.split(/\s+/).filter(word => word !== '');
	if (words.length === 0) return {ok: false, reason: `${flag} is empty`, hint: `give it arguments, e.g. ${flag} 'root@{ip}'`};
	const usesNode = words.some(word => word.includes('{node}'));
	const usesIp = words.some(word => word.includes('{ip}'));
	if (usesNode && !NODE_NAME.test(node.name)) {
		return {ok: false, reason: `node name ${JSON.stringify(node.name)} cannot be put into ${flag}`, hint: 'use the node address in the flag instead of {node}'};
	}

	const ip = node.ip === null ? null : canonicalIp(node.ip);
	if (usesIp && ip === null) {
		return {
			ok: false,
			reason: `node ${node.name} has no usable InternalIP for {ip} in ${flag}${node.ip === null ? '' : ` (got ${JSON.stringify(node.ip)})`}`,
			hint: `write the address or host name into ${flag} instead of {ip}`,
		};
	}

	return {ok: true, value: words.map(word => word.replaceAll('{node}', node.name).replaceAll('{ip}', ip ?? ''))};
}
