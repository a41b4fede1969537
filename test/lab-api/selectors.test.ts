// The selector parsers, against the apiserver's grammar and matching rules.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector} from '../../source/lab/api/selectors.js';

const labels = {app: 'web', tier: 'front', run: 'web-0'};

function match(selector: string, l: Record<string, string> = labels): boolean {
	const parsed = parseLabelSelector(selector);
	if (!parsed.ok) throw new Error(parsed.message);
	return matchesLabels(parsed.value, l);
}

test('label selector operators', () => {
	assert.equal(match(''), true);
	assert.equal(match('app=web'), true);
	assert.equal(match('app==web'), true);
	assert.equal(match('app=db'), false);
	assert.equal(match('app!=db'), true);
	assert.equal(match('missing!=x'), true, '!= matches objects without the label, as in Kubernetes');
	assert.equal(match('app in (db, web)'), true);
	assert.equal(match('app in (db)'), false);
	assert.equal(match('app notin (db,cache)'), true);
	assert.equal(match('app notin (web)'), false);
	assert.equal(match('tier'), true);
	assert.equal(match('missing'), false);
	assert.equal(match('!missing'), true);
	assert.equal(match('!app'), false);
	assert.equal(match('app in (web,db),tier=front,!missing'), true);
	assert.equal(match('app in (web,db),tier=back'), false);
	assert.equal(match('example.com/role=x', {'example.com/role': 'x'}), true);
});

test('label selector syntax errors are values', () => {
	for (const bad of ['app in web', 'a=b=c', '=x', 'app in (web']) {
		const parsed = parseLabelSelector(bad);
		assert.equal(parsed.ok, false, bad);
	}
});

test('field selectors: supported fields only, = == !=', () => {
	const parsed = parseFieldSelector('spec.nodeName=n1,status.phase!=Pending,metadata.namespace==lab', ['spec.nodeName', 'status.phase', 'metadata.namespace']);
	assert.ok(parsed.ok);
	if (!parsed.ok) return;
	assert.equal(matchesFields(parsed.value, {'spec.nodeName': 'n1', 'status.phase': 'Running', 'metadata.namespace': 'lab'}), true);
	assert.equal(matchesFields(parsed.value, {'spec.nodeName': 'n1', 'status.phase': 'Pending', 'metadata.namespace': 'lab'}), false);
	assert.equal(matchesFields(parsed.value, {'spec.nodeName': 'n2', 'status.phase': 'Running', 'metadata.namespace': 'lab'}), false);
	assert.deepEqual(parseFieldSelector('spec.color=red', ['spec.nodeName']), {ok: false, message: 'field label not supported: spec.color'});
	const empty = parseFieldSelector('spec.nodeName=', ['spec.nodeName']);
	assert.ok(empty.ok && matchesFields(empty.value, {'spec.nodeName': ''}), 'spec.nodeName= selects unscheduled pods');
});
