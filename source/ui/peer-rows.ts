// Pure: the peer picker's rows. Every pod but the path's own start, narrowed by what is typed
// (a substring of the name, the namespace, NS/NAME or an IP), running pods first, then by name.
import {displayText} from '../core/display-text.js';
import type {PodInfo} from '../core/types.js';

export interface PeerRow {
	uid: string;
	label: string;
	ip: string;
	node: string;
	running: boolean;
}

export function peerRows(pods: readonly PodInfo[], fromUid: string, text: string): PeerRow[] {
	const wanted = text.toLowerCase();
	return pods
		.filter(pod => pod.uid !== fromUid)
		.filter(pod => wanted === '' || `${pod.namespace}/${pod.name}`.toLowerCase().includes(wanted) || pod.ips.some(ip => ip.includes(wanted)))
		.map(pod => ({
			uid: pod.uid,
			label: displayText(`${pod.namespace}/${pod.name}`),
			ip: displayText(pod.ips[0] ?? '-'),
			node: displayText(pod.nodeName ?? '(unscheduled)'),
			running: pod.phase === 'Running' && !pod.hostNetwork,
		}))
		.sort((a, b) => Number(b.running) - Number(a.running) || a.label.localeCompare(b.label));
}
