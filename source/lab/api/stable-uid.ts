// A uid that stays the same for the same object across API daemon restarts, shaped as a v4 UUID.
import {createHash} from 'node:crypto';

export function stableUid(seed: string): string {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
