// Reachability matrices in the e2e netpol suite's style (namespaces x, y, z; pods a, b, c), one
// per rule of the NetworkPolicy spec. The cases are written from the spec's text: each says which
// sentence it checks.
import {test} from 'node:test';
import {allAllowed, expectMatrix, namespaces, peer, policy, rule, sel, tcp} from './netpol-world.js';

const denyIngressX = policy('x', 'deny-ingress');

test('no policy: every pod reaches every pod', () => {
	expectMatrix([], 80, 'TCP', allAllowed);
});

test('an ingress deny-all (podSelector {}, no rules) isolates every pod of its namespace; a pod still reaches itself', () => {
	expectMatrix([denyIngressX], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   X   X   .   .   .   .   .   .
		x/b  X   .   X   .   .   .   .   .   .
		x/c  X   X   .   .   .   .   .   .   .
		y/a  X   X   X   .   .   .   .   .   .
		y/b  X   X   X   .   .   .   .   .   .
		y/c  X   X   X   .   .   .   .   .   .
		z/a  X   X   X   .   .   .   .   .   .
		z/b  X   X   X   .   .   .   .   .   .
		z/c  X   X   X   .   .   .   .   .   .
	`);
});

test('an egress deny-all needs policyTypes [Egress]: the connection needs the source\'s egress', () => {
	expectMatrix([policy('x', 'deny-egress', {policyTypes: ['Egress']})], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   X   X   X   X   X   X   X   X
		x/b  X   .   X   X   X   X   X   X   X
		x/c  X   X   .   X   X   X   X   X   X
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
});

const aEgressToB = {podSelector: sel({pod: 'a'}), egress: [rule([peer({podSelector: sel({pod: 'b'})})])]};

test('policyTypes left out: Ingress always, Egress because there are egress rules', () => {
	expectMatrix([policy('x', 'a-to-b', aEgressToB)], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   X   X   X   X   X   X   X
		x/b  X   .   .   .   .   .   .   .   .
		x/c  X   .   .   .   .   .   .   .   .
		y/a  X   .   .   .   .   .   .   .   .
		y/b  X   .   .   .   .   .   .   .   .
		y/c  X   .   .   .   .   .   .   .   .
		z/a  X   .   .   .   .   .   .   .   .
		z/b  X   .   .   .   .   .   .   .   .
		z/c  X   .   .   .   .   .   .   .   .
	`);
});

test('policyTypes [Egress] alone leaves ingress open', () => {
	expectMatrix([policy('x', 'a-to-b', {...aEgressToB, policyTypes: ['Egress']})], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   X   X   X   X   X   X   X
		x/b  .   .   .   .   .   .   .   .   .
		x/c  .   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
});

test('policyTypes [Ingress] with egress rules: the egress rules do nothing', () => {
	const p = policy('x', 'ingress-only', {podSelector: sel({pod: 'a'}), policyTypes: ['Ingress'], ingress: [rule()], egress: [rule([peer({podSelector: sel({pod: 'b'})})])]});
	expectMatrix([p], 80, 'TCP', allAllowed);
});

test('a peer podSelector {} alone takes every pod of the policy\'s own namespace', () => {
	expectMatrix([policy('x', 'same-ns', {ingress: [rule([peer({podSelector: sel()})])]})], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  .   .   .   .   .   .   .   .   .
		x/c  .   .   .   .   .   .   .   .   .
		y/a  X   X   X   .   .   .   .   .   .
		y/b  X   X   X   .   .   .   .   .   .
		y/c  X   X   X   .   .   .   .   .   .
		z/a  X   X   X   .   .   .   .   .   .
		z/b  X   X   X   .   .   .   .   .   .
		z/c  X   X   X   .   .   .   .   .   .
	`);
});

test('a namespaceSelector alone takes every pod of the namespaces it selects', () => {
	const p = policy('x', 'from-y', {podSelector: sel({pod: 'a'}), ingress: [rule([peer({namespaceSelector: sel({ns: 'y'})})])]});
	expectMatrix([p], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  X   .   .   .   .   .   .   .   .
		x/c  X   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  X   .   .   .   .   .   .   .   .
		z/b  X   .   .   .   .   .   .   .   .
		z/c  X   .   .   .   .   .   .   .   .
	`);
});

test('namespaceSelector and podSelector in one peer: both must hold', () => {
	const p = policy('x', 'from-y-b', {podSelector: sel({pod: 'a'}), ingress: [rule([peer({namespaceSelector: sel({ns: 'y'}), podSelector: sel({pod: 'b'})})])]});
	expectMatrix([p], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  X   .   .   .   .   .   .   .   .
		x/c  X   .   .   .   .   .   .   .   .
		y/a  X   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  X   .   .   .   .   .   .   .   .
		z/a  X   .   .   .   .   .   .   .   .
		z/b  X   .   .   .   .   .   .   .   .
		z/c  X   .   .   .   .   .   .   .   .
	`);
});

test('namespaceSelector and podSelector as two peers: either one is enough', () => {
	const p = policy('x', 'from-y-or-b', {podSelector: sel({pod: 'a'}), ingress: [rule([peer({namespaceSelector: sel({ns: 'y'})}), peer({podSelector: sel({pod: 'b'})})])]});
	expectMatrix([p], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  .   .   .   .   .   .   .   .   .
		x/c  X   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  X   .   .   .   .   .   .   .   .
		z/b  X   .   .   .   .   .   .   .   .
		z/c  X   .   .   .   .   .   .   .   .
	`);
});

function fromNamespaces(expression: {key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[]}) {
	return policy('x', `from-team-${expression.operator}`, {podSelector: sel({pod: 'a'}), ingress: [rule([peer({namespaceSelector: sel({}, [expression])})])]});
}

test('matchExpressions Exists: namespaces x and y have a team label, z has none', () => {
	expectMatrix([fromNamespaces({key: 'team', operator: 'Exists', values: []})], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  .   .   .   .   .   .   .   .   .
		x/c  .   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  X   .   .   .   .   .   .   .   .
		z/b  X   .   .   .   .   .   .   .   .
		z/c  X   .   .   .   .   .   .   .   .
	`);
});

test('matchExpressions DoesNotExist', () => {
	expectMatrix([fromNamespaces({key: 'team', operator: 'DoesNotExist', values: []})], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  X   .   .   .   .   .   .   .   .
		x/c  X   .   .   .   .   .   .   .   .
		y/a  X   .   .   .   .   .   .   .   .
		y/b  X   .   .   .   .   .   .   .   .
		y/c  X   .   .   .   .   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
});

test('matchExpressions NotIn takes a namespace without the key', () => {
	expectMatrix([fromNamespaces({key: 'team', operator: 'NotIn', values: ['red']})], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  .   .   .   .   .   .   .   .   .
		x/c  .   .   .   .   .   .   .   .   .
		y/a  X   .   .   .   .   .   .   .   .
		y/b  X   .   .   .   .   .   .   .   .
		y/c  X   .   .   .   .   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
});

test('matchExpressions In on pods, in every namespace (namespaceSelector {})', () => {
	const p = policy('x', 'from-b-c', {
		podSelector: sel({pod: 'a'}),
		ingress: [rule([peer({namespaceSelector: sel(), podSelector: sel({}, [{key: 'pod', operator: 'In', values: ['b', 'c']}])})])],
	});
	expectMatrix([p], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  .   .   .   .   .   .   .   .   .
		x/c  .   .   .   .   .   .   .   .   .
		y/a  X   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  X   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
});

const intoXaOnlySelf = `
	x/a x/b x/c y/a y/b y/c z/a z/b z/c
	x/a  .   .   .   .   .   .   .   .   .
	x/b  X   .   .   .   .   .   .   .   .
	x/c  X   .   .   .   .   .   .   .   .
	y/a  X   .   .   .   .   .   .   .   .
	y/b  X   .   .   .   .   .   .   .   .
	y/c  X   .   .   .   .   .   .   .   .
	z/a  X   .   .   .   .   .   .   .   .
	z/b  X   .   .   .   .   .   .   .   .
	z/c  X   .   .   .   .   .   .   .   .
`;

test('a rule with no from takes every source; no ingress rules at all take none', () => {
	expectMatrix([policy('x', 'any-source', {podSelector: sel({pod: 'a'}), ingress: [rule()]})], 80, 'TCP', allAllowed);
	expectMatrix([policy('x', 'no-rules', {podSelector: sel({pod: 'a'}), policyTypes: ['Ingress']})], 80, 'TCP', intoXaOnlySelf);
	expectMatrix([policy('x', 'any-destination', {podSelector: sel({pod: 'a'}), policyTypes: ['Egress'], egress: [rule()]})], 80, 'TCP', allAllowed);
});

const intoXOnlyFromX = `
	x/a x/b x/c y/a y/b y/c z/a z/b z/c
	x/a  .   X   X   .   .   .   .   .   .
	x/b  X   .   X   .   .   .   .   .   .
	x/c  X   X   .   .   .   .   .   .   .
	y/a  X   X   X   .   .   .   .   .   .
	y/b  X   X   X   .   .   .   .   .   .
	y/c  X   X   X   .   .   .   .   .   .
	z/a  X   X   X   .   .   .   .   .   .
	z/b  X   X   X   .   .   .   .   .   .
	z/c  X   X   X   .   .   .   .   .   .
`;

test('ports: a number, a named port of the destination, and a range with endPort', () => {
	const number = policy('x', 'port-80', {ingress: [rule([], [tcp(80)])]});
	expectMatrix([number], 80, 'TCP', allAllowed);
	expectMatrix([number], 81, 'TCP', intoXOnlyFromX);
	const named = policy('x', 'port-tcp-81', {ingress: [rule([], [tcp('tcp-81')])]});
	expectMatrix([named], 81, 'TCP', allAllowed);
	expectMatrix([named], 80, 'TCP', intoXOnlyFromX);
	const range = policy('x', 'ports-80-81', {ingress: [rule([], [tcp(80, 81)])]});
	expectMatrix([range], 81, 'TCP', allAllowed);
	expectMatrix([range], 82, 'TCP', intoXOnlyFromX);
});

test('an egress rule\'s named port resolves against each destination: http is 8080 in y, 80 elsewhere', () => {
	const p = policy('x', 'egress-http', {podSelector: sel({pod: 'a'}), policyTypes: ['Egress'], egress: [rule([], [tcp('http')])]});
	expectMatrix([p], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   X   X   X   .   .   .
		x/b  .   .   .   .   .   .   .   .   .
		x/c  .   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
	expectMatrix([p], 8080, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   X   X   .   .   .   X   X   X
		x/b  .   .   .   .   .   .   .   .   .
		x/c  .   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
});

test('protocols: a rule takes only its own protocol (TCP when left out), and a named port must be of that protocol', () => {
	const sctp = policy('x', 'sctp-80', {ingress: [rule([], [{protocol: 'SCTP', port: 80, endPort: null}])]});
	expectMatrix([sctp], 80, 'SCTP', allAllowed);
	expectMatrix([sctp], 80, 'TCP', intoXOnlyFromX);
	expectMatrix([sctp], 80, 'UDP', intoXOnlyFromX);
	const anyUdp = policy('x', 'any-udp', {ingress: [rule([], [{protocol: 'UDP', port: null, endPort: null}])]});
	expectMatrix([anyUdp], 81, 'UDP', allAllowed);
	expectMatrix([anyUdp], 81, 'TCP', intoXOnlyFromX);
	// udp-80 is a UDP port: a TCP rule naming it resolves to nothing.
	const tcpNamingUdp = policy('x', 'tcp-udp-80', {ingress: [rule([], [tcp('udp-80')])]});
	expectMatrix([tcpNamingUdp], 80, 'TCP', intoXOnlyFromX);
	expectMatrix([tcpNamingUdp], 80, 'UDP', intoXOnlyFromX);
});

test('ipBlock with except, for pod addresses too (y/b is 10.244.1.11)', () => {
	const p = policy('x', 'egress-cidr', {
		podSelector: sel({pod: 'a'}),
		policyTypes: ['Egress'],
		egress: [rule([peer({ipBlock: {cidr: '10.244.1.0/24', except: ['10.244.1.11/32']}})])],
	});
	expectMatrix([p], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   X   X   .   X   .   X   X   X
		x/b  .   .   .   .   .   .   .   .   .
		x/c  .   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
});

test('both directions: x may only send to y, and y only takes from z', () => {
	const xToY = policy('x', 'egress-to-y', {policyTypes: ['Egress'], egress: [rule([peer({namespaceSelector: sel({ns: 'y'})})])]});
	const yFromZ = policy('y', 'ingress-from-z', {ingress: [rule([peer({namespaceSelector: sel({ns: 'z'})})])]});
	expectMatrix([xToY, yFromZ], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   X   X   X   X   X   X   X   X
		x/b  X   .   X   X   X   X   X   X   X
		x/c  X   X   .   X   X   X   X   X   X
		y/a  .   .   .   .   X   X   .   .   .
		y/b  .   .   .   X   .   X   .   .   .
		y/c  .   .   .   X   X   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`);
});

test('policies add up: one allows from y, another from z, and a deny-all changes nothing', () => {
	const fromY = policy('x', 'from-y', {podSelector: sel({pod: 'a'}), ingress: [rule([peer({namespaceSelector: sel({ns: 'y'})})])]});
	const fromZ = policy('x', 'from-z', {podSelector: sel({pod: 'a'}), ingress: [rule([peer({namespaceSelector: sel({ns: 'z'})})])]});
	const fromYZ = `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  X   .   .   .   .   .   .   .   .
		x/c  X   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  .   .   .   .   .   .   .   .   .
		z/b  .   .   .   .   .   .   .   .   .
		z/c  .   .   .   .   .   .   .   .   .
	`;
	expectMatrix([fromY, fromZ], 80, 'TCP', fromYZ);
	expectMatrix([fromY, fromZ, policy('x', 'deny-a', {podSelector: sel({pod: 'a'})})], 80, 'TCP', fromYZ);
});

test('namespace labels that are unknown make a namespaceSelector\'s answer unknown, never a guess', () => {
	const p = policy('x', 'from-red-or-b', {
		podSelector: sel({pod: 'a'}),
		ingress: [rule([peer({namespaceSelector: sel({team: 'red'})}), peer({podSelector: sel({pod: 'b'})})])],
	});
	// The namespaces could not be listed: only the same-namespace peer is known.
	expectMatrix([p], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  .   .   .   .   .   .   .   .   .
		x/c  ?   .   .   .   .   .   .   .   .
		y/a  ?   .   .   .   .   .   .   .   .
		y/b  ?   .   .   .   .   .   .   .   .
		y/c  ?   .   .   .   .   .   .   .   .
		z/a  ?   .   .   .   .   .   .   .   .
		z/b  ?   .   .   .   .   .   .   .   .
		z/c  ?   .   .   .   .   .   .   .   .
	`, {namespaces: null});
	// z is missing from the list (made after it): z alone is unknown.
	expectMatrix([p], 80, 'TCP', `
		x/a x/b x/c y/a y/b y/c z/a z/b z/c
		x/a  .   .   .   .   .   .   .   .   .
		x/b  .   .   .   .   .   .   .   .   .
		x/c  X   .   .   .   .   .   .   .   .
		y/a  .   .   .   .   .   .   .   .   .
		y/b  .   .   .   .   .   .   .   .   .
		y/c  .   .   .   .   .   .   .   .   .
		z/a  ?   .   .   .   .   .   .   .   .
		z/b  ?   .   .   .   .   .   .   .   .
		z/c  ?   .   .   .   .   .   .   .   .
	`, {namespaces: namespaces.filter(n => n.name !== 'z')});
	// namespaceSelector {} takes every namespace whatever its labels: known even without them.
	const anyNs = policy('x', 'from-any-ns', {podSelector: sel({pod: 'a'}), ingress: [rule([peer({namespaceSelector: sel()})])]});
	expectMatrix([anyNs], 80, 'TCP', allAllowed, {namespaces: null});
});
