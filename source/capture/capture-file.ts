// Where a capture's packets go besides the pane: a pcapng file on the machine where the tool runs
// (`w`, `capture -w FILE`), or stdout (`capture -w -`). The node only ever streams `tcpdump -w -`;
// nothing is written there. A file is made private before any packet reaches it: a new directory
// (0700, mkdtemp) holding a file created exclusively with mode 0600.
import {closeSync, mkdirSync, mkdtempSync, openSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {PcapngStream, type PcapngInterface} from '../core/pcapng-writer.js';
import {frameAddresses} from '../core/pcap-decode.js';
import type {IpNames} from '../core/ip-names.js';
import type {PcapRecord} from '../core/pcap-stream.js';
import type {Result} from '../core/types.js';

export interface PacketSink {
	write(blocks: readonly Buffer[]): void;
	/** Called after each chunk from tcpdump: a sink may batch until then. */
	flush(): void;
	close(): void;
}

/** The capture point a packet came through, as its IDB names it; a new key gets a new IDB. */
export interface RecordedPoint extends PcapngInterface {
	key: string;
}

export const APPLICATION = 'k8snet-tui';

/** Packets in, pcapng blocks out to the sink (SHB first). */
export class PcapngRecorder {
	private readonly stream: PcapngStream;

	constructor(private readonly sink: PacketSink, names: IpNames) {
		this.stream = new PcapngStream(names);
		sink.write([this.stream.start(APPLICATION)]);
	}

	record(point: RecordedPoint, record: PcapRecord): void {
		this.sink.write(this.stream.packet(point, record, frameAddresses(point.linkType, record.data)));
	}

	flush(): void {
		this.sink.flush();
	}

	close(): void {
		this.sink.close();
	}
}

/** Blocks gathered until flush() and written with one write(2). */
export function fdSink(fd: number, o: {closeFd: boolean}): PacketSink {
	let pending: Buffer[] = [];
	let closed = false;
	const flush = () => {
		if (pending.length === 0 || closed) return;
		const all = Buffer.concat(pending);
		pending = [];
		for (let at = 0; at < all.length;) at += writeSync(fd, all, at);
	};
	return {
		write(blocks) {
			if (!closed) pending.push(...blocks);
		},
		flush,
		close() {
			flush();
			closed = true;
			if (o.closeFd) closeSync(fd);
		},
	};
}

/** A new private directory under `parent` (made 0700 if missing) and an empty 0600 file in it. */
export function openPrivateFile(parent: string, name: string): Result<{path: string; fd: number}> {
	try {
		mkdirSync(parent, {recursive: true, mode: 0o700});
		const dir = mkdtempSync(join(parent, 'k8snet-pcap-'));
		const path = join(dir, name);
		return {ok: true, value: {path, fd: openSync(path, 'wx', 0o600)}};
	} catch (error) {
		return {ok: false, reason: `cannot make a private file for the pcap in ${parent}: ${(error as Error).message}`, hint: `check that ${parent} is writable, or set TMPDIR`};
	}
}

/** A file the user named (`capture -w FILE`): created 0600, or truncated if it is there already. */
export function openNamedFile(path: string): Result<{path: string; fd: number}> {
	try {
		return {ok: true, value: {path, fd: openSync(path, 'w', 0o600)}};
	} catch (error) {
		return {ok: false, reason: `cannot write ${path}: ${(error as Error).message}`, hint: 'pick a path in a writable directory, or -w - for stdout'};
	}
}
