// nft's JSON expressions back into the words `nft list chain` prints, for the few expressions
// kube-proxy's chains use, so a rule can be shown as the command shows it. An expression it
// does not know prints as "…" rather than as something nft would not say.
import {isObject, verdictText, type Json, type NftRule} from './nft-json.js';

function value(v: unknown): string {
	if (typeof v === 'string' || typeof v === 'number') return String(v);
	if (!isObject(v)) return '…';
	if (isObject(v['prefix'])) return `${value(v['prefix']['addr'])}/${value(v['prefix']['len'])}`;
	if (isObject(v['payload'])) return `${value(v['payload']['protocol'])} ${value(v['payload']['field'])}`;
	if (isObject(v['meta'])) return `meta ${value(v['meta']['key'])}`;
	if (isObject(v['fib'])) {
		const flags = Array.isArray(v['fib']['flags']) ? v['fib']['flags'].join(' . ') : '';
		return `fib ${flags} ${value(v['fib']['result'])}`;
	}

	if (isObject(v['numgen'])) return `numgen ${value(v['numgen']['mode'])} mod ${value(v['numgen']['mod'])}`;
	if (Array.isArray(v['concat'])) return v['concat'].map(value).join(' . ');
	if (Array.isArray(v['set'])) {
		const items = v['set'].map(item => (Array.isArray(item) && item.length === 2 ? `${value(item[0])} : ${verdictText(item[1]) ?? '…'}` : value(item)));
		return `{ ${items.join(', ')} }`;
	}

	return '…';
}

const STATEMENTS = new Set(['accept', 'drop', 'reject', 'return', 'continue', 'jump', 'goto', 'masquerade']);

function expression(e: Json): string {
	if (isObject(e['match'])) {
		const m = e['match'];
		const op = m['op'] === '==' || m['op'] === 'in' ? '' : `${value(m['op'])} `;
		return `${value(m['left'])} ${op}${value(m['right'])}`;
	}

	if (isObject(e['vmap'])) return `${value(e['vmap']['key'])} vmap ${value(e['vmap']['data'])}`;
	if (isObject(e['dnat'])) return `dnat to ${value(e['dnat']['addr'])}:${value(e['dnat']['port'])}`;
	if (isObject(e['set'])) return `${value(e['set']['op'])} ${value(e['set']['set'])} { ${value(e['set']['elem'])} }`;
	const [kind] = Object.keys(e);
	return kind !== undefined && STATEMENTS.has(kind) ? verdictText(e)! : '…';
}

/** "ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade # handle 7" */
export function nftRuleText(rule: NftRule): string {
	const text = rule.expr.map(expression).join(' ');
	return rule.handle === null ? text : `${text} # handle ${rule.handle}`;
}
