// pcapng as Wireshark and tshark read it (draft-ietf-opsawg-pcapng): a Section Header Block, an
// Interface Description Block per capture point (if_name and if_description name the pod and the
// point), Enhanced Packet Blocks, and Name Resolution Blocks that map each named address seen to
// its `ns/pod` or node name, written just before the first packet that carries it, so a reader of
// a live stream (`wireshark -k -i -`) has the name when the packet arrives. Pure: blocks out as Buffers.
import {canonicalIp} from './pod-ip.js';
import type {IpNames} from './ip-names.js';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const NRB = 0x00000004;
const EPB = 0x00000006;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const NRB_IPV4 = 1;
const NRB_IPV6 = 2;

const pad4 = (n: number) => (n + 3) & ~3;

function block(type: number, body: Buffer): Buffer {
	const total = 12 + body.length;
	const out = Buffer.alloc(total);
	out.writeUInt32LE(type, 0);
	out.writeUInt32LE(total, 4);
	body.copy(out, 8);
	out.writeUInt32LE(total, total - 4);
	return out;
}

/** Options as TLVs padded to 4 bytes, ended by opt_endofopt; empty when there are none. */
function options(list: ReadonlyArray<[number, string]>): Buffer {
	if (list.length === 0) return Buffer.alloc(0);
	const parts = list.map(([code, text]) => {
		const value = Buffer.from(text, 'utf8');
		const out = Buffer.alloc(4 + pad4(value.length));
		out.writeUInt16LE(code, 0);
		out.writeUInt16LE(value.length, 2);
		value.copy(out, 4);
		return out;
	});
	// opt_endofopt: code 0, length 0.
	return Buffer.concat([...parts, Buffer.alloc(4)]);
}

export function sectionHeader(application: string): Buffer {
	const fixed = Buffer.alloc(16);
	fixed.writeUInt32LE(0x1a2b3c4d, 0);
	fixed.writeUInt16LE(1, 4);
	fixed.writeUInt16LE(0, 6);
	// Section length unknown (-1): the file is written as it streams.
	fixed.writeBigInt64LE(-1n, 8);
	return block(SHB, Buffer.concat([fixed, options([[SHB_USERAPPL, application]])]));
}

export interface PcapngInterface {
	linkType: number;
	snaplen: number;
	name: string;
	description: string;
}

export function interfaceDescription(iface: PcapngInterface): Buffer {
	const fixed = Buffer.alloc(8);
	fixed.writeUInt16LE(iface.linkType, 0);
	fixed.writeUInt32LE(iface.snaplen, 4);
	return block(IDB, Buffer.concat([fixed, options([[IF_NAME, iface.name], [IF_DESCRIPTION, iface.description]])]));
}

/** Microsecond timestamps: the IDB's default if_tsresol. */
export function enhancedPacket(interfaceId: number, seconds: number, micros: number, origLen: number, data: Buffer): Buffer {
	const body = Buffer.alloc(20 + pad4(data.length));
	const ts = BigInt(seconds) * 1_000_000n + BigInt(micros);
	body.writeUInt32LE(interfaceId, 0);
	body.writeUInt32LE(Number(ts >> 32n), 4);
	body.writeUInt32LE(Number(ts & 0xffffffffn), 8);
	body.writeUInt32LE(data.length, 12);
	body.writeUInt32LE(origLen, 16);
	data.copy(body, 20);
	return block(EPB, body);
}

/** A Name Resolution Block for these address → name pairs; addresses that do not parse are left out. */
export function nameResolution(entries: ReadonlyArray<{ip: string; name: string}>, comment?: string): Buffer {
	const records: Buffer[] = [];
	for (const {ip, name} of entries) {
		const bytes = addressBytes(ip);
		if (bytes === null) continue;
		const value = Buffer.concat([bytes, Buffer.from(`${name}\0`, 'utf8')]);
		const record = Buffer.alloc(4 + pad4(value.length));
		record.writeUInt16LE(bytes.length === 4 ? NRB_IPV4 : NRB_IPV6, 0);
		record.writeUInt16LE(value.length, 2);
		value.copy(record, 4);
		records.push(record);
	}
	// nrb_record_end, then the block's options.
	return block(NRB, Buffer.concat([...records, Buffer.alloc(4), options(comment === undefined ? [] : [[OPT_COMMENT, comment]])]));
}

function addressBytes(ip: string): Buffer | null {
	const canonical = canonicalIp(ip);
	if (canonical === null) return null;
	if (!canonical.includes(':')) return Buffer.from(canonical.split('.').map(Number));
	const [head = '', tail = ''] = canonical.split('::');
	const groups = (text: string) => (text === '' ? [] : text.split(':').map(g => Number.parseInt(g, 16)));
	const left = groups(head);
	const right = canonical.includes('::') ? groups(tail) : [];
	const all = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
	const out = Buffer.alloc(16);
	all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
	return out;
}

/**
 * The blocks of one capture's pcapng, packet by packet: the SHB first, an IDB the first time a
 * capture point (by key) is seen, an NRB for the named addresses a packet brings that no NRB has
 * named yet, then its EPB.
 */
export class PcapngStream {
	private readonly interfaces = new Map<string, number>();
	private readonly named = new Set<string>();

	constructor(private readonly names: IpNames) {}

	start(application: string): Buffer {
		return sectionHeader(application);
	}

	packet(point: {key: string} & PcapngInterface, packet: {seconds: number; micros: number; origLen: number; data: Buffer}, addresses: readonly string[]): Buffer[] {
		const out: Buffer[] = [];
		let id = this.interfaces.get(point.key);
		if (id === undefined) {
			id = this.interfaces.size;
			this.interfaces.set(point.key, id);
			out.push(interfaceDescription(point));
		}
		const fresh: Array<{ip: string; name: string}> = [];
		for (const ip of addresses) {
			if (this.named.has(ip)) continue;
			this.named.add(ip);
			const name = this.names.get(ip);
			if (name !== undefined) fresh.push({ip, name});
		}
		if (fresh.length > 0) out.push(nameResolution(fresh));
		out.push(enhancedPacket(id, packet.seconds, packet.micros, packet.origLen, packet.data));
		return out;
	}
}
