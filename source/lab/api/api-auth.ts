// The bearer token check. Compared in constant time: a plain !== returns sooner the earlier the
// first wrong byte, which lets a client guess the token byte by byte from response times.
import {createHash, timingSafeEqual} from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the Authorization header carries `token`. Hashing first gives timingSafeEqual equal lengths. */
export function bearerMatches(header: string | undefined, token: string): boolean {
	return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}
