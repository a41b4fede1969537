// `lab svc add NS/NAME --port P [--target-port T] --selector k=v [--nodeport N] [--proto tcp|udp]`
// flags → a checked Service spec. Pure: each bad input is one line with a hint. The names go into
// chain names, nft comments and API objects, so they are checked as the API checks them.
import type {Result} from '../../core/types.js';
import type {LabServicePort} from '../lab-state.js';

export interface RawSvcFlags {
	port?: number;
	targetPort?: number;
	selector?: string;
	nodeport?: number;
	proto?: string;
}

export interface SvcSpec {
	type: 'ClusterIP' | 'NodePort';
	port: LabServicePort;
	selector: Record<string, string>;
}

/** The apiserver's default --service-node-port-range. */
export const NODE_PORT_MIN = 30_000;
export const NODE_PORT_MAX = 32_767;

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function labelKey(key: string): boolean {
	const slash = key.indexOf('/');
	if (slash === -1) return LABEL_NAME.test(key);
	const prefix = key.slice(0, slash);
	return prefix.length <= 253 && LABEL_PREFIX.test(prefix) && LABEL_NAME.test(key.slice(slash + 1));
}

/** A Service selector is a map: `k=v[,k2=v2]`, equality only, as `spec.selector` is. */
export function parseSelector(text: string | undefined): Result<Record<string, string>> {
	const hint = 'e.g. --selector app=nginx (pods of `lab up` carry app=nginx and run=<pod name>)';
	if (text === undefined || text.trim() === '') return {ok: false, reason: 'lab svc add needs --selector k=v', hint};
	const selector: Record<string, string> = {};
	for (const part of text.split(',')) {
		const m = /^([^=!]+)==?([^=]*)$/.exec(part.trim());
		if (!m || !labelKey(m[1] as string) || !LABEL_VALUE.test(m[2] as string)) {
			return {ok: false, reason: `--selector: '${part.trim()}' is not k=v with a label key and value`, hint};
		}

		selector[m[1] as string] = m[2] as string;
	}

	return {ok: true, value: selector};
}

function portNumber(v: number | undefined, flag: string, min: number, max: number): Result<number> {
	if (v === undefined || !Number.isInteger(v) || v < min || v > max) {
		return {ok: false, reason: `--${flag} must be a whole number from ${min} to ${max}`, hint: `got ${v === undefined ? 'nothing' : String(v)}`};
	}

	return {ok: true, value: v};
}

export function resolveSvcFlags(f: RawSvcFlags): Result<SvcSpec> {
	const port = portNumber(f.port, 'port', 1, 65_535);
	if (!port.ok) return f.port === undefined ? {ok: false, reason: 'lab svc add needs --port P', hint: 'e.g. --port 80 (pods answer on 80 and 81)'} : port;
	const target = f.targetPort === undefined ? port : portNumber(f.targetPort, 'target-port', 1, 65_535);
	if (!target.ok) return target;
	const proto = (f.proto ?? 'tcp').toLowerCase();
	if (proto !== 'tcp' && proto !== 'udp') return {ok: false, reason: '--proto must be tcp or udp', hint: `got '${f.proto ?? ''}' (this kernel has no SCTP)`};
	const nodePort = f.nodeport === undefined ? null : portNumber(f.nodeport, 'nodeport', NODE_PORT_MIN, NODE_PORT_MAX);
	if (nodePort !== null && !nodePort.ok) return nodePort;
	const selector = parseSelector(f.selector);
	if (!selector.ok) return selector;
	return {
		ok: true,
		value: {
			type: nodePort === null ? 'ClusterIP' : 'NodePort',
			// Named as `kubectl create service` names a port: "<port>-<targetPort>".
			port: {
				name: `${port.value}-${target.value}`,
				port: port.value,
				targetPort: target.value,
				protocol: proto === 'udp' ? 'UDP' : 'TCP',
				...(nodePort === null ? {} : {nodePort: nodePort.value}),
			},
			selector: selector.value,
		},
	};
}
