// `nft -j list table ip kube-proxy` (or `nft -j list ruleset`) → the kube-proxy table's chains
// with their rules, and its maps with their elements. Anything not of kube-proxy's table is
// skipped; entries of an unexpected shape are skipped, never thrown on.

export type Json = Record<string, unknown>;

export interface NftRule {
	chain: string;
	handle: number | null;
	expr: Json[];
}

export interface NftMapElement {
	/** The key's parts: ["172.30.0.41", "tcp", 80] for service-ips, ["tcp", 3001] for service-nodeports. */
	key: Array<string | number>;
	comment: string | null;
	/** "goto <chain>", "jump <chain>", "drop", "accept", … */
	verdict: string;
}

export interface NftTable {
	family: string;
	name: string;
	chains: Map<string, NftRule[]>;
	maps: Map<string, NftMapElement[]>;
	/** Plain sets' elements (cluster-ips, nodeport-ips), as text. */
	sets: Map<string, string[]>;
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function keyParts(v: unknown): Array<string | number> {
	const concat = isObject(v) ? v['concat'] : undefined;
	const parts = Array.isArray(concat) ? concat : [v];
	return parts.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
}

/** {"goto": {"target": "x"}} → "goto x"; {"drop": null} → "drop". */
export function verdictText(v: unknown): string | null {
	if (!isObject(v)) return null;
	const [kind] = Object.keys(v);
	if (kind === undefined) return null;
	const body = v[kind];
	const target = isObject(body) ? body['target'] : undefined;
	return typeof target === 'string' ? `${kind} ${target}` : kind;
}

function mapElement(raw: unknown): NftMapElement | null {
	if (!Array.isArray(raw) || raw.length !== 2) return null;
	let [key] = raw as [unknown, unknown];
	let comment: string | null = null;
	// An element with a comment comes wrapped: {"elem": {"val": key, "comment": "…"}}.
	if (isObject(key) && isObject(key['elem'])) {
		const elem = key['elem'];
		comment = typeof elem['comment'] === 'string' ? elem['comment'] : null;
		key = elem['val'];
	}

	const verdict = verdictText(raw[1]);
	return verdict === null ? null : {key: keyParts(key), comment, verdict};
}

/** Null when the text is not nft's JSON or holds no table `name` of `family`. */
export function parseNftJson(text: string, family = 'ip', name = 'kube-proxy'): NftTable | null {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch {
		return null;
	}

	const entries = isObject(doc) && Array.isArray(doc['nftables']) ? doc['nftables'].filter(isObject) : [];
	const mine = (o: Json) => o['family'] === family && (o['table'] ?? o['name']) === name;
	if (!entries.some(e => isObject(e['table']) && mine(e['table']))) return null;
	const table: NftTable = {family, name, chains: new Map(), maps: new Map(), sets: new Map()};
	for (const entry of entries) {
		const chain = entry['chain'];
		const rule = entry['rule'];
		const map = entry['map'];
		const set = entry['set'];
		if (isObject(chain) && mine(chain) && typeof chain['name'] === 'string') {
			if (!table.chains.has(chain['name'])) table.chains.set(chain['name'], []);
		} else if (isObject(rule) && mine(rule) && typeof rule['chain'] === 'string' && Array.isArray(rule['expr'])) {
			const list = table.chains.get(rule['chain']) ?? [];
			// nft prints objects only; the copy is made just for the odd rule that is not so.
			const expr = rule['expr'].every(isObject) ? (rule['expr'] as Json[]) : rule['expr'].filter(isObject);
			list.push({chain: rule['chain'], handle: typeof rule['handle'] === 'number' ? rule['handle'] : null, expr});
			table.chains.set(rule['chain'], list);
		} else if (isObject(map) && mine(map) && typeof map['name'] === 'string') {
			const elems = Array.isArray(map['elem']) ? map['elem'] : [];
			table.maps.set(map['name'], elems.map(mapElement).filter((e): e is NftMapElement => e !== null));
		} else if (isObject(set) && mine(set) && typeof set['name'] === 'string') {
			const elems = Array.isArray(set['elem']) ? set['elem'] : [];
			table.sets.set(set['name'], elems.filter((e): e is string | number => typeof e === 'string' || typeof e === 'number').map(String));
		}
	}

	return table;
}
