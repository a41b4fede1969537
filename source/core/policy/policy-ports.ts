// A rule's `ports` against one connection's port and protocol. Named ports resolve against the
// destination pod's container ports, whichever direction the rule is for: the name is the
// destination's, so an egress rule `port: http` means "the http port of the pod being reached".
import {endpointName} from './peer-match.js';
import type {Endpoint, PolicyPort, Protocol} from './types.js';

export function describePort(p: PolicyPort): string {
	if (p.port === null) return `any ${p.protocol} port`;
	if (typeof p.port === 'string') return `${p.port}/${p.protocol} (named)`;
	if (p.endPort !== null) return `${p.port}-${p.endPort}/${p.protocol}`;
	return `${p.port}/${p.protocol}`;
}

/** The destination's container port called `name` on `protocol`, if it is a pod policies can see. */
function namedPort(destination: Endpoint, name: string, protocol: string): number | null {
	if (destination.kind !== 'pod' || destination.pod.hostNetwork) return null;
	return destination.pod.ports.find(p => p.name === name && p.protocol === protocol)?.port ?? null;
}

function portMatches(p: PolicyPort, port: number, protocol: Protocol, destination: Endpoint): boolean {
	if (p.protocol !== protocol) return false;
	if (p.port === null) return true;
	if (typeof p.port === 'string') return namedPort(destination, p.port, protocol) === port;
	return p.endPort === null ? p.port === port : p.port <= port && port <= p.endPort;
}

export function portsMatch(ports: PolicyPort[], port: number, protocol: Protocol, destination: Endpoint): boolean {
	return ports.length === 0 || ports.some(p => portMatches(p, port, protocol, destination));
}

/** Why `ports` does not take port/protocol (only called when portsMatch said no). */
export function portsMiss(ports: PolicyPort[], port: number, protocol: Protocol, destination: Endpoint): string {
	const notes: string[] = [];
	for (const p of ports) {
		if (typeof p.port !== 'string' || p.protocol !== protocol) continue;
		const resolved = namedPort(destination, p.port, protocol);
		if (resolved !== null) notes.push(`${endpointName(destination)}'s ${p.port} is ${resolved}/${protocol}`);
		else if (destination.kind === 'pod' && !destination.pod.hostNetwork) notes.push(`${endpointName(destination)} has no ${protocol} port named ${p.port}`);
		else notes.push(`${endpointName(destination)} is not a pod policies select, so it has no named port ${p.port}`);
	}

	const list = ports.map(p => describePort(p)).join(', ');
	return `port ${port}/${protocol} is not one of ${list}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}
