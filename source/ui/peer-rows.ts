// Pure: the peer picker's rows. Every pod but the path's own start, and every Service port, narrowed
// by what is typed (a substring of the name, the namespace, NS/NAME, svc/NS/NAME:PORT or an IP),
// running pods and Services first, then by name.
import {displayText} from '../core/display-text.js';
import {servicePeerUid} from '../core/service-peer.js';
import type {Service} from '../core/service-rules/types.js';
import type {PodInfo} from '../core/types.js';

export interface PeerRow {
	uid: string;
	label: string;
	ip: string;
	node: string;
	running: boolean;
}

function serviceRows(services: readonly Service[]): Array<PeerRow & {ips: string[]}> {
	return services.flatMap(svc => svc.ports.map(port => ({
		uid: servicePeerUid(svc, port),
		label: displayText(`svc/${svc.namespace}/${svc.name}:${port.port}${port.protocol === 'TCP' ? '' : `/${port.protocol}`}`),
		ip: displayText(svc.clusterIPs[0] ?? '-'),
		node: port.protocol === 'SCTP' ? 'Service (sctp: not walked)' : 'Service',
		running: port.protocol !== 'SCTP',
		ips: svc.clusterIPs,
	})));
}

export function peerRows(pods: readonly PodInfo[], fromUid: string, text: string, services: readonly Service[] = []): PeerRow[] {
	const wanted = text.toLowerCase();
	const podRows = pods
		.filter(pod => pod.uid !== fromUid)
		.map(pod => ({
			uid: pod.uid,
			label: displayText(`${pod.namespace}/${pod.name}`),
			ip: displayText(pod.ips[0] ?? '-'),
			node: displayText(pod.nodeName ?? '(unscheduled)'),
			running: pod.phase === 'Running' && !pod.hostNetwork,
			ips: pod.ips,
		}));
	return [...podRows, ...serviceRows(services)]
		.filter(row => wanted === '' || row.label.toLowerCase().includes(wanted) || row.ips.some(ip => ip.includes(wanted)))
		.map(({ips: _ips, ...row}) => row)
		.sort((a, b) => Number(b.running) - Number(a.running) || a.label.localeCompare(b.label));
}
