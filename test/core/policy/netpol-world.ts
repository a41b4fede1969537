// The world the e2e netpol suite tests in, rebuilt from its description: namespaces x, y, z, each
// with pods a, b, c, all on one node, plus builders for policies written as in the API. Cases state
// the expected reachability as a 9×9 matrix (rows: from, columns: to; '.' allowed, 'X' denied,
// '?' unknown), compared cell by cell with both truthTable and evaluateConnection.
import assert from 'node:assert/strict';
import {compilePolicies, type PolicyModel} from '../../../source/core/policy/compile-policies.js';
import {evaluateConnection} from '../../../source/core/policy/evaluate-connection.js';
import {truthTable} from '../../../source/core/policy/truth-table.js';
import type {LabelSelector, NetworkPolicy, PolicyNamespace, PolicyPeer, PolicyPod, PolicyPort, PolicyRule, Protocol, Verdict} from '../../../source/core/policy/types.js';

export const NODE = 'node-1';
export const NODE_IP = '192.168.1.1';

/** x and y have a team label, z has none; every namespace has the label the apiserver adds. */
export const namespaces: PolicyNamespace[] = [
	{name: 'x', labels: {'kubernetes.io/metadata.name': 'x', ns: 'x', team: 'blue'}},
	{name: 'y', labels: {'kubernetes.io/metadata.name': 'y', ns: 'y', team: 'red'}},
	{name: 'z', labels: {'kubernetes.io/metadata.name': 'z', ns: 'z'}},
];

/**
 * Pod x/b is 10.244.0.11 (namespace index, pod index + 10). Every pod serves tcp-80, tcp-81,
 * udp-80, udp-81, sctp-80, sctp-81 by name, and one port named `http`: 8080 in y, 80 elsewhere,
 * so a named port is seen to resolve per destination.
 */
export function worldPod(ns: string, name: string): PolicyPod {
	const i = ['x', 'y', 'z'].indexOf(ns);
	const j = ['a', 'b', 'c'].indexOf(name);
	const ports: PolicyPod['ports'] = [];
	for (const protocol of ['TCP', 'UDP', 'SCTP']) for (const port of [80, 81]) ports.push({name: `${protocol.toLowerCase()}-${port}`, port, protocol});
	ports.push({name: 'http', port: ns === 'y' ? 8080 : 80, protocol: 'TCP'});
	return {namespace: ns, name, labels: {pod: name}, nodeName: NODE, hostNetwork: false, ips: [`10.244.${i}.${j + 10}`], ports};
}

export const pods: PolicyPod[] = ['x', 'y', 'z'].flatMap(ns => ['a', 'b', 'c'].map(name => worldPod(ns, name)));

export function sel(matchLabels: Record<string, string> = {}, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector {
	return {matchLabels, matchExpressions};
}

export function peer(p: Partial<PolicyPeer>): PolicyPeer {
	return {podSelector: null, namespaceSelector: null, ipBlock: null, ...p};
}

export function tcp(port: number | string | null, endPort: number | null = null): PolicyPort {
	return {protocol: 'TCP', port, endPort};
}

export function rule(peers: PolicyPeer[] = [], ports: PolicyPort[] = []): PolicyRule {
	return {peers, ports};
}

export function policy(namespace: string, name: string, p: Partial<Omit<NetworkPolicy, 'namespace' | 'name'>> = {}): NetworkPolicy {
	return {namespace, name, podSelector: sel(), policyTypes: null, ingress: [], egress: [], ...p};
}

const symbol: Record<Verdict, string> = {allowed: '.', denied: 'X', unknown: '?'};

function render(names: string[], cells: string[][]): string {
	return [`    ${names.join(' ')}`, ...names.map((n, i) => `${n} ${cells[i]!.map(c => ` ${c} `).join(' ')}`.trimEnd())].join('\n');
}

/** A matrix as the cases write it: a header of names, then one row per source. */
function parse(expected: string): {names: string[]; cells: string[][]} {
	const lines = expected.split('\n').map(l => l.trim()).filter(l => l !== '');
	const names = lines[0]!.split(/\s+/);
	const cells = lines.slice(1).map((l, i) => {
		const [name, ...row] = l.split(/\s+/);
		assert.equal(name, names[i], `row ${i} of the expected matrix is ${name}, not ${names[i]}`);
		assert.equal(row.length, names.length, `row ${name} has ${row.length} cells`);
		return row;
	});
	assert.equal(cells.length, names.length, 'the expected matrix is not square');
	return {names, cells};
}

/** Checks every cell through truthTable and through evaluateConnection; shows the whole matrix on a miss. */
export function expectMatrix(policies: NetworkPolicy[], port: number, protocol: Protocol, expected: string, o: {namespaces?: PolicyNamespace[] | null; pods?: PolicyPod[]} = {}): PolicyModel {
	const world = o.pods ?? pods;
	const model = compilePolicies(policies, o.namespaces === undefined ? namespaces : o.namespaces, world);
	const {names, cells: want} = parse(expected);
	assert.deepEqual(names, world.map(p => `${p.namespace}/${p.name}`));
	const table = truthTable(model, port, protocol);
	const got = table.cells.map(row => row.map(c => symbol[c.verdict]));
	const single = world.map(a => world.map(b => symbol[evaluateConnection(model, {kind: 'pod', pod: a}, {kind: 'pod', pod: b}, port, protocol).verdict]));
	assert.equal(render(names, single), render(names, got), 'evaluateConnection and truthTable disagree');
	assert.equal(render(names, got), render(names, want), `reachability on ${port}/${protocol}`);
	return model;
}

export const allAllowed = `
	x/a x/b x/c y/a y/b y/c z/a z/b z/c
	x/a  .   .   .   .   .   .   .   .   .
	x/b  .   .   .   .   .   .   .   .   .
	x/c  .   .   .   .   .   .   .   .   .
	y/a  .   .   .   .   .   .   .   .   .
	y/b  .   .   .   .   .   .   .   .   .
	y/c  .   .   .   .   .   .   .   .   .
	z/a  .   .   .   .   .   .   .   .   .
	z/b  .   .   .   .   .   .   .   .   .
	z/c  .   .   .   .   .   .   .   .   .
`;
