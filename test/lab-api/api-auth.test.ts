// The bearer check: the right token passes; a wrong one, a prefix, another scheme or none fails.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {bearerMatches} from '../../source/lab/api/api-auth.js';

test('bearerMatches takes exactly "Bearer <token>"', () => {
	const token = 'a1b2c3d4e5f6';
	assert.equal(bearerMatches(`Bearer ${token}`, token), true);
	for (const header of [undefined, '', token, `Bearer ${token.slice(0, -1)}`, `Bearer ${token}x`, `Basic ${token}`, `bearer ${token}`]) {
		assert.equal(bearerMatches(header, token), false, String(header));
	}
});
