// A pcap file as it arrives from `tcpdump -w -`, chunk by chunk: the global header once, then one
// record per packet. Pure: bytes in, records out. A record's bytes are a view into the chunk they
// came in (or into a joined buffer when a record straddled two): whoever keeps one copies it.

/** Link types tcpdump gives the interfaces we capture on (pcap LINKTYPE_* numbers). */
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface PcapHeader {
	linkType: number;
	snaplen: number;
	/** Timestamps in nanoseconds (magic a1b23c4d) instead of microseconds. */
	nanos: boolean;
}

export interface PcapRecord {
	seconds: number;
	/** Microseconds (nanoseconds are cut to micro, as tcpdump prints them). */
	micros: number;
	/** Bytes on the wire; data may be shorter (snaplen). */
	origLen: number;
	data: Buffer;
}

export type PcapStreamError = {reason: string};

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
/** Larger than any snaplen tcpdump accepts: a record claiming more means the stream is not a pcap. */
const MAX_RECORD = 512 * 1024;

export class PcapStreamReader {
	header: PcapHeader | null = null;
	/** Set once the stream turned out not to be a pcap; nothing more is read after it. */
	error: PcapStreamError | null = null;
	private little = true;
	private pending: Buffer = Buffer.alloc(0);

	/** Feeds a chunk; calls onRecord for each whole record in it (and in what was left before). */
	push(chunk: Buffer, onRecord: (record: PcapRecord) => void): void {
		if (this.error !== null) return;
		const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
		let at = 0;
		if (this.header === null) {
			if (buf.length < GLOBAL_HEADER) {
				this.pending = buf;
				return;
			}
			const parsed = this.readGlobalHeader(buf);
			if (parsed === null) return;
			this.header = parsed;
			at = GLOBAL_HEADER;
		}
		const nanos = this.header.nanos;
		const little = this.little;
		while (buf.length - at >= RECORD_HEADER) {
			const caplen = little ? buf.readUInt32LE(at + 8) : buf.readUInt32BE(at + 8);
			if (caplen > MAX_RECORD) {
				this.error = {reason: `a pcap record claims ${caplen} bytes: the stream is not a pcap any more`};
				this.pending = Buffer.alloc(0);
				return;
			}
			if (buf.length - at < RECORD_HEADER + caplen) break;
			const seconds = little ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
			const fraction = little ? buf.readUInt32LE(at + 4) : buf.readUInt32BE(at + 4);
			const origLen = little ? buf.readUInt32LE(at + 12) : buf.readUInt32BE(at + 12);
			onRecord({seconds, micros: nanos ? Math.floor(fraction / 1000) : fraction, origLen, data: buf.subarray(at + RECORD_HEADER, at + RECORD_HEADER + caplen)});
			at += RECORD_HEADER + caplen;
		}
		// Copied: the rest must not keep the whole chunk alive.
		this.pending = at === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
	}

	private readGlobalHeader(buf: Buffer): PcapHeader | null {
		const magic = buf.readUInt32LE(0);
		const known: Record<number, {little: boolean; nanos: boolean}> = {
			0xa1b2c3d4: {little: true, nanos: false},
			0xa1b23c4d: {little: true, nanos: true},
			0xd4c3b2a1: {little: false, nanos: false},
			0x4d3cb2a1: {little: false, nanos: true},
		};
		const kind = known[magic];
		if (kind === undefined) {
			const text = buf.subarray(0, 24).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
			this.error = {reason: `tcpdump's output is not a pcap (starts with "${text}")`};
			return null;
		}
		this.little = kind.little;
		const read = (offset: number) => (kind.little ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset));
		return {snaplen: read(16), linkType: read(20) & 0x0fffffff, nanos: kind.nanos};
	}
}
