// Reading fields of an API object that has already been JSON-parsed: wrong types become null or
// empty, never a throw, since a watch can hand over a Status or an ERROR in place of an object.

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | null {
	return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

/** The array's objects; anything else in it is dropped. */
export function arr(v: unknown): Json[] {
	return Array.isArray(v) ? v.map(obj).filter((o): o is Json => o !== null) : [];
}
