// Builds the tcpdump filter for one pod: `host A or host B` from its validated IPs, narrowed by a
// quick filter and an optional free expression. Pod IPs come from the API and are untrusted: each
// must parse as a plain IPv4/IPv6 address before it goes anywhere near a command. The free
// expression is the user's own; tcpdump itself compiles it (capture-session runs tcpdump -d first):
// here it only has to keep the pod filter intact, which is why parentheses must balance.
import {canonicalIp} from './pod-ip.js';
import type {Result} from './types.js';

export type QuickFilter =
	| {kind: 'all'}
	| {kind: 'icmp'}
	| {kind: 'tcp'}
	| {kind: 'udp'}
	| {kind: 'arp'}
	| {kind: 'dns'}
	| {kind: 'port'; port: number};

export interface FilterSpec {
	/** The pod's IPs exactly as the API gave them. */
	ips: readonly string[];
	quick?: QuickFilter;
	/** A free BPF expression typed by the user; empty means none. */
	expression?: string;
}

export interface CaptureFilter {
	/** Canonical IPs the filter selects. */
	ips: string[];
	/** The whole expression, passed to tcpdump as a single argv element. */
	expression: string;
}

function quickExpression(quick: QuickFilter): Result<string | null> {
	switch (quick.kind) {
		case 'all':
			return {ok: true, value: null};
		case 'icmp':
			return {ok: true, value: 'icmp or icmp6'};
		case 'tcp':
		case 'udp':
		case 'arp':
			return {ok: true, value: quick.kind};
		case 'dns':
			return {ok: true, value: 'port 53'};
		case 'port':
			if (!Number.isInteger(quick.port) || quick.port < 1 || quick.port > 65535) {
				return {ok: false, reason: `port ${String(quick.port)} is not a port number`, hint: 'use a whole number from 1 to 65535'};
			}
			return {ok: true, value: `port ${quick.port}`};
	}
}

/** Parses the quick-filter words a user types: icmp, tcp, udp, arp, dns, all, `port N`. */
export function parseQuickFilter(text: string): Result<QuickFilter> {
	const words = text.trim().toLowerCase().split(/\s+/);
	const [word, arg] = words;
	if (words.length === 1 && (word === 'all' || word === '' || word === 'icmp' || word === 'tcp' || word === 'udp' || word === 'arp' || word === 'dns')) {
		return {ok: true, value: {kind: word === '' ? 'all' : word}};
	}
	if (word === 'port' && words.length === 2 && /^\d{1,5}$/.test(arg ?? '')) {
		const port = Number(arg);
		const checked = quickExpression({kind: 'port', port});
		return checked.ok ? {ok: true, value: {kind: 'port', port}} : checked;
	}
	return {ok: false, reason: `'${text}' is not a quick filter`, hint: 'one of: all, icmp, tcp, udp, arp, dns, port N'};
}

function parenthesesBalance(text: string): boolean {
	let depth = 0;
	for (const ch of text) {
		if (ch === '(') depth++;
		if (ch === ')' && --depth < 0) return false;
	}
	return depth === 0;
}

export function buildCaptureFilter(spec: FilterSpec): Result<CaptureFilter> {
	const ips: string[] = [];
	for (const raw of spec.ips) {
		const ip = canonicalIp(raw);
		if (ip === null) {
			return {
				ok: false,
				reason: `the pod IP '${raw}' is not an IP address`,
				hint: 'the API reported something that is not an IP; nothing was started. Check the pod status (kubectl get pod -o yaml)',
			};
		}
		if (!ips.includes(ip)) ips.push(ip);
	}
	if (ips.length === 0) {
		return {ok: false, reason: 'the pod has no IP address', hint: 'wait until the pod is running and has an IP'};
	}

	const parts = [ips.map(ip => `host ${ip}`).join(' or ')];
	const quick = quickExpression(spec.quick ?? {kind: 'all'});
	if (!quick.ok) return quick;
	if (quick.value !== null) parts.push(quick.value);

	const free = (spec.expression ?? '').trim();
	if (free !== '') {
		if (/[\0-\x1f\x7f]/.test(free)) {
			return {ok: false, reason: 'the filter expression contains control characters', hint: 'type a plain BPF expression, e.g. tcp port 80'};
		}
		if (!parenthesesBalance(free)) {
			return {ok: false, reason: 'the filter expression has unbalanced parentheses', hint: 'close every ( with a )'};
		}
		parts.push(free);
	}

	const expression = parts.length === 1 ? parts[0]! : parts.map(p => `(${p})`).join(' and ');
	return {ok: true, value: {ips, expression}};
}
