import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {NEEDS_SCRIPT, describeNeeds, installCommand, parseNeeds} from '../../source/node/remote/node-needs.js';
import {needs as prerequisites} from '../support/prerequisites.js';

test('parses the check and says what to install, through the same way in', () => {
	const needs = parseNeeds('uid 0\nmiss tcpdump\nos debian\n');
	assert.deepEqual(needs, {uid: 0, sudo: false, missing: ['tcpdump'], os: ['debian']});
	assert.deepEqual(describeNeeds(needs, 'docker exec minikube'), {
		reason: 'missing on the node: tcpdump',
		hint: "install: docker exec minikube sh -c 'apt-get update && apt-get install -y tcpdump'",
	});
	const sudo = parseNeeds('uid 1000\nsudo\nmiss ip\nmiss bridge\nmiss setpriv\nos ubuntu\nos debian\n');
	assert.equal(describeNeeds(sudo, 'ssh core@10.0.0.5')?.hint, "install: ssh core@10.0.0.5 sudo sh -c 'apt-get update && apt-get install -y iproute2 util-linux'");
	assert.equal(describeNeeds(parseNeeds('uid 0\nos alpine\n'), 'x'), null);
	assert.match(describeNeeds(parseNeeds('uid 1000\nos debian\n'), 'ssh u@h')!.reason, /uid 1000 without password-less sudo/);
});

test('install commands per distribution', () => {
	assert.equal(installCommand(['tcpdump', 'nsenter'], ['alpine']), 'apk add tcpdump util-linux');
	assert.equal(installCommand(['ip'], ['rocky', 'rhel', 'centos', 'fedora']), 'dnf install -y iproute');
});

test('the check script runs in a real sh and finds this machine complete', {skip: prerequisites({root: true, tools: ['sh', 'ip', 'nsenter', 'tcpdump']})}, () => {
	const needs = parseNeeds(execFileSync('sh', ['-c', NEEDS_SCRIPT], {encoding: 'utf8'}));
	assert.equal(needs.uid, 0);
	assert.deepEqual(needs.missing, []);
	assert.ok(needs.os.length > 0);
});
