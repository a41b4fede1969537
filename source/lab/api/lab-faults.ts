// Fault modes the lab API can be switched into (over its unix socket only), so the cluster side
// can be tested against each failure a real apiserver or network produces.

export interface LabApiFaults {
	/** 403 on every pods request, with the apiserver's RBAC message. */
	forbidPods?: boolean;
	/** 500 InternalError on every API request. */
	error500?: boolean;
	/**
	 * Serve N more requests, then destroy the connection of every request after them; open watch
	 * streams are cut when the budget runs out (at once for 0). Lasts until the faults are replaced.
	 */
	dropAfter?: number;
	/** The next watch gets an ERROR event with a 410 Status, as after etcd compaction. One-shot. */
	goneOnWatch?: boolean;
	/** Delay before each API response (and before a watch's first byte). */
	slowMs?: number;
	/** 401 on every API request, even with the right token. */
	unauthorized?: boolean;
	/**
	 * New TLS connections get a self-signed certificate the kubeconfig's CA did not sign, as when a
	 * cluster was rebuilt under an old kubeconfig. Connections already open keep the good one.
	 */
	badCert?: boolean;
	/** Pod creates are admitted as a namespace enforcing Pod Security "baseline" admits them: 403 for host namespaces, privileged, ... */
	podSecurity?: boolean;
	/** Created pods never get their image: they stay Pending, ErrImagePull then ImagePullBackOff. */
	imagePull?: boolean;
	/** 403 on pods/exec, with the apiserver's RBAC message. */
	execForbidden?: boolean;
}

const BOOLEAN_FAULTS = ['forbidPods', 'error500', 'goneOnWatch', 'unauthorized', 'badCert', 'podSecurity', 'imagePull', 'execForbidden'] as const;

export function parseFaults(raw: unknown): LabApiFaults | string {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'faults must be a JSON object';
	const r = raw as Record<string, unknown>;
	const out: LabApiFaults = {};
	for (const flag of BOOLEAN_FAULTS) {
		if (r[flag] === undefined) continue;
		if (typeof r[flag] !== 'boolean') return `${flag} must be a boolean`;
		out[flag] = r[flag];
	}

	for (const n of ['dropAfter', 'slowMs'] as const) {
		if (r[n] === undefined || r[n] === null) continue;
		if (typeof r[n] !== 'number' || !Number.isInteger(r[n]) || r[n] < 0) return `${n} must be a non-negative integer`;
		out[n] = r[n];
	}

	const unknown = Object.keys(r).filter(k => !([...BOOLEAN_FAULTS, 'dropAfter', 'slowMs'] as string[]).includes(k));
	if (unknown.length > 0) return `unknown fault: ${unknown.join(', ')}`;
	return out;
}

/** The faults in force, and what they have used up: dropAfter's budget, goneOnWatch's one shot. */
export class FaultState {
	private faults: LabApiFaults = {};
	/** Requests left before dropAfter bites; null when it is not set. */
	private dropBudget: number | null = null;

	get current(): LabApiFaults {
		return {...this.faults};
	}

	replace(f: LabApiFaults): void {
		this.faults = {...f};
		this.dropBudget = f.dropAfter ?? null;
	}

	/** Counts one request against dropAfter: true when this one must be dropped. */
	dropsNext(): boolean {
		if (this.dropBudget === null) return false;
		if (this.dropBudget <= 0) return true;
		this.dropBudget--;
		return false;
	}

	/** Whether this watch gets the one-shot 410; using it clears it. */
	takeGoneOnWatch(): boolean {
		if (!this.faults.goneOnWatch) return false;
		this.faults = {...this.faults, goneOnWatch: false};
		return true;
	}
}
