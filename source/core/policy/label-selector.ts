// metav1.LabelSelector in its object form (matchLabels + matchExpressions), as the apiserver's
// LabelSelectorAsSelector reads it. The lab's string selectors (`app=web,tier in (a)`) are another
// form with their own parser in source/lab/api; core cannot import the lab, and the two share no
// input, so this is the one object-form matcher.
import type {LabelSelector} from './types.js';

export function isEmptySelector(s: LabelSelector): boolean {
	return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

export function selectorMatches(s: LabelSelector, labels: Record<string, string>): boolean {
	for (const [key, value] of Object.entries(s.matchLabels)) if (labels[key] !== value) return false;
	for (const r of s.matchExpressions) {
		const has = Object.hasOwn(labels, r.key);
		switch (r.operator) {
			case 'In': {
				if (!has || !r.values.includes(labels[r.key]!)) return false;
				break;
			}

			case 'NotIn': {
				// A pod without the key is "not in" any set, as in the apiserver.
				if (has && r.values.includes(labels[r.key]!)) return false;
				break;
			}

			case 'Exists': {
				if (!has) return false;
				break;
			}

			case 'DoesNotExist': {
				if (has) return false;
				break;
			}
		}
	}

	return true;
}

/** kubectl's words for a selector: `app=web,tier in (a,b),!legacy`; `{}` for the empty one. */
export function describeSelector(s: LabelSelector): string {
	const terms = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
	for (const r of s.matchExpressions) {
		if (r.operator === 'In') terms.push(`${r.key} in (${r.values.join(',')})`);
		else if (r.operator === 'NotIn') terms.push(`${r.key} notin (${r.values.join(',')})`);
		else if (r.operator === 'Exists') terms.push(r.key);
		else terms.push(`!${r.key}`);
	}

	return terms.length === 0 ? '{}' : terms.join(',');
}

export function describeLabels(labels: Record<string, string>): string {
	const terms = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
	return terms.length === 0 ? 'no labels' : terms.join(',');
}
