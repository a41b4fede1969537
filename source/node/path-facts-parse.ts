// The path facts script's output → NodePathFacts. Pure, and never throws on odd output: a section
// the node could not answer becomes an empty list with its reason kept where the path will say it.
import type {FactsRequest, FdbDst, NodePathFacts, PodNetnsFacts, RouteDecision, VxlanInfo} from '../core/path/types.js';
import type {Result} from '../core/types.js';
import {parseFdb, parseJsonArray, parseLinks, parseNeighbours} from './ip-json.js';
import {parseDropRules} from './path-nft-drops.js';
import {parseServiceRules} from './service-facts.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface Section {
	name: string;
	body: string;
}

function sections(stdout: string): Section[] {
	const out: Section[] = [];
	for (const chunk of stdout.split('\n@@').slice(1)) {
		const newline = chunk.indexOf('\n');
		out.push(newline === -1 ? {name: chunk.trim(), body: ''} : {name: chunk.slice(0, newline).trim(), body: chunk.slice(newline + 1).trim()});
	}

	return out;
}

/** JSON array, or the command's complaint (its first line). */
function arrayOrError(body: string): {entries: Json[]; error: string | null} {
	const entries = parseJsonArray(body);
	if (entries !== null) return {entries, error: null};
	return {entries: [], error: body.split('\n')[0]?.trim() || 'no output'};
}

export function parseVxlan(entries: Json[]): VxlanInfo[] {
	const out: VxlanInfo[] = [];
	for (const entry of entries) {
		const info = isObject(entry['linkinfo']) ? entry['linkinfo'] : {};
		const ifname = str(entry['ifname']);
		if (ifname === null || info['info_kind'] !== 'vxlan') continue;
		const data = isObject(info['info_data']) ? info['info_data'] : {};
		out.push({
			ifname,
			vni: num(data['id']),
			port: num(data['port']),
			local: str(data['local']),
			dev: str(data['link']),
			learning: typeof data['learning'] === 'boolean' ? data['learning'] : null,
		});
	}

	return out;
}

function parseFdbDst(entries: Json[]): FdbDst[] {
	return entries.flatMap(entry => parseFdb([entry]).map(e => ({...e, dst: str(entry['dst'])})));
}

function routeOf(entry: Json): NonNullable<RouteDecision['route']> {
	return {dev: str(entry['dev']), gateway: str(entry['gateway']), type: str(entry['type']), prefsrc: str(entry['prefsrc'])};
}

/** The most specific of the routes holding an address (`ip route show to match`), as "type prefix". */
function mostSpecific(entries: Json[]): {type: string; dst: string} | null {
	let best: {type: string; dst: string; bits: number} | null = null;
	for (const entry of entries) {
		const dst = str(entry['dst']);
		if (dst === null) continue;
		const bits = dst === 'default' ? 0 : Number(dst.split('/')[1] ?? 32);
		if (best === null || bits > best.bits) best = {type: str(entry['type']) ?? 'unicast', dst, bits};
	}

	return best === null ? null : {type: best.type, dst: best.dst};
}

function parseDecision(asked: FactsRequest['decisions'][number], got: {body: string; plain: string | null; back: string | null}): RouteDecision {
	const base = {netnsPath: asked.netnsPath, dst: asked.dst, src: asked.src, iif: asked.iif};
	const first = parseJsonArray(got.body)?.[0];
	if (first) return {...base, route: routeOf(first), error: null, refusedBy: null, backDev: null};
	const back = got.back === null ? undefined : parseJsonArray(got.back)?.[0];
	return {
		...base,
		route: null,
		error: got.body.split('\n')[0]?.trim() || 'ip route get printed nothing',
		refusedBy: got.plain === null ? null : mostSpecific(parseJsonArray(got.plain) ?? []),
		backDev: back ? str(back['dev']) : null,
	};
}

/** `grep -H .` over the sysctl files: "/proc/sys/net/ipv4/conf/eth0/rp_filter:1". */
function parseSysctl(body: string): {rpFilter: Record<string, number>; bridgeNfCall: number | null} {
	const rpFilter: Record<string, number> = {};
	let bridgeNfCall: number | null = null;
	for (const line of body.split('\n')) {
		const rp = /^\/proc\/sys\/net\/ipv4\/conf\/([^/]+)\/rp_filter:(\d+)$/.exec(line.trim());
		if (rp) rpFilter[rp[1]!] = Number(rp[2]);
		const nf = /^\/proc\/sys\/net\/bridge\/bridge-nf-call-iptables:(\d+)$/.exec(line.trim());
		if (nf) bridgeNfCall = Number(nf[1]);
	}

	return {rpFilter, bridgeNfCall};
}

export function parsePathFacts(node: string, request: FactsRequest, stdout: string): Result<NodePathFacts> {
	const all = sections(stdout);
	const one = (name: string) => all.find(s => s.name === name)?.body ?? '';
	const addr = arrayOrError(one('addr'));
	if (addr.error !== null) return {ok: false, reason: `ip -j -d -s addr show on node ${node} failed: ${addr.error}`, hint: 'the node needs iproute2 with JSON output (4.14 or later)'};

	const podBodies = all.filter(s => s.name === 'pod');
	const pods: PodNetnsFacts[] = request.pods.map((netnsPath, i) => {
		const r = arrayOrError(podBodies[i]?.body ?? 'no answer');
		return {netnsPath, links: parseLinks(r.entries), error: r.error};
	});
	// A refused get is followed by its plain lookup ("plain"), which names a blackhole or unreachable route.
	const gets: Array<{body: string; plain: string | null; back: string | null}> = [];
	for (const section of all) {
		const last = gets[gets.length - 1];
		if (section.name === 'get') gets.push({body: section.body, plain: null, back: null});
		else if (section.name === 'plain' && last) last.plain = section.body;
		else if (section.name === 'back' && last) last.back = section.body;
	}

	const decisions = request.decisions.map((d, i) => parseDecision(d, gets[i] ?? {body: '', plain: null, back: null}));
	const nftBody = one('nft');
	const drops = nftBody.startsWith('{') ? parseDropRules(nftBody) : null;
	const links = parseLinks(addr.entries);
	return {
		ok: true,
		value: {
			node,
			links,
			vxlan: parseVxlan(addr.entries),
			neighbours: parseNeighbours(arrayOrError(one('neigh')).entries),
			fdb: parseFdbDst(arrayOrError(one('fdb')).entries),
			bridgePorts: arrayOrError(one('brlink')).entries.flatMap(e => (typeof e['ifname'] === 'string' ? [{ifname: e['ifname'], master: str(e['master']), state: str(e['state']), hairpin: typeof e['hairpin'] === 'boolean' ? e['hairpin'] : null}] : [])),
			...parseSysctl(one('sysctl')),
			dropRules: drops,
			nftError: drops === null ? `nft -j list ruleset: ${nftBody.split('\n')[0]?.trim() || 'no output'}` : null,
			decisions,
			pods,
			flow: request.flow ?? null,
			...(request.serviceRules === true ? {serviceRules: parseServiceRules({nat: one('iptnat'), filter: one('iptfilter'), nft: nftBody, links: links.map(l => l.ifname)})} : {}),
		},
	};
}
