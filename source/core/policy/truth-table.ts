// Every endpoint against every other on one port/protocol, from one compiled model: each endpoint
// is located once, then each cell is lookups into what compilePolicies indexed. Cells keep the
// verdicts and the deciding policies; evaluateConnection gives the reasons for any one of them.
import type {PolicyModel} from './compile-policies.js';
import {combineVerdicts, decidedBy, judge, locate} from './evaluate-connection.js';
import type {DecidedBy, Endpoint, Protocol, Verdict} from './types.js';

export interface TruthCell {
	verdict: Verdict;
	egress: Verdict;
	ingress: Verdict;
	decidedBy: DecidedBy[];
}

export interface TruthTable {
	endpoints: Endpoint[];
	port: number;
	protocol: Protocol;
	/** cells[from][to], indexed like endpoints. */
	cells: TruthCell[][];
}

/** `endpoints` defaults to the model's pods. */
export function truthTable(model: PolicyModel, port: number, protocol: Protocol, endpoints?: Endpoint[]): TruthTable {
	const all = endpoints ?? model.pods.map(pod => ({kind: 'pod' as const, pod}));
	const located = all.map(e => locate(model, e));
	const cells = located.map(a =>
		located.map(b => {
			const egress = judge(model, 'egress', a, b, b.endpoint, port, protocol);
			const ingress = judge(model, 'ingress', b, a, b.endpoint, port, protocol);
			const verdict = combineVerdicts(egress.verdict, ingress.verdict);
			return {verdict, egress: egress.verdict, ingress: ingress.verdict, decidedBy: decidedBy(verdict, egress, ingress)};
		}),
	);
	return {endpoints: all, port, protocol, cells};
}
