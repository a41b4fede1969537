// The Service faults of `lab fault`, planned like the others (fault-plan.ts) but changing the rules
// through a re-sync: `no-endpoints SVC` fails every endpoint's readiness (the API's slice says not
// ready, the rules REJECT), `stale-rules SVC` freezes the Service's rules at their current endpoints,
// as a kube-proxy that stopped syncing (a pod deleted afterwards stays in them). `hairpin-off POD`
// is a plain bridge step. Pure.
import type {Result} from '../../core/types.js';
import type {LabFault, LabState} from '../lab-state.js';
import {serviceEndpoints, serviceRef} from './service-endpoints.js';

export const SERVICE_FAULTS = ['stale-rules', 'no-endpoints'] as const;

export function isServiceFault(kind: string): boolean {
	return (SERVICE_FAULTS as readonly string[]).includes(kind);
}

export function planServiceFault(state: LabState, kind: 'stale-rules' | 'no-endpoints', ref: string): Result<LabFault> {
	const svc = (state.services ?? []).find((s) => serviceRef(s) === ref);
	if (!svc) {
		const have = (state.services ?? []).map(serviceRef);
		return {ok: false, reason: `no lab Service '${ref}'`, hint: have.length > 0 ? `Services: ${have.join(', ')}` : 'add one: k8snet-tui lab svc add NS/NAME --port P --selector k=v'};
	}

	const mode = state.options.proxy ?? 'none';
	const base = {id: `${kind} ${ref}`, kind, args: [ref], node: state.node, apply: [], restore: []};
	if (kind === 'no-endpoints') {
		const rules = mode === 'none' ? '' : `; ${mode} rules REJECT ${svc.clusterIP} on every node`;
		return {ok: true, value: {...base, change: `every endpoint of ${ref} not ready in its EndpointSlice${rules}`}};
	}

	if (mode === 'none') return {ok: false, reason: 'stale-rules freezes kube-proxy rules, and this lab has none', hint: 'k8snet-tui lab up --proxy iptables (or nftables)'};
	const ips = serviceEndpoints(state, svc).filter((e) => e.ready).map((e) => e.ip);
	return {ok: true, value: {...base, staleEndpoints: ips, change: `${mode} rules of ${ref} frozen at ${ips.length === 0 ? 'no endpoints' : ips.join(', ')} on every node: later pod changes do not reach them`}};
}
