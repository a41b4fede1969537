// The `e` key: the commands a person would type to prove a pod's mapping by hand, each with what it
// should print. They name only values the engine already validated (canonical IPs, kernel ifnames
// and indexes, namespace paths from discovery), and are shown, never run, by the tool.
import {quoteArgument as quote} from './shell-quote.js';
import type {NodeAccess, PodPath} from './types.js';

export interface ExplainStep {
	what: string;
	command: string;
	expect: string;
}

export interface ExplainOptions {
	/** Prefix every command with sudo (the tool ran as root, the reader may not be). */
	sudo?: boolean;
}

/** How to run a command in the node's namespace, from where the reader stands. */
export function onNodeCommand(access: NodeAccess, command: string, options: ExplainOptions = {}): string {
	const sudo = options.sudo ? 'sudo ' : '';
	switch (access.kind) {
		case 'lab':
			return `${sudo}ip netns exec ${quote(access.target)} ${command}`;
		case 'exec':
		case 'ssh':
			return `${command}    # on node ${access.target}`;
		default:
			return `${sudo}${command}`;
	}
}

export function explainCommands(path: PodPath, access: NodeAccess, options: ExplainOptions = {}): ExplainStep[] {
	const onNode = (command: string) => onNodeCommand(access, command, options);

	const inPod = (command: string) => (path.netns ? onNode(`nsenter --net=${quote(path.netns.path)} ${command}`) : null);
	const steps: ExplainStep[] = [];
	const ip = path.ip;

	if (path.status === 'host-network') {
		steps.push({what: 'a hostNetwork pod uses the node\'s own interfaces', command: onNode('ip -br addr show'), expect: 'the node\'s interfaces; the pod has none of its own'});
		return steps;
	}

	if (ip === null) return steps;

	if (path.netns && path.eth0) {
		steps.push({
			what: `the pod's netns holds ${ip}`,
			command: inPod(`ip -d addr show ${quote(path.eth0.ifname)}`)!,
			expect: `${path.eth0.ifindex}: ${path.eth0.ifname}@if${path.eth0.linkIndex ?? '?'}: ... inet${ip.includes(':') ? '6' : ''} ${ip}/...`,
		});
		if (path.eth0.linkIndex !== null) {
			steps.push({
				what: `${path.eth0.ifname}'s peer is node interface ${path.eth0.linkIndex} (exact index, not a substring)`,
				command: onNode(`ip -o link show | awk -F': ' '$1 == ${path.eth0.linkIndex}'`),
				expect: path.peer ? `${path.peer.ifindex}: ${path.peer.ifname}@if${path.eth0.ifindex}: ...${path.peer.master ? ` master ${path.peer.master}` : ''}` : `no line: no node interface ${path.eth0.linkIndex}`,
			});
		}
	} else if (path.peer) {
		steps.push({
			what: `the node sends ${ip} to ${path.peer.ifname}`,
			command: onNode(`ip route get ${ip}`),
			expect: `${ip} dev ${path.peer.master ?? path.peer.ifname} ...`,
		});
	}

	if (path.peer && path.bridge) {
		steps.push({
			what: `${path.peer.ifname} is a port of bridge ${path.bridge.ifname}`,
			command: onNode(`bridge link show dev ${quote(path.peer.ifname)}`),
			// `bridge link` names the peer by its name in the pod netns (vethX@eth0), `ip link` by index (@if2).
			expect: `${path.peer.ifindex}: ${path.peer.ifname}@... master ${path.bridge.ifname} state forwarding ...`,
		});
		if (path.eth0?.mac) {
			steps.push({
				what: `the bridge learned the pod's MAC on ${path.peer.ifname}`,
				command: onNode(`bridge fdb show br ${quote(path.bridge.ifname)} | grep -i ${quote(path.eth0.mac)}`),
				expect: `${path.eth0.mac} dev ${path.peer.ifname} master ${path.bridge.ifname} (once the pod has sent a frame)`,
			});
		}
	} else if (path.peer) {
		steps.push({
			what: `the node routes ${ip} through ${path.peer.ifname}`,
			command: onNode(`ip route get ${ip}`),
			expect: `${ip} dev ${path.peer.ifname} ...`,
		});
	}

	if (path.peer) {
		const point = path.bridge ? path.bridge.ifname : path.peer.ifname;
		steps.push({
			what: `watch the pod's packets on ${point}`,
			command: onNode(`tcpdump -i ${quote(point)} -n -l host ${ip}`),
			expect: 'one line per packet to or from the pod',
		});
	}

	return steps;
}
