// A fixed-capacity line buffer addressed by sequence number. Every entry pushed gets the next seq
// (0, 1, 2, ...) forever; once capacity is reached the oldest entry is overwritten. Readers ask for
// a seq window, so a paused or scrolled view stays put while new lines arrive and old ones expire.
// Gap markers are entries too: they record where lines are missing (a restart, a clear).

export const DEFAULT_RING_CAPACITY = 10_000;

export type RingEntry<T> = {seq: number; kind: 'item'; value: T} | {seq: number; kind: 'gap'; note: string};

export class RingBuffer<T> {
	readonly capacity: number;
	private readonly slots: Array<RingEntry<T> | undefined>;
	private next = 0;

	constructor(capacity = DEFAULT_RING_CAPACITY) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
		this.capacity = capacity;
		this.slots = new Array<RingEntry<T> | undefined>(capacity);
	}

	/** Entries ever pushed (items and gaps). */
	get total(): number {
		return this.next;
	}

	/** The oldest seq still held. */
	get firstSeq(): number {
		return Math.max(0, this.next - this.capacity);
	}

	/** One past the newest seq. */
	get endSeq(): number {
		return this.next;
	}

	get size(): number {
		return this.next - this.firstSeq;
	}

	push(value: T): void {
		this.slots[this.next % this.capacity] = {seq: this.next, kind: 'item', value};
		this.next++;
	}

	pushGap(note: string): void {
		this.slots[this.next % this.capacity] = {seq: this.next, kind: 'gap', note};
		this.next++;
	}

	at(seq: number): RingEntry<T> | undefined {
		if (seq < this.firstSeq || seq >= this.next) return undefined;
		return this.slots[seq % this.capacity];
	}

	/** Entries with from <= seq < to that are still held, oldest first. */
	slice(from: number, to: number): Array<RingEntry<T>> {
		const start = Math.max(from, this.firstSeq);
		const end = Math.min(to, this.next);
		const out: Array<RingEntry<T>> = [];
		for (let seq = start; seq < end; seq++) out.push(this.slots[seq % this.capacity]!);
		return out;
	}
}
