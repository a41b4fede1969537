// Narrow readers for JSON we did not write: a runtime may omit or change any field, and a wrong
// type must become "unknown" (null), never a crash or a NaN pid.

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | null {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

export function asArray(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

/** A process id: a positive integer. Runtimes report 0 for "no process". */
export function asPid(value: unknown): number | null {
	const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function stringMap(value: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, v] of Object.entries(asObject(value) ?? {})) if (typeof v === 'string') out[key] = v;
	return out;
}

/** obj.a.b.c, or undefined as soon as a step is not an object. */
export function dig(value: unknown, ...path: string[]): unknown {
	let current: unknown = value;
	for (const key of path) {
		const object = asObject(current);
		if (object === null) return undefined;
		current = object[key];
	}

	return current;
}
