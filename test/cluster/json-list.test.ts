// parseListItems must read exactly what JSON.parse reads, however the strings inside look.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseListItems} from '../../source/cluster/json-list.js';

function both(text: string): void {
	const items: unknown[] = [];
	const envelope = parseListItems(text, raw => items.push(raw));
	const whole = JSON.parse(text) as Record<string, unknown>;
	assert.deepEqual(items, whole['items'] ?? []);
	assert.deepEqual(envelope, {...whole, ...('items' in whole ? {items: []} : {})});
}

test('items with strings full of braces, brackets, quotes and backslashes', () => {
	both(JSON.stringify({
		kind: 'PodList',
		metadata: {resourceVersion: '12', continue: 'eyJ2Ijoi"}]'},
		items: [
			{metadata: {name: 'a', annotations: {x: '{"items":[1,2]}', y: 'ends with \\', z: '\\"}]'}}},
			{metadata: {name: 'b'}, spec: {volumes: [{configMap: {items: [{key: 'k', path: 'p'}]}}]}},
			{metadata: {name: 'ünïcødé ✓'}},
		],
	}));
});

test('items first, empty items, no items, pretty-printed', () => {
	both('{"items":[{"a":1}],"kind":"List","metadata":{"resourceVersion":"3"}}');
	both('{"kind":"PodList","metadata":{},"items":[]}');
	both('{"kind":"Status","code":500,"details":{"items":[1]}}');
	both(JSON.stringify({kind: 'PodList', metadata: {resourceVersion: '9'}, items: [{a: [1, {b: '}'}]}, {c: null}]}, null, 2));
});

test('not a list: a SyntaxError, as JSON.parse gives', () => {
	assert.throws(() => parseListItems('<html>502 Bad Gateway</html>', () => {}), SyntaxError);
	assert.throws(() => parseListItems('{"items":[{"a":1}', () => {}), SyntaxError);
	assert.throws(() => parseListItems('[1,2]', () => {}), SyntaxError);
});
