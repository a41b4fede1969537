// Parsers of iproute2's JSON (`ip -j -d -s addr show`, `ip -j route`, `ip -j neigh`,
// `bridge -j fdb show`) into core types. They take already-parsed JSON and never throw on odd
// entries: a field of the wrong type becomes null, an entry without its key fields is skipped.
import type {Address, FdbEntry, Link, LinkStats, Neighbour, Route} from '../core/types.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** One line of `ip -j` output: a JSON array. Anything else is an error value. */
export function parseJsonArray(line: string): Json[] | null {
	try {
		const value: unknown = JSON.parse(line);
		return Array.isArray(value) ? value.filter(isObject) : null;
	} catch {
		return null;
	}
}

/** `ip -j -d [-s] addr show`: links with their details, addresses and (with -s) counters. */
export function parseLinks(entries: Json[]): Link[] {
	const links: Link[] = [];
	for (const entry of entries) {
		const ifindex = num(entry['ifindex']);
		const ifname = str(entry['ifname']);
		if (ifindex === null || ifname === null) continue;
		const linkinfo = isObject(entry['linkinfo']) ? entry['linkinfo'] : {};
		const slaveData = isObject(linkinfo['info_slave_data']) ? linkinfo['info_slave_data'] : {};
		links.push({
			ifindex,
			ifname,
			kind: str(linkinfo['info_kind']),
			linkIndex: num(entry['link_index']),
			linkNetnsid: num(entry['link_netnsid']),
			master: str(entry['master']),
			mac: str(entry['address']),
			mtu: num(entry['mtu']) ?? 0,
			operstate: str(entry['operstate']) ?? 'UNKNOWN',
			flags: strings(entry['flags']),
			addresses: parseAddresses(entry['addr_info']),
			stats: parseStats(entry['stats64']),
			portState: str(linkinfo['info_slave_kind']) === 'bridge' ? str(slaveData['state']) : null,
		});
	}

	return links;
}

function parseAddresses(value: unknown): Address[] {
	const addresses: Address[] = [];
	for (const info of objects(value)) {
		const family = str(info['family']);
		const local = str(info['local']);
		const prefixlen = num(info['prefixlen']);
		if ((family !== 'inet' && family !== 'inet6') || local === null || prefixlen === null) continue;
		addresses.push({family, local, prefixlen, scope: str(info['scope']) ?? 'global'});
	}

	return addresses;
}

function parseStats(value: unknown): LinkStats | null {
	if (!isObject(value) || !isObject(value['rx']) || !isObject(value['tx'])) return null;
	const {rx, tx} = value;
	return {
		rxBytes: num(rx['bytes']) ?? 0,
		txBytes: num(tx['bytes']) ?? 0,
		rxPackets: num(rx['packets']) ?? 0,
		txPackets: num(tx['packets']) ?? 0,
		rxDropped: num(rx['dropped']) ?? 0,
		txDropped: num(tx['dropped']) ?? 0,
	};
}

/** `ip -j route show ...`. The family comes from the query: `dst` may be just "default". */
export function parseRoutes(entries: Json[], family: 'inet' | 'inet6'): Route[] {
	const routes: Route[] = [];
	for (const entry of entries) {
		const dst = str(entry['dst']);
		if (dst === null) continue;
		routes.push({
			family,
			dst,
			dev: str(entry['dev']),
			gateway: str(entry['gateway']),
			protocol: str(entry['protocol']),
			scope: str(entry['scope']),
			table: str(entry['table']),
			type: str(entry['type']),
		});
	}

	return routes;
}

/** `ip -j neigh show`. */
export function parseNeighbours(entries: Json[]): Neighbour[] {
	const neighbours: Neighbour[] = [];
	for (const entry of entries) {
		const dst = str(entry['dst']);
		const dev = str(entry['dev']);
		if (dst === null || dev === null) continue;
		neighbours.push({dst, dev, lladdr: str(entry['lladdr']), state: strings(entry['state'])});
	}

	return neighbours;
}

/** `bridge -j fdb show`. An empty state string means a learned (dynamic) entry. */
export function parseFdb(entries: Json[]): FdbEntry[] {
	const fdb: FdbEntry[] = [];
	for (const entry of entries) {
		const mac = str(entry['mac']);
		const ifname = str(entry['ifname']);
		if (mac === null || ifname === null) continue;
		fdb.push({mac, ifname, master: str(entry['master']), state: str(entry['state']), flags: strings(entry['flags'])});
	}

	return fdb;
}

/** `ip -j netns list-id`: nsid → /run/netns name, when the namespace has one. */
export function parseNetnsIds(entries: Json[]): Array<{nsid: number; name: string | null}> {
	const ids: Array<{nsid: number; name: string | null}> = [];
	for (const entry of entries) {
		const nsid = num(entry['nsid']);
		if (nsid !== null) ids.push({nsid, name: str(entry['name'])});
	}

	return ids;
}
