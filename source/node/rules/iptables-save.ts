// `iptables-save` (iptables-nft and legacy print the same format) → its rules, one record per
// `-A` line with the options kube-proxy's rules use picked out. Option order differs between
// what kube-proxy writes and what the kernel prints back, so options are read by name, never by
// position. Lines it does not understand are kept as text and otherwise ignored.

export interface IptablesRule {
	table: string;
	chain: string;
	/** The line as iptables-save printed it, so `iptables -t <table> -S <chain>` shows it. */
	line: string;
	comment: string | null;
	protocol: string | null;
	source: {cidr: string; negated: boolean} | null;
	destination: {cidr: string; negated: boolean} | null;
	dport: number | null;
	/** -j or -g; null for a rule that only matches (kube-proxy's FW chain has one). */
	target: string | null;
	toDestination: string | null;
	probability: number | null;
	/** -m recent: ClientIP session affinity. */
	recent: boolean;
	dstTypeLocal: boolean;
	/** The mark of MARK --set-xmark / --or-mark. */
	setMark: string | null;
}

export interface IptablesDump {
	/** table → chain → rules in order; chains declared with no rules are there, empty. */
	tables: Map<string, Map<string, IptablesRule[]>>;
}

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Splits a line as iptables-save quotes it: "a b" is one word, with \" an escaped quote inside.
 * A hand scanner, as this runs on every line of a dump (15k lines for 1,000 Services).
 */
function words(line: string): string[] {
	const out: string[] = [];
	const n = line.length;
	let i = 0;
	while (i < n) {
		if (line.charCodeAt(i) === SPACE) {
			i++;
		} else if (line.charCodeAt(i) === QUOTE) {
			let word = '';
			let start = ++i;
			while (i < n && line.charCodeAt(i) !== QUOTE) {
				if (line.charCodeAt(i) === BACKSLASH) {
					word += line.slice(start, i);
					start = ++i;
				}

				i++;
			}

			out.push(word + line.slice(start, i));
			i++;
		} else {
			const end = line.indexOf(' ', i);
			const stop = end === -1 ? n : end;
			out.push(line.slice(i, stop));
			i = stop;
		}
	}

	return out;
}

function parseRule(table: string, line: string): IptablesRule | null {
	const w = words(line);
	if (w[0] !== '-A' || w[1] === undefined) return null;
	const rule: IptablesRule = {
		table, chain: w[1], line, comment: null, protocol: null, source: null, destination: null, dport: null,
		target: null, toDestination: null, probability: null, recent: false, dstTypeLocal: false, setMark: null,
	};
	let negated = false;
	for (let i = 2; i < w.length; i++) {
		const option = w[i]!;
		const value = w[i + 1];
		if (option === '!') {
			negated = true;
			continue;
		}

		switch (option) {
			case '--comment': rule.comment = value ?? null; break;
			case '-p': rule.protocol = value ?? null; break;
			case '-s': rule.source = value === undefined ? null : {cidr: value, negated}; break;
			case '-d': rule.destination = value === undefined ? null : {cidr: value, negated}; break;
			case '--dport': rule.dport = value !== undefined && /^\d+$/.test(value) ? Number(value) : null; break;
			case '-j': case '-g': rule.target = value ?? null; break;
			case '--to-destination': rule.toDestination = value ?? null; break;
			case '--probability': rule.probability = value !== undefined && Number.isFinite(Number(value)) ? Number(value) : null; break;
			case '--dst-type': rule.dstTypeLocal = value === 'LOCAL' && !negated; break;
			case '--set-xmark': case '--or-mark': rule.setMark = value?.split('/')[0] ?? null; break;
			case '-m': if (value === 'recent') rule.recent = true; break;
			default: negated = false; continue;
		}

		negated = false;
		i++;
	}

	return rule;
}

/**
 * `iptables-save [-t T]`, or `iptables -t T -S` (no `*table` header, chains as `-N`): pass T as
 * `table` for the latter; its lines before any header are then read as that table's.
 */
export function parseIptablesSave(text: string, table = ''): IptablesDump {
	const tables = new Map<string, Map<string, IptablesRule[]>>();
	let chains: Map<string, IptablesRule[]> | null = table === '' ? null : new Map();
	if (chains !== null) tables.set(table, chains);
	for (const raw of text.split('\n')) {
		const line = raw.trimEnd();
		if (line.startsWith('*')) {
			table = line.slice(1);
			chains = tables.get(table) ?? new Map();
			tables.set(table, chains);
		} else if (chains === null || line === '' || line.startsWith('#') || line === 'COMMIT') {
			continue;
		} else if (line.startsWith(':') || line.startsWith('-N ')) {
			const name = line.replace(/^(:|-N )/, '').split(' ')[0]!;
			if (!chains.has(name)) chains.set(name, []);
		} else {
			const rule = parseRule(table, line);
			if (rule === null) continue;
			const list = chains.get(rule.chain) ?? [];
			list.push(rule);
			chains.set(rule.chain, list);
		}
	}

	return {tables};
}
