// Conntrack as the kernel printed it in the lab (test/fixtures/conntrack/record.sh: TCP and UDP from
// nginx-1 through kube-proxy's DNAT to two Services and a NodePort), parsed and told in the
// cluster's words. Pure: reads the recorded fixture.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {describeFlow, podFlows} from '../../source/core/flows.js';
import {parseConntrack, parseConntrackLine} from '../../source/node/conntrack/conntrack-text.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/conntrack/${name}`, import.meta.url), 'utf8');
const recorded = JSON.parse(fixture('lab-services.names.json')) as {pods: Record<string, string>; services: Record<string, string>};
const names = {pods: new Map(Object.entries(recorded.pods)), services: new Map(Object.entries(recorded.services))};
const entries = parseConntrack(fixture('lab-services.nf_conntrack.txt'));
const nginx1 = Object.entries(recorded.pods).find(([, p]) => p === 'default/nginx-1')![0];

test('every recorded line parses: both tuples, TCP state, flags', () => {
	const lines = fixture('lab-services.nf_conntrack.txt').trim().split('\n');
	assert.equal(entries.length, lines.length);
	const tcp = entries.find((e) => e.protocol === 'tcp' && e.orig.dport === 8080);
	assert.ok(tcp && tcp.state !== null && tcp.orig.src === nginx1 && tcp.orig.dst === '10.96.0.10');
	assert.ok(entries.some((e) => e.protocol === 'udp' && e.orig.dport === 53 && e.state === null));
});

test('a Service flow names the client, the Service and the endpoint the kernel chose (the reply\'s source)', () => {
	const flows = podFlows(entries, nginx1, names).filter((f) => f.to.service === 'default/web');
	assert.ok(flows.length >= 6, `six connects recorded, got ${flows.length}`);
	for (const f of flows) {
		assert.ok(f.servedBy?.pod?.startsWith('default/nginx-'), f.text);
		assert.equal(f.servedBy?.port, 80);
		assert.match(f.text, /^nginx-1 → svc\/web:8080 → served by nginx-\d \(10\.244\.\d\.\d+\) \[tcp [A-Z_]+\]$/);
	}

	const udp = podFlows(entries, nginx1, names).find((f) => f.to.service === 'default/dns');
	assert.match(udp?.text ?? '', /^nginx-1 → svc\/dns:53 → served by nginx-\d \(10\.244\.\d\.\d+\) \[udp/);
});

test('an address nobody holds stays an address; the conntrack -L -o extended prefix and a bare line both parse', () => {
	const line = 'ipv4     2 tcp      6 86398 ESTABLISHED src=10.244.0.2 dst=10.96.0.99 sport=41000 dport=443 src=10.9.9.9 dst=10.244.0.1 sport=8443 dport=41000 [ASSURED] mark=0 zone=0 use=2';
	const e = parseConntrackLine(line)!;
	const f = describeFlow(e, {pods: new Map([['10.244.0.2', 'default/web-0']]), services: new Map()});
	assert.equal(f.text, 'web-0 → 10.96.0.99:443 → served by 10.9.9.9:8443 [tcp ESTABLISHED]');
	assert.equal(f.snatTo, '10.244.0.1', 'masqueraded to the bridge address');
	assert.deepEqual(parseConntrackLine(line.replace(/^ipv4\s+2\s+/, '')), e);
	assert.equal(parseConntrackLine('garbage'), null);
	assert.ok(parseConntrackLine('ipv4 2 udp 17 29 src=10.244.0.2 dst=10.96.0.11 sport=5000 dport=53 [UNREPLIED] src=10.244.1.2 dst=10.244.0.2 sport=81 dport=5000 mark=0 use=1')?.unreplied);
});
