// The lab's kube-proxy rules are what kube-proxy's own readers read: rendered from a lab state,
// loaded into a network namespace of our own with iptables-restore / nft -f, read back with
// iptables-save / nft -j, parsed with source/node/rules and joined with the lab API's Services and
// EndpointSlices (through source/cluster/services.ts's mapping): no mismatch, every endpoint in the
// rules, the probabilities kube-proxy writes. Kernel part: root, under the machine lock:
//   flock /tmp/k8snet-lab.flock npm test -- test/lab/services-rules
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, test} from 'node:test';
import {toEndpointSlice, toService} from '../../source/cluster/services.js';
import {joinServiceRules} from '../../source/core/service-rules/join-endpoints.js';
import type {RulesModel} from '../../source/core/service-rules/types.js';
import {labServiceObjects} from '../../source/lab/api/services-objects.js';
import type {LabService, LabState} from '../../source/lab/lab-state.js';
import {renderIptables, statisticProbability} from '../../source/lab/proxy/iptables-render.js';
import {renderNft} from '../../source/lab/proxy/nft-render.js';
import {proxyPorts} from '../../source/lab/proxy/proxy-services.js';
import {iptablesRulesModel} from '../../source/node/rules/iptables-model.js';
import {parseIptablesSave} from '../../source/node/rules/iptables-save.js';
import {parseNftJson} from '../../source/node/rules/nft-json.js';
import {nftRulesModel} from '../../source/node/rules/nft-model.js';
import {labPod, labState} from '../lab-api/lab-api-fixture.js';
import {needs} from '../support/prerequisites.js';

const svc = (name: string, selector: Record<string, string>, clusterIP: string, o: Partial<LabService> = {}): LabService => ({
	namespace: 'default',
	name,
	uid: `00000000-0000-4000-a000-${clusterIP.split('.').map((x) => x.padStart(3, '0')).join('')}`,
	clusterIP,
	type: 'ClusterIP',
	ports: [{name: '80-80', port: 80, targetPort: 80, protocol: 'TCP'}],
	selector,
	createdAt: '2026-12-01T00:00:00.000Z',
	...o,
});

/** web-0..2 and db-0 in default, web-9 in lab (another namespace: never an endpoint of default/web). */
function state(): LabState {
	const pods = [labPod('default', 'web-0', 0), labPod('default', 'web-1', 1), labPod('default', 'web-2', 2), labPod('default', 'db-0', 3), labPod('lab', 'web-9', 4)];
	const s = labState(pods, {proxy: 'iptables'});
	s.services = [
		svc('web', {app: 'web'}, '10.96.0.10'),
		svc('db', {app: 'db'}, '10.96.0.11', {type: 'NodePort', ports: [{name: '5432-81', port: 5432, targetPort: 81, protocol: 'UDP', nodePort: 30081}]}),
		svc('nothing', {app: 'none'}, '10.96.0.12', {type: 'NodePort', ports: [{name: '80-80', port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30080}]}),
	];
	return s;
}

function api(s: LabState) {
	const o = labServiceObjects(s);
	return {services: o.services.map(toService).filter((x) => x !== null), slices: o.endpointslices.map(toEndpointSlice).filter((x) => x !== null)};
}

function checkJoin(model: RulesModel | null, s: LabState): void {
	assert.ok(model !== null, 'the rules read back as kube-proxy rules');
	const {services, slices} = api(s);
	const join = joinServiceRules(model, services, slices, {nodeName: 'k8snet-lab'});
	assert.deepEqual(join.problems, []);
	const web = join.ports.find((p) => p.name === 'web');
	assert.deepEqual(web?.endpoints.map((e) => [e.pod, e.inRules, e.ready]), [['default/web-0', true, true], ['default/web-1', true, true], ['default/web-2', true, true]]);
	const webRules = web?.rules[0];
	assert.deepEqual(webRules?.endpoints.map((e) => Math.round((e.probability ?? 0) * 1000) / 1000), [0.333, 0.333, 0.333]);
	assert.ok((webRules?.masquerade.length ?? 0) > 0, 'KUBE-MARK-MASQ / mark-for-masquerade on the way');
	const db = join.ports.find((p) => p.name === 'db');
	assert.deepEqual(db?.endpoints.map((e) => `${e.ip}:${e.port}`), ['10.244.0.5:81']);
	assert.ok(db?.rules[0]?.frontends.some((f) => f.kind === 'nodePort' && f.port === 30081));
	const nothing = join.ports.find((p) => p.name === 'nothing');
	assert.ok((nothing?.rules[0]?.rejects.length ?? 0) >= 1, 'a Service without endpoints is rejected');
}

test('kube-proxy\'s statistic probabilities: 1/3, then 1/2 of the rest, then none', () => {
	assert.deepEqual([0, 1].map((i) => statisticProbability(3, i)), ['0.3333333333', '0.5000000000']);
	const text = renderIptables(proxyPorts(state()));
	assert.match(text, /-A KUBE-SVC-\w+ -m comment --comment "default\/web:80-80 -> 10\.244\.0\.2:80" -m statistic --mode random --probability 0\.3333333333 -j KUBE-SEP-\w+/);
	assert.match(text, /-A KUBE-SERVICES -m comment --comment "default\/nothing:80-80 has no endpoints" -m tcp -p tcp -d 10\.96\.0\.12 --dport 80 -j REJECT/);
});

test('the rendered rules, parsed without the kernel, join with the lab API with no mismatch', () => {
	const s = state();
	const text = renderIptables(proxyPorts(s));
	checkJoin(iptablesRulesModel(parseIptablesSave(text)), s);
});

const skip = needs({root: true, tools: ['ip', 'iptables-restore', 'iptables-save', 'nft']});
const NS = 'k8snet-svc-rules-test';
const inNs = (cmd: string, args: string[], input?: string) => execFileSync('ip', ['netns', 'exec', NS, cmd, ...args], {input, encoding: 'utf8'});
const removeNs = () => {
	try {
		execFileSync('ip', ['netns', 'del', NS], {stdio: 'ignore'});
	} catch {
		// Not there: the usual case.
	}
};

before(() => {
	if (skip) return;
	removeNs();
	execFileSync('ip', ['netns', 'add', NS]);
});

after(() => {
	if (!skip) removeNs();
});

test('iptables-nft: restored, read back with iptables-save, parsed and joined: no mismatch', {skip}, () => {
	const s = state();
	inNs('iptables-restore', [], renderIptables(proxyPorts(s)));
	const live = ['nat', 'filter'].map((t) => inNs('iptables-save', ['-t', t])).join('');
	checkJoin(iptablesRulesModel(parseIptablesSave(live)), s);
	// A second sync without a Service leaves none of its chains: the restore is whole.
	const fewer = {...s, services: s.services?.slice(1)};
	inNs('iptables-restore', [], renderIptables(proxyPorts(fewer)));
	const after = inNs('iptables-save', ['-t', 'nat']);
	assert.doesNotMatch(after, /default\/web:/);
	assert.match(after, /default\/db:5432-81/);
});

test('nftables: loaded with nft -f, read back with nft -j, parsed and joined: no mismatch; a re-sync replaces it whole', {skip}, () => {
	const s = {...state(), options: {...state().options, proxy: 'nftables' as const}};
	inNs('nft', ['-f', '-'], renderNft(proxyPorts(s), '198.51.100.2'));
	inNs('nft', ['-f', '-'], renderNft(proxyPorts(s), '198.51.100.2'));
	const model = nftRulesModel(parseNftJson(inNs('nft', ['-j', 'list', 'table', 'ip', 'kube-proxy']))!);
	checkJoin(model, s);
	assert.match(inNs('nft', ['list', 'table', 'ip', 'kube-proxy']), /numgen random mod 3 vmap \{ 0 : goto endpoint-\w{8}-default\/web\/tcp\/80-80__10\.244\.0\.2\/80/);
});
