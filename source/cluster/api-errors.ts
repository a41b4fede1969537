// Every way a request to the API server can fail, as one line a person can act on. The raw
// material is what Node and the API server hand us: an errno / TLS code, or an HTTP status with a
// metav1.Status body. Pure: no I/O.

export type ApiFailureKind =
	| 'unreachable'
	| 'timeout'
	| 'tls'
	| 'unauthorized'
	| 'forbidden'
	| 'not-found'
	| 'gone'
	| 'server'
	| 'config'
	| 'other';

export interface ApiFailure {
	ok: false;
	kind: ApiFailureKind;
	reason: string;
	hint: string;
	/** HTTP status, when the server answered. */
	status?: number;
}

/** What we were doing, so a failure can say it in kubectl's words. */
export interface RequestContext {
	server: string;
	context: string;
	user: string;
	verb: string;
	resource: string;
	namespace?: string | undefined;
	name?: string | undefined;
}

const unreachableCodes: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EHOSTUNREACH: 'no route to host',
	ENETUNREACH: 'network unreachable',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	EPIPE: 'connection closed',
	ECONNABORTED: 'connection aborted',
	EADDRNOTAVAIL: 'address not available',
};

const tlsTrust: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server\'s certificate is self-signed and not trusted',
	SELF_SIGNED_CERT_IN_CHAIN: 'the server\'s certificate chain ends in a CA we do not trust',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server\'s certificate is signed by an unknown CA',
	UNABLE_TO_GET_ISSUER_CERT: 'the server\'s certificate is signed by an unknown CA',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server\'s certificate cannot be verified (unknown CA)',
	CERT_SIGNATURE_FAILURE: 'the server\'s certificate signature is invalid',
	CERT_HAS_EXPIRED: 'the server\'s certificate has expired',
	CERT_NOT_YET_VALID: 'the server\'s certificate is not valid yet (check the clock)',
};

function hostOf(server: string): string {
	try {
		return new URL(server).host;
	} catch {
		return server;
	}
}

/** A failure before any HTTP answer: socket, DNS, TLS, timeout. */
export function failureFromNetworkError(error: unknown, ctx: Pick<RequestContext, 'server' | 'context'>): ApiFailure {
	const err = error as NodeJS.ErrnoException & {reason?: string};
	const code = err?.code ?? '';
	const message = String(err?.message ?? error).split('\n')[0]!;
	const server = ctx.server;
	if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
		return {
			ok: false,
			kind: 'timeout',
			reason: `the API server ${server} did not answer in time`,
			hint: 'is the cluster up and reachable from here (VPN, firewall)? retrying',
		};
	}

	if (code in unreachableCodes) {
		return {
			ok: false,
			kind: 'unreachable',
			reason: `cannot reach the API server ${server}: ${unreachableCodes[code]}`,
			hint: `is the cluster running? check the server of context "${ctx.context}" (kubectl config view --minify)`,
		};
	}

	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
		const names = (err as {cert?: {subjectaltname?: string}}).cert?.subjectaltname;
		return {
			ok: false,
			kind: 'tls',
			reason: `TLS: the server's certificate is not valid for ${hostOf(server)} (it is for ${names || 'other names'})`,
			hint: 'use the host name the certificate was issued for, or set tls-server-name in the kubeconfig\'s cluster',
		};
	}

	if (code in tlsTrust) {
		return {
			ok: false,
			kind: 'tls',
			reason: `TLS: ${tlsTrust[code]} (${server})`,
			hint: 'set certificate-authority(-data) in the kubeconfig\'s cluster to the cluster CA; insecure-skip-tls-verify: true only for a throwaway cluster',
		};
	}

	if (code.startsWith('ERR_SSL_') || code === 'EPROTO' || /SSL|TLS|certificate/i.test(message)) {
		const plainHttp = /wrong version number|packet length too long|http request/i.test(message);
		return {
			ok: false,
			kind: 'tls',
			reason: plainHttp
				? `TLS: ${server} does not speak TLS (is it http://, or the wrong port?)`
				: `TLS handshake with ${server} failed: ${message}`,
			hint: plainHttp
				? 'check the scheme and port of the server in the kubeconfig'
				: 'check the client certificate and key in the kubeconfig\'s user, and the cluster CA',
		};
	}

	return {
		ok: false,
		kind: 'other',
		reason: `request to the API server ${server} failed: ${code ? `${code} ` : ''}${message}`,
		hint: 'run with --debug for details',
	};
}

/** A metav1.Status body, as far as we use it. */
interface StatusBody {
	kind?: string;
	message?: string;
	reason?: string;
	code?: number;
}

function parseStatus(body: string): StatusBody | null {
	try {
		const v = JSON.parse(body) as unknown;
		return typeof v === 'object' && v !== null ? (v as StatusBody) : null;
	} catch {
		return null;
	}
}

export interface Forbidden {
	user: string;
	verb: string;
	resource: string;
	/** null at the cluster scope. */
	namespace: string | null;
}

/**
 * The apiserver's RBAC denial, e.g. `pods is forbidden: User "jane" cannot list resource "pods"
 * in API group "" in the namespace "web"` (and the older `User "jane" cannot list pods in
 * namespace "web"`).
 */
export function parseForbidden(message: string): Forbidden | null {
	const current = /User "([^"]*)" cannot (\S+) resource "([^"]*)"(?: in API group "[^"]*")?(?: in the namespace "([^"]*)")?/.exec(message);
	if (current) return {user: current[1]!, verb: current[2]!, resource: current[3]!, namespace: current[4] ?? null};
	const older = /User "([^"]*)" cannot (\S+) (\S+?)(?: in (?:the )?namespace "([^"]*)")?(?:[:.]|$| at )/.exec(message);
	if (older) return {user: older[1]!, verb: older[2]!, resource: older[3]!, namespace: older[4] ?? null};
	return null;
}

/** A non-2xx answer, mapped by status code; `body` is the response text (usually a Status). */
export function failureFromStatus(status: number, body: string, ctx: RequestContext): ApiFailure {
	const parsed = parseStatus(body);
	const message = (parsed?.message ?? body.trim().split('\n')[0] ?? '').slice(0, 300);
	const what = `${ctx.resource}${ctx.name ? ` ${ctx.name}` : ''}${ctx.namespace ? ` in namespace "${ctx.namespace}"` : ''}`;
	switch (status) {
		case 401: {
			return {
				ok: false,
				kind: 'unauthorized',
				status,
				reason: `unauthorized: ${ctx.server} rejected the credentials of user "${ctx.user}" (context "${ctx.context}")`,
				hint: 'the token or client certificate is wrong or expired: log in again to refresh the kubeconfig',
			};
		}

		case 403: {
			const f = parseForbidden(message);
			const user = f?.user ?? ctx.user;
			const verb = f?.verb ?? ctx.verb;
			const resource = f?.resource ?? ctx.resource;
			const ns = f ? f.namespace : (ctx.namespace ?? null);
			const scope = ns === null ? 'at the cluster scope' : `in namespace "${ns}"`;
			return {
				ok: false,
				kind: 'forbidden',
				status,
				reason: `forbidden: User "${user}" cannot ${verb} ${resource} ${scope}`,
				hint: `ask for RBAC that allows it; check with: kubectl auth can-i ${verb} ${resource}${ns === null ? ' -A' : ` -n ${ns}`} --as ${user}`,
			};
		}

		case 404: {
			if (ctx.resource === 'nodes' && ctx.name) {
				return {
					ok: false,
					kind: 'not-found',
					status,
					reason: `node "${ctx.name}" not found on ${ctx.server}`,
					hint: 'see the nodes with: kubectl get nodes (or leave --node out to detect it)',
				};
			}

			return {
				ok: false,
				kind: 'not-found',
				status,
				reason: `not found: ${what}${message ? ` (${message})` : ''}`,
				hint: 'check the name and namespace, and that the API server serves this resource',
			};
		}

		case 400: {
			const selector = /selector|requirement|label/i.test(message);
			return {
				ok: false,
				kind: 'other',
				status,
				reason: `the API server rejected the request to ${ctx.verb} ${what} (400): ${message || 'no message'}`,
				hint: selector ? 'check the -l / --selector syntax, as kubectl takes it: app=web,tier!=db or env in (a,b)' : 'run with --debug for details',
			};
		}

		case 410: {
			return {
				ok: false,
				kind: 'gone',
				status,
				reason: `the API server forgot the version we asked for (410 Gone): ${message}`,
				hint: 'listing again',
			};
		}

		case 429:
		case 503:
		case 504: {
			return {
				ok: false,
				kind: 'server',
				status,
				reason: `the API server is busy or unavailable (${status}): ${message || 'no message'}`,
				hint: 'retrying with backoff',
			};
		}

		default: {
			if (status >= 500) {
				return {
					ok: false,
					kind: 'server',
					status,
					reason: `the API server failed to ${ctx.verb} ${what} (${status}): ${message || 'no message'}`,
					hint: 'a server-side problem: retrying; if it lasts, look at the API server\'s logs',
				};
			}

			return {
				ok: false,
				kind: 'other',
				status,
				reason: `the API server refused to ${ctx.verb} ${what} (${status}): ${message || 'no message'}`,
				hint: 'run with --debug for details',
			};
		}
	}
}
