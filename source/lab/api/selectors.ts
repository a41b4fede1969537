// Label and field selectors as the apiserver parses them, small enough to read in one go.
// A parse error is a value, so the handler can answer 400 BadRequest with the apiserver's wording.

export type LabelRequirement =
	| {key: string; op: 'in' | 'notin'; values: string[]}
	| {key: string; op: 'exists' | 'notexists'};

export type FieldRequirement = {field: string; op: '=' | '!='; value: string};

export type Parsed<T> = {ok: true; value: T} | {ok: false; message: string};

/** Splits on commas that are not inside parentheses: `a in (x,y),b` is two terms. */
function splitTerms(selector: string): string[] {
	const terms: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < selector.length; i++) {
		const c = selector[i];
		if (c === '(') depth++;
		else if (c === ')') depth--;
		else if (c === ',' && depth === 0) {
			terms.push(selector.slice(start, i));
			start = i + 1;
		}
	}

	terms.push(selector.slice(start));
	return terms.map(t => t.trim()).filter(t => t !== '');
}

const labelKey = /^([a-z0-9A-Z.\-/_]+)$/;

export function parseLabelSelector(selector: string): Parsed<LabelRequirement[]> {
	const requirements: LabelRequirement[] = [];
	for (const term of splitTerms(selector)) {
		const set = /^([^\s!=()]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
		if (set) {
			const values = set[3]!.split(',').map(v => v.trim()).filter(v => v !== '');
			requirements.push({key: set[1]!, op: set[2] as 'in' | 'notin', values});
			continue;
		}

		const compare = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
		if (compare) {
			const key = compare[1]!;
			const value = compare[3]!;
			requirements.push(compare[2] === '!=' ? {key, op: 'notin', values: [value]} : {key, op: 'in', values: [value]});
			continue;
		}

		const not = /^!\s*([^\s!=()]+)$/.exec(term);
		if (not && labelKey.test(not[1]!)) {
			requirements.push({key: not[1]!, op: 'notexists'});
			continue;
		}

		if (labelKey.test(term)) {
			requirements.push({key: term, op: 'exists'});
			continue;
		}

		return {ok: false, message: `unable to parse requirement: found '${term}', expected: identifier or operator`};
	}

	return {ok: true, value: requirements};
}

export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
	for (const r of requirements) {
		const value = labels?.[r.key];
		switch (r.op) {
			case 'exists': {
				if (value === undefined) return false;
				break;
			}

			case 'notexists': {
				if (value !== undefined) return false;
				break;
			}

			case 'in': {
				if (value === undefined || !r.values.includes(value)) return false;
				break;
			}

			case 'notin': {
				// As in the apiserver: `notin` and `!=` match objects that lack the label.
				if (value !== undefined && r.values.includes(value)) return false;
				break;
			}
		}
	}

	return true;
}

/** Parses `a=b,c!=d` and rejects fields the resource does not index, as the apiserver does. */
export function parseFieldSelector(selector: string, supported: readonly string[]): Parsed<FieldRequirement[]> {
	const requirements: FieldRequirement[] = [];
	for (const term of splitTerms(selector)) {
		const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
		if (!m) return {ok: false, message: `invalid selector: '${selector}'; can't understand '${term}'`};
		const field = m[1]!.trim();
		if (!supported.includes(field)) return {ok: false, message: `field label not supported: ${field}`};
		requirements.push({field, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim()});
	}

	return {ok: true, value: requirements};
}

export function matchesFields(requirements: FieldRequirement[], fields: Record<string, string>): boolean {
	for (const r of requirements) {
		const equal = (fields[r.field] ?? '') === r.value;
		if (equal !== (r.op === '=')) return false;
	}

	return true;
}
