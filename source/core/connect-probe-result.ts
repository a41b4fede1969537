// What one connection attempt answered, as the probe tools report it. Pure: the node side prints
// one line, this reads it, so every tool's output lands in the same four results.

export type ProbeOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable';

export interface ProbeResult {
	tool: string;
	result: ProbeOutcome;
	ms: number;
	/** The attempt's source port, when the tool tells it (conntrack's entry is found by it). */
	sport?: number;
	/** The far end's first line, when the tool read it. */
	answer?: string | null;
}

const OUTCOMES = new Set<string>(['connected', 'refused', 'timeout', 'unreachable']);

/** The JSON line `k8snet-tui __connect-probe` prints, or null when the output is something else. */
export function parseProbeLine(stdout: string, tool: string): ProbeResult | null {
	const line = stdout.trim().split('\n').at(-1) ?? '';
	try {
		const o = JSON.parse(line) as {result?: unknown; ms?: unknown; sport?: unknown; answer?: unknown};
		if (typeof o.result !== 'string' || !OUTCOMES.has(o.result) || typeof o.ms !== 'number') return null;
		return {
			tool,
			result: o.result as ProbeOutcome,
			ms: Math.round(o.ms),
			...(typeof o.sport === 'number' ? {sport: o.sport} : {}),
			...(typeof o.answer === 'string' || o.answer === null ? {answer: o.answer} : {}),
		};
	} catch {
		return null;
	}
}

/** A socket error code as one of the results: refused, unreachable, or (anything else) timeout. */
export function outcomeOfError(code: string | undefined): ProbeOutcome {
	if (code === 'ECONNREFUSED') return 'refused';
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'unreachable';
	return 'timeout';
}
