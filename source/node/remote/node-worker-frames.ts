// Reading the worker's replies (node-worker-script.ts) out of a byte stream that arrives in chunks of
// any size: a marker may be split across chunks, and a reply may be many megabytes, so what comes
// before a marker is kept as the chunks it came in and copied once, when the marker turns up.

/** Finds one marker in a stream fed chunk by chunk. */
export class MarkerSearch {
	private chunks: Buffer[] = [];
	private held = 0;
	private tail: Buffer = Buffer.alloc(0);
	private readonly marker: Buffer;

	constructor(marker: string) {
		this.marker = Buffer.from(marker);
	}

	/** null until the marker has arrived; then what came before it and what followed it. */
	push(chunk: Buffer): {before: Buffer; after: Buffer} | null {
		const window = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
		const at = window.indexOf(this.marker);
		this.chunks.push(chunk);
		this.held += chunk.length;
		if (at < 0) {
			this.tail = window.subarray(Math.max(0, window.length - this.marker.length + 1));
			return null;
		}

		const all = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.held);
		const position = this.held - window.length + at;
		return {before: all.subarray(0, position), after: all.subarray(position + this.marker.length)};
	}
}

/**
 * One reply on one stream: `TOKEN:0\n`, the body, then `TOKEN:<end>` and, on stdout, the rest of that
 * line (the status). Bytes before the start marker and after the end line are not the command's.
 */
export class ReplyFrame {
	private stage: 'start' | 'body' | 'trailer' | 'done' = 'start';
	private search: MarkerSearch;
	private body: Buffer | null = null;
	private trailer = '';
	private readonly endMarker: string;
	private readonly withTrailer: boolean;

	constructor(token: string, end: '1 ' | '2\n') {
		this.search = new MarkerSearch(`${token}:0\n`);
		this.endMarker = `${token}:${end}`;
		this.withTrailer = end === '1 ';
	}

	get done(): boolean {
		return this.stage === 'done';
	}

	/** The command's bytes and the end line's rest, once done. */
	result(): {body: Buffer; trailer: string} {
		return {body: this.body ?? Buffer.alloc(0), trailer: this.trailer};
	}

	/** Takes a chunk; returns what was not the frame's (noise before it, or what came after it). */
	push(chunk: Buffer): Buffer[] {
		const outside: Buffer[] = [];
		let rest: Buffer | null = chunk;
		while (rest !== null && rest.length > 0 && this.stage !== 'done') {
			const found = this.search.push(rest);
			if (found === null) return outside;
			rest = found.after;
			if (this.stage === 'start') {
				if (found.before.length > 0) outside.push(found.before);
				this.stage = 'body';
				this.search = new MarkerSearch(this.endMarker);
			} else if (this.stage === 'body') {
				this.body = found.before;
				this.stage = this.withTrailer ? 'trailer' : 'done';
				this.search = new MarkerSearch('\n');
			} else {
				this.trailer = found.before.toString('latin1');
				this.stage = 'done';
			}
		}

		if (rest !== null && rest.length > 0) outside.push(rest);
		return outside;
	}
}
