// `ipvsadm -Ln` (IPVS mode) → its virtual servers and their real servers, and from them a
// RulesModel. IPVS names nothing: a virtual server is an address, so the join finds its Service
// by ClusterIP/NodePort. With -L but no -n ipvsadm prints host and service names instead of
// numbers; those lines are left out, since a name is not an address we can check.
import type {Protocol, RulesModel, ServiceRules} from '../../core/service-rules/types.js';
import {protocolOf, splitHostPort} from './service-port-comment.js';

export interface RealServer {
	ip: string;
	port: number;
	/** Masq (NAT), Route (DR), Tunnel (IPIP). */
	forward: string;
	weight: number;
	activeConnections: number;
	inactiveConnections: number;
	line: string;
}

export interface VirtualServer {
	protocol: Protocol;
	ip: string;
	port: number;
	scheduler: string;
	/** Seconds of `persistent N`: ClientIP session affinity. */
	persistent: number | null;
	line: string;
	reals: RealServer[];
}

const VIRTUAL = /^(TCP|UDP|SCTP)\s+(\S+)\s+(\S+)(.*)$/;
const REAL = /^\s+->\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/;

export function parseIpvsadm(text: string): VirtualServer[] {
	const out: VirtualServer[] = [];
	let current: VirtualServer | null = null;
	for (const raw of text.split('\n')) {
		const line = raw.trimEnd();
		const v = VIRTUAL.exec(line);
		if (v !== null) {
			const at = splitHostPort(v[2]!);
			const persistent = /\bpersistent (\d+)/.exec(v[4]!);
			current = at === null ? null : {protocol: protocolOf(v[1]!)!, ip: at.ip, port: at.port, scheduler: v[3]!, persistent: persistent === null ? null : Number(persistent[1]), line, reals: []};
			if (current !== null) out.push(current);
			continue;
		}

		const r = REAL.exec(line);
		const at = r === null ? null : splitHostPort(r[1]!);
		if (current === null || r === null || at === null) continue;
		current.reals.push({ip: at.ip, port: at.port, forward: r[2]!, weight: Number(r[3]), activeConnections: Number(r[4]), inactiveConnections: Number(r[5]), line});
	}

	return out;
}

export function ipvsRulesModel(servers: readonly VirtualServer[]): RulesModel {
	const services = servers.map((v): ServiceRules => {
		const rule = {table: 'ipvs', chain: `${v.protocol} ${v.ip.includes(':') ? `[${v.ip}]` : v.ip}:${v.port}`, rule: v.line};
		return {
			id: null, protocol: v.protocol, hash: null,
			frontends: [{kind: 'virtualServer', ip: v.ip, port: v.port, target: null, rule}],
			policyChains: [],
			endpoints: v.reals.map(r => ({ip: r.ip, port: r.port, chain: null, probability: null, rules: [{...rule, rule: r.line.trim()}]})),
			unreadable: [], masquerade: [], rejects: [], sessionAffinity: v.persistent !== null,
		};
	});
	return {backend: 'ipvs', services, masqueradeMark: null, show: 'ipvsadm -Ln'};
}
