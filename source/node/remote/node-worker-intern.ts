// Which long arguments a node worker holds in its variables (node-worker-script.ts, `= N VALUE`).
// A poll sends the same probe script and, while no pod comes or goes, the same list of known
// inodes: a couple of KiB that the worker's shell would otherwise read byte by byte every time.
// The least recently used slot is reused, never one the request at hand needs.

/** Shorter arguments cost less to send again than a slot costs to keep. */
export const INTERN_MIN_LENGTH = 512;
const SLOTS = 8;

export interface InternPlan {
	/** Values to define first, in this order. */
	defines: Array<{slot: number; value: string}>;
	slotOf(arg: string): number | undefined;
}

export function createInternTable(): {plan(argv: readonly string[]): InternPlan} {
	// Insertion order is recency: a use moves the value to the end.
	const slots = new Map<string, number>();
	return {
		plan(argv) {
			const long = [...new Set(argv.filter(arg => arg.length >= INTERN_MIN_LENGTH && !arg.includes('\0')))];
			const defines: InternPlan['defines'] = [];
			const mine = new Map<string, number>();
			for (const value of long) {
				let slot = slots.get(value);
				if (slot === undefined) {
					if (slots.size < SLOTS) slot = slots.size;
					else {
						const victim = [...slots.keys()].find(held => !long.includes(held));
						if (victim === undefined) continue;
						slot = slots.get(victim)!;
						slots.delete(victim);
					}

					defines.push({slot, value});
				}

				slots.delete(value);
				slots.set(value, slot);
				mine.set(value, slot);
			}

			return {defines, slotOf: arg => mine.get(arg)};
		},
	};
}
