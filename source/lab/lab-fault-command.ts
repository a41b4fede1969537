// `lab fault add|clear|list`: set one fault (one kernel change in one node or pod), undo one exactly,
// undo all (newest first), or show what is set. The state file records each fault with its undo
// steps, so `clear` needs no guessing; `lab down` removes the namespaces and the faults with them.
import type {Result} from '../core/types.js';
import {type FaultFacts, FAULT_KINDS, FAULT_TABLE, factsNeeded, faultKey, findPod, isFaultKind, planFault} from './fault-plan.js';
import {inNetns, ipBatch, netnsPath} from './lab-node.js';
import {nodeOfPod} from './lab-nodes.js';
import {type FaultStep, type LabFault, type LabState, readLabState, writeLabState} from './lab-state.js';
import {bridgeBatch} from './lab-underlay.js';
import {syncProxy} from './proxy/proxy-sync.js';
import {isServiceFault} from './services/service-faults.js';

export const FAULT_USAGE = `usage: k8snet-tui lab fault add|clear KIND ARGS | lab fault clear --all | lab fault list [--json]; KIND: ${FAULT_KINDS.join(', ')}`;

const ok: Result<void> = {ok: true, value: undefined};

async function runStep(step: FaultStep): Promise<Result<void>> {
	const input = step.lines.join('\n') + '\n';
	if ('netnsPath' in step.target) {
		const r = await inNetns(step.target.netnsPath, ['ip', '-batch', '-'], input);
		return r.ok ? ok : r;
	}

	if (step.tool === 'ip') return ipBatch(step.target.netns, step.lines);
	if (step.tool === 'bridge') return bridgeBatch(step.target.netns, step.lines);
	const r = await inNetns(netnsPath(step.target.netns), ['nft', '-f', '-'], input);
	return r.ok ? ok : r;
}

async function runSteps(steps: FaultStep[]): Promise<Result<void>> {
	for (const step of steps) {
		const r = await runStep(step);
		if (!r.ok) return r;
	}

	return ok;
}

interface LinkJson {
	ifindex: number;
	ifname: string;
	link_index?: number;
	mtu: number;
}

async function links(where: string, dev?: string): Promise<LinkJson[]> {
	const r = await inNetns(where, ['ip', '-j', 'link', 'show', ...(dev ? ['dev', dev] : [])]);
	return r.ok ? (JSON.parse(r.value) as LinkJson[]) : [];
}

/** The kernel facts a fault needs: the pod's host veth (by eth0's peer index), its eth0 MTU. */
async function lookFacts(state: LabState, args: string[], needed: Array<keyof FaultFacts>): Promise<FaultFacts> {
	if (needed.length === 0) return {};
	const pod = findPod(state, args[0]);
	if (!pod.ok) return {};
	const [eth0] = await links(pod.value.netnsPath as string, 'eth0');
	if (!eth0) return {};
	const facts: FaultFacts = {podMtu: eth0.mtu};
	const node = nodeOfPod(state, pod.value);
	const veth = (await links(netnsPath(node.netns))).find((l) => l.ifindex === eth0.link_index);
	if (veth) facts.hostVeth = veth.ifname;
	return facts;
}

function liveLab(): Result<LabState> {
	const state = readLabState();
	if (state === null || state.phase !== 'up') return {ok: false, reason: 'no lab is up', hint: 'start one with `k8snet-tui lab up`'};
	return {ok: true, value: state};
}

export async function addFault(kindArg: string | undefined, args: string[]): Promise<Result<LabFault>> {
	const live = liveLab();
	if (!live.ok) return live;
	const state = live.value;
	if (!isFaultKind(kindArg)) return {ok: false, reason: `unknown fault '${kindArg ?? ''}'`, hint: FAULT_USAGE};
	const id = [kindArg, ...args].join(' ');
	const key = faultKey(kindArg, args);
	const clash = (state.faults ?? []).find((f) => faultKey(f.kind, f.args) === key);
	if (clash) {
		const what = clash.id === id ? `fault '${id}' is already set` : `fault '${clash.id}' is set on the same object, and one fault per object keeps each clear exact`;
		return {ok: false, reason: what, hint: `clear it first: k8snet-tui lab fault clear ${clash.id}`};
	}
	const plan = planFault(state, kindArg, args, await lookFacts(state, args, factsNeeded(kindArg)));
	if (!plan.ok) return plan;
	const applied = await runSteps(plan.value.apply);
	if (!applied.ok) return applied;
	state.faults = [...(state.faults ?? []), plan.value];
	if (isServiceFault(plan.value.kind)) {
		const synced = await syncProxy(state);
		if (!synced.ok) return synced;
	}

	writeLabState(state);
	return {ok: true, value: plan.value};
}

/** The steps that undo `fault`; the last drop fault on a node takes the lab's nft table with it. */
function undoSteps(state: LabState, fault: LabFault): FaultStep[] {
	const otherDrops = (state.faults ?? []).some((f) => f !== fault && f.kind === 'drop' && f.node === fault.node);
	if (fault.kind !== 'drop' || otherDrops) return fault.restore;
	return fault.restore.map((s) => ({...s, lines: [...s.lines, `delete table inet ${FAULT_TABLE}`]}));
}

async function clearOne(state: LabState, fault: LabFault): Promise<Result<void>> {
	const undone = await runSteps(undoSteps(state, fault));
	if (!undone.ok) return undone;
	state.faults = (state.faults ?? []).filter((f) => f !== fault);
	if (isServiceFault(fault.kind)) {
		const synced = await syncProxy(state);
		if (!synced.ok) return synced;
	}

	writeLabState(state);
	return ok;
}

/** `clear KIND ARGS` (one fault) or `clear --all` (newest first); returns the ids cleared. */
export async function clearFaults(kindArg: string | undefined, args: string[], all: boolean): Promise<Result<string[]>> {
	const live = liveLab();
	if (!live.ok) return live;
	const state = live.value;
	const set = state.faults ?? [];
	if (all) {
		const cleared: string[] = [];
		for (const fault of [...set].reverse()) {
			const r = await clearOne(state, fault);
			if (!r.ok) return r;
			cleared.push(fault.id);
		}

		return {ok: true, value: cleared};
	}

	const id = [kindArg ?? '', ...args].join(' ');
	const fault = set.find((f) => f.id === id);
	if (!fault) return {ok: false, reason: `fault '${id}' is not set`, hint: set.length > 0 ? `set: ${set.map((f) => f.id).join('; ')}` : 'no fault is set'};
	const r = await clearOne(state, fault);
	return r.ok ? {ok: true, value: [fault.id]} : r;
}

export function listFaults(): LabFault[] {
	return readLabState()?.faults ?? [];
}

export function formatFaults(faults: LabFault[]): string {
	if (faults.length === 0) return 'lab: no fault is set';
	return faults.map((f) => `${f.id}\t(node ${f.node}) ${f.change}`).join('\n');
}
