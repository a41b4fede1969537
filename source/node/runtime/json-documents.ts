// `crictl inspect ID1 ID2 ...` prints one indented JSON document per id, one after another (and
// stops at the first id that fails), while newer tools print a JSON array. Both read the same here.

/** Every complete top-level JSON value in `text`, arrays flattened one level. Garbage is skipped. */
export function parseJsonDocuments(text: string): unknown[] {
	const documents: unknown[] = [];
	for (const chunk of topLevelChunks(text)) {
		let value: unknown;
		try {
			value = JSON.parse(chunk);
		} catch {
			continue;
		}

		if (Array.isArray(value)) documents.push(...(value as unknown[]));
		else documents.push(value);
	}

	return documents;
}

/** Splits on balanced braces/brackets outside strings, so concatenated documents come apart. */
function topLevelChunks(text: string): string[] {
	const chunks: string[] = [];
	let depth = 0;
	let start = -1;
	let inString = false;
	let escaped = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (inString) {
			if (escaped) escaped = false;
			else if (ch === '\\') escaped = true;
			else if (ch === '"') inString = false;
			continue;
		}

		if (ch === '"') {
			if (depth > 0) inString = true;
		} else if (ch === '{' || ch === '[') {
			if (depth === 0) start = i;
			depth++;
		} else if ((ch === '}' || ch === ']') && depth > 0) {
			depth--;
			if (depth === 0 && start >= 0) {
				chunks.push(text.slice(start, i + 1));
				start = -1;
			}
		}
	}

	return chunks;
}
