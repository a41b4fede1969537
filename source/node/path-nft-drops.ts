// `nft -j list ruleset` → the rules that drop forwarded packets by address: a rule in a chain on
// the forward hook (any table, any family) whose verdict is drop, with the ip saddr/daddr it matches.
// Generic on purpose: the lab's own table, a policy agent's or a hand-made one are all found.
import type {NftDropRule} from '../core/path/types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "10.244.0.2", {"prefix": {"addr": "10.244.0.0", "len": 24}}, or a set of those → text. */
function addresses(right: unknown): string[] {
	if (typeof right === 'string') return [right];
	if (isObject(right) && isObject(right['prefix'])) {
		const {addr, len} = right['prefix'];
		return typeof addr === 'string' && typeof len === 'number' ? [`${addr}/${len}`] : [];
	}

	if (isObject(right) && Array.isArray(right['set'])) return right['set'].flatMap(addresses);
	return [];
}

export function parseDropRules(text: string): NftDropRule[] | null {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch {
		return null;
	}

	const items = isObject(doc) && Array.isArray(doc['nftables']) ? doc['nftables'].filter(isObject) : null;
	if (items === null) return null;
	const forward = new Set<string>();
	for (const item of items) {
		const chain = item['chain'];
		if (isObject(chain) && chain['hook'] === 'forward') forward.add(`${String(chain['family'])} ${String(chain['table'])} ${String(chain['name'])}`);
	}

	const drops: NftDropRule[] = [];
	for (const item of items) {
		const rule = item['rule'];
		if (!isObject(rule) || !Array.isArray(rule['expr'])) continue;
		const family = String(rule['family']);
		const table = String(rule['table']);
		const chain = String(rule['chain']);
		if (!forward.has(`${family} ${table} ${chain}`)) continue;
		const expr = rule['expr'].filter(isObject);
		if (!expr.some(e => 'drop' in e)) continue;
		const saddr: string[] = [];
		const daddr: string[] = [];
		for (const e of expr) {
			const match = e['match'];
			if (!isObject(match) || (match['op'] !== '==' && match['op'] !== 'in')) continue;
			const left = isObject(match['left']) ? match['left']['payload'] : null;
			if (!isObject(left) || (left['protocol'] !== 'ip' && left['protocol'] !== 'ip6')) continue;
			if (left['field'] === 'saddr') saddr.push(...addresses(match['right']));
			if (left['field'] === 'daddr') daddr.push(...addresses(match['right']));
		}

		drops.push({family, table, chain, handle: typeof rule['handle'] === 'number' ? rule['handle'] : null, saddr, daddr});
	}

	return drops;
}
