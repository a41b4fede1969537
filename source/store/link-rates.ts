// Byte and packet rates per interface, from two successive node snapshots. Pure.
import type {NodeNetSnapshot} from '../core/types.js';

export interface LinkRate {
	rxBps: number;
	txBps: number;
	rxPps: number;
	txPps: number;
}

export function linkRates(previous: NodeNetSnapshot | null, current: NodeNetSnapshot): Map<string, LinkRate> {
	const rates = new Map<string, LinkRate>();
	if (!previous) return rates;
	const seconds = (current.takenAt - previous.takenAt) / 1000;
	if (seconds <= 0) return rates;
	const before = new Map(previous.links.map(link => [`${link.ifindex}:${link.ifname}`, link.stats]));
	for (const link of current.links) {
		const old = before.get(`${link.ifindex}:${link.ifname}`);
		const now = link.stats;
		// A counter that went down means the interface was recreated: no rate for this round.
		if (!old || !now || now.rxBytes < old.rxBytes || now.txBytes < old.txBytes) continue;
		rates.set(link.ifname, {
			rxBps: (now.rxBytes - old.rxBytes) / seconds,
			txBps: (now.txBytes - old.txBytes) / seconds,
			rxPps: (now.rxPackets - old.rxPackets) / seconds,
			txPps: (now.txPackets - old.txPackets) / seconds,
		});
	}

	return rates;
}
