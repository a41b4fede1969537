// `lab svc add|delete|list`: a Service is a record in the lab state; the API daemon (which watches
// the state file) serves it and its EndpointSlice, and with `--proxy` every node's rules are
// re-programmed from the new state before the command returns.
import {randomUUID} from 'node:crypto';
import {displayText} from '../../core/display-text.js';
import type {Result} from '../../core/types.js';
import {parsePodArg} from '../lab-options.js';
import {type LabService, type LabState, readLabState, writeLabState} from '../lab-state.js';
import {syncProxy} from '../proxy/proxy-sync.js';
import {allocateClusterIP, serviceEndpoints, serviceRef} from './service-endpoints.js';
import {type RawSvcFlags, resolveSvcFlags} from './svc-options.js';

export const SVC_USAGE = 'usage: k8snet-tui lab svc add NS/NAME --port P [--target-port T] --selector k=v [--nodeport N] [--proto tcp|udp] | lab svc delete NS/NAME | lab svc list [--json]';

function liveLab(): Result<LabState> {
	const state = readLabState();
	if (state === null || state.phase !== 'up') return {ok: false, reason: 'no lab is up', hint: 'start one with `k8snet-tui lab up`'};
	return {ok: true, value: state};
}

function serviceArg(arg: string | undefined): Result<{namespace: string; name: string}> {
	const ref = parsePodArg(arg);
	return ref.ok ? ref : {ok: false, reason: ref.reason, hint: 'e.g. k8snet-tui lab svc add default/web --port 80 --selector app=nginx'};
}

export async function addLabService(arg: string | undefined, flags: RawSvcFlags): Promise<Result<LabService>> {
	const ref = serviceArg(arg);
	if (!ref.ok) return ref;
	const spec = resolveSvcFlags(flags);
	if (!spec.ok) return spec;
	const live = liveLab();
	if (!live.ok) return live;
	const state = live.value;
	const services = state.services ?? [];
	if (services.some((s) => s.namespace === ref.value.namespace && s.name === ref.value.name)) {
		return {ok: false, reason: `service ${serviceRef(ref.value)} already exists in the lab`, hint: `delete it first: k8snet-tui lab svc delete ${serviceRef(ref.value)}`};
	}

	const nodePort = spec.value.port.nodePort;
	const clash = nodePort === undefined ? undefined : services.find((s) => s.ports.some((p) => p.nodePort === nodePort));
	if (clash) return {ok: false, reason: `nodePort ${nodePort} is taken by ${serviceRef(clash)}`, hint: 'pick another from 30000-32767'};
	const clusterIP = allocateClusterIP(services.map((s) => s.clusterIP));
	if (clusterIP === null) return {ok: false, reason: 'the ClusterIP range 10.96.0.0/12 is full', hint: 'delete a Service: k8snet-tui lab svc list'};
	const svc: LabService = {...ref.value, uid: randomUUID(), clusterIP, type: spec.value.type, ports: [spec.value.port], selector: spec.value.selector, createdAt: new Date().toISOString()};
	state.services = [...services, svc];
	const synced = await syncProxy(state);
	if (!synced.ok) return synced;
	writeLabState(state);
	return {ok: true, value: svc};
}

export async function deleteLabService(arg: string | undefined): Promise<Result<LabService>> {
	const ref = serviceArg(arg);
	if (!ref.ok) return ref;
	const live = liveLab();
	if (!live.ok) return live;
	const state = live.value;
	const svc = (state.services ?? []).find((s) => s.namespace === ref.value.namespace && s.name === ref.value.name);
	if (!svc) return {ok: false, reason: `no service ${serviceRef(ref.value)} in the lab`, hint: 'see `k8snet-tui lab svc list`'};
	const fault = (state.faults ?? []).find((f) => (f.kind === 'stale-rules' || f.kind === 'no-endpoints') && f.args[0] === serviceRef(svc));
	if (fault) return {ok: false, reason: `fault '${fault.id}' is set on ${serviceRef(svc)}`, hint: `clear it first: k8snet-tui lab fault clear ${fault.id}`};
	state.services = (state.services ?? []).filter((s) => s !== svc);
	const synced = await syncProxy(state);
	if (!synced.ok) return synced;
	writeLabState(state);
	return {ok: true, value: svc};
}

export interface SvcRow {
	service: string;
	type: string;
	clusterIP: string;
	ports: string;
	selector: string;
	endpoints: string[];
}

export function listLabServices(state: LabState | null): SvcRow[] {
	if (state === null) return [];
	return (state.services ?? []).map((s) => ({
		service: serviceRef(s),
		type: s.type,
		clusterIP: s.clusterIP,
		ports: s.ports.map((p) => `${p.port}${p.nodePort === undefined ? '' : `:${p.nodePort}`}/${p.protocol}→${p.targetPort}`).join(','),
		selector: Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(','),
		endpoints: serviceEndpoints(state, s).map((e) => `${e.pod.name} ${e.ip} (${e.node}${e.ready ? '' : ', not ready'})`),
	}));
}

export function formatSvcRows(rows: SvcRow[], proxy: string): string {
	if (rows.length === 0) return 'lab: no Service (add one: k8snet-tui lab svc add NS/NAME --port P --selector k=v)';
	const lines = rows.map((r) => `${r.service}\t${r.type}\t${r.clusterIP}\t${r.ports}\t${r.selector}\t${r.endpoints.length === 0 ? 'no endpoints' : r.endpoints.join(', ')}`);
	return displayText([`proxy: ${proxy}`, ...lines].join('\n'));
}
