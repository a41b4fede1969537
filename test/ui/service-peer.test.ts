// The path picker's Service rows and the probe's lines on the open path: pure.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseServicePeer, servicePeerUid} from '../../source/core/service-peer.js';
import type {Service} from '../../source/core/service-rules/types.js';
import {peerRows} from '../../source/ui/peer-rows.js';
import {routeLines} from '../../source/ui/route-model.js';
import {fixtureOpenPath} from './path-fixture.js';
import {fixtureState} from './tui-fixture.js';

const web: Service = {
	namespace: 'default', name: 'web', type: 'ClusterIP', clusterIPs: ['10.96.0.10'], externalIPs: [], loadBalancerIPs: [],
	internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster',
	ports: [{name: 'http', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: null}, {name: 'dns', protocol: 'UDP', port: 53, targetPort: 81, nodePort: null}, {name: 's', protocol: 'SCTP', port: 9, targetPort: 9, nodePort: null}],
};

test('a Service port round-trips through its picker uid; other uids are not Services', () => {
	const uid = servicePeerUid(web, web.ports[1]!);
	assert.deepEqual(parseServicePeer(uid), {namespace: 'default', name: 'web', port: 53, protocol: 'UDP'});
	assert.equal(parseServicePeer('uid-web-1'), null);
	assert.equal(parseServicePeer('svc:default/web:80/ICMP'), null);
});

test('the picker lists each Service port beside the pods, found by name or ClusterIP; SCTP is listed but not walkable', () => {
	const pods = [...fixtureState().pods.values()];
	const all = peerRows(pods, 'uid-web-1', 'svc/default/web', [web]);
	assert.deepEqual(all.map(r => r.label), ['svc/default/web:53/UDP', 'svc/default/web:8080', 'svc/default/web:9/SCTP']);
	assert.deepEqual(all.map(r => r.running), [true, true, false]);
	assert.equal(all[1]!.ip, '10.96.0.10');
	assert.equal(all[1]!.uid, 'svc:default/web:8080/TCP');
	assert.deepEqual(peerRows(pods, 'uid-web-1', '10.96.0', [web]).map(r => r.label).length, 3, 'found by ClusterIP');
	assert.ok(peerRows(pods, 'uid-web-1', '', [web]).some(r => r.uid.startsWith('uid-')), 'pods still listed');
});

test('the probe\'s answer is the open path\'s last line: result, who served it, the tool and answer, conntrack', () => {
	const path = fixtureOpenPath(false);
	const document = {...path.document!, probe: {tool: 'bash /dev/tcp', result: 'connected' as const, ms: 3, endpoint: {ip: '10.244.1.5', port: 80, pod: 'default/nginx-3'}, conntrack: 'tcp 6 119 TIME_WAIT src=… dst=…', answer: 'default/nginx-3', note: null}};
	const lines = routeLines({...path, document});
	const at = lines.findIndex(l => l.text.includes('probe:'));
	assert.equal(at, lines.length - 3, 'the last three lines');
	assert.equal(lines[at]!.text, '✓ probe: connected in 3 ms, served by default/nginx-3 (10.244.1.5:80)');
	assert.match(lines[at + 1]!.text, /with bash \/dev\/tcp · answer "default\/nginx-3"/);
	assert.match(lines[at + 2]!.text, /conntrack: tcp 6 119 TIME_WAIT/);
	const waiting = routeLines({...path, probing: true});
	assert.match(waiting.at(-1)!.text, /probe: sending one attempt/);
	const failed = routeLines({...path, document: {...document, probe: {...document.probe, result: null, ms: null, endpoint: null, conntrack: null, answer: null, tool: null, note: 'no probe tool on the node'}}});
	assert.deepEqual(failed.slice(-2).map(l => l.text), ['? probe: not run', '    no probe tool on the node']);
});
