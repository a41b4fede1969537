// Pod Security admission's baseline level, for the lab's podSecurity fault: the checks an agent
// pod trips, worded and ordered as pod-security-admission words them (sorted by check), so the
// product's one-line failure is tested against the real rejection.
import {type Status, failure} from './api-status.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
/** The capabilities baseline allows to be added (the container runtime's default set). */
const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

const quoted = (xs: string[]) => xs.map(x => `"${x}"`).join(', ');

export function baselineViolations(spec: Obj): string[] {
	const containers = (Array.isArray(spec['containers']) ? spec['containers'] : []).map(obj);
	const out: string[] = [];
	const caps = containers.flatMap(c => {
		const add = obj(obj(obj(c['securityContext'])['capabilities']))['add'];
		const bad = (Array.isArray(add) ? add : []).map(String).filter(a => !BASELINE_CAPS.has(a));
		return bad.length > 0 ? [`container "${String(c['name'])}" must not include ${quoted(bad)} in securityContext.capabilities.add`] : [];
	});
	if (caps.length > 0) out.push(`non-default capabilities (${caps.join('; ')})`);
	const hostNs = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter(f => spec[f] === true).map(f => `${f}=true`);
	if (hostNs.length > 0) out.push(`host namespaces (${hostNs.join(', ')})`);
	const volumes = (Array.isArray(spec['volumes']) ? spec['volumes'] : []).map(obj).filter(v => v['hostPath'] !== undefined);
	if (volumes.length > 0) out.push(`hostPath volumes (${volumes.length === 1 ? 'volume' : 'volumes'} ${quoted(volumes.map(v => String(v['name'])))})`);
	const privileged = containers.filter(c => obj(c['securityContext'])['privileged'] === true).map(c => String(c['name']));
	if (privileged.length > 0) out.push(`privileged (${privileged.length === 1 ? 'container' : 'containers'} ${quoted(privileged)} must not set securityContext.privileged=true)`);
	return out;
}

/** The 403 the apiserver answers a create with, when the namespace enforces baseline; null when the pod passes. */
export function podSecurityRejection(name: string, spec: Obj): Status | null {
	const v = baselineViolations(spec);
	if (v.length === 0) return null;
	return failure(403, 'Forbidden', `pods "${name}" is forbidden: violates PodSecurity "baseline:latest": ${v.join(', ')}`, {name, kind: 'pods'});
}
