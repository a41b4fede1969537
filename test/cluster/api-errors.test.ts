// The mapping from what the API server and Node report to one line, on Status bodies as the
// apiserver writes them (wording from k8s.io/apiserver's authorization and storage errors).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {failureFromNetworkError, failureFromStatus, parseForbidden, type RequestContext} from '../../source/cluster/api-errors.js';

const ctx: RequestContext = {server: 'https://10.0.0.1:6443', context: 'prod', user: 'jane-kubeconfig', verb: 'list', resource: 'pods', namespace: 'web'};

function status(code: number, reason: string, message: string): string {
	return JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: {kind: 'pods'}, code});
}

test('403: the current apiserver wording, namespaced and cluster-wide, with an RBAC suffix', () => {
	const ns = failureFromStatus(403, status(403, 'Forbidden', 'pods is forbidden: User "system:serviceaccount:default:viewer" cannot list resource "pods" in API group "" in the namespace "kube-system"'), ctx);
	assert.equal(ns.reason, 'forbidden: User "system:serviceaccount:default:viewer" cannot list pods in namespace "kube-system"');
	assert.equal(ns.hint, 'ask for RBAC that allows it; check with: kubectl auth can-i list pods -n kube-system --as system:serviceaccount:default:viewer');
	const cluster = failureFromStatus(403, status(403, 'Forbidden', 'nodes is forbidden: User "jane" cannot watch resource "nodes" in API group "" at the cluster scope'), ctx);
	assert.equal(cluster.reason, 'forbidden: User "jane" cannot watch nodes at the cluster scope');
	assert.match(cluster.hint, /kubectl auth can-i watch nodes -A --as jane$/);
	const rbac = parseForbidden('pods "x" is forbidden: User "bob" cannot get resource "pods/exec" in API group "" in the namespace "web": RBAC: role.rbac.authorization.k8s.io "dev" not found');
	assert.deepEqual(rbac, {user: 'bob', verb: 'get', resource: 'pods/exec', namespace: 'web'});
});

test('403: the older wording, and a message we cannot parse falls back to what we asked', () => {
	assert.deepEqual(parseForbidden('User "x" cannot list pods in namespace "y"'), {user: 'x', verb: 'list', resource: 'pods', namespace: 'y'});
	assert.deepEqual(parseForbidden('pods is forbidden: User "system:anonymous" cannot list pods in the namespace "default".'), {user: 'system:anonymous', verb: 'list', resource: 'pods', namespace: 'default'});
	const odd = failureFromStatus(403, 'forbidden by a webhook', ctx);
	assert.equal(odd.reason, 'forbidden: User "jane-kubeconfig" cannot list pods in namespace "web"');
});

test('401, 404 for a node, 410, 500, 503', () => {
	const u = failureFromStatus(401, status(401, 'Unauthorized', 'Unauthorized'), ctx);
	assert.equal(u.reason, 'unauthorized: https://10.0.0.1:6443 rejected the credentials of user "jane-kubeconfig" (context "prod")');
	const n = failureFromStatus(404, status(404, 'NotFound', 'nodes "w9" not found'), {...ctx, verb: 'get', resource: 'nodes', namespace: undefined, name: 'w9'});
	assert.equal(n.reason, 'node "w9" not found on https://10.0.0.1:6443');
	assert.equal(n.kind, 'not-found');
	const g = failureFromStatus(410, status(410, 'Expired', 'too old resource version: 123 (456)'), ctx);
	assert.equal(g.kind, 'gone');
	const e = failureFromStatus(500, status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out'), ctx);
	assert.equal(e.reason, 'the API server failed to list pods in namespace "web" (500): Internal error occurred: etcdserver: request timed out');
	const busy = failureFromStatus(503, 'service unavailable\n', ctx);
	assert.equal(busy.reason, 'the API server is busy or unavailable (503): service unavailable');
});

test('network and TLS codes as Node reports them', () => {
	const net = (code: string, message = code) => failureFromNetworkError(Object.assign(new Error(message), {code}), ctx);
	assert.equal(net('ECONNREFUSED').reason, 'cannot reach the API server https://10.0.0.1:6443: connection refused');
	assert.equal(net('ENOTFOUND').reason, 'cannot reach the API server https://10.0.0.1:6443: host name not found');
	assert.equal(net('ETIMEDOUT').reason, 'the API server https://10.0.0.1:6443 did not answer in time');
	assert.equal(net('CERT_HAS_EXPIRED').reason, 'TLS: the server\'s certificate has expired (https://10.0.0.1:6443)');
	assert.equal(net('ERR_SSL_WRONG_VERSION_NUMBER', 'C0F7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number').reason, 'TLS: https://10.0.0.1:6443 does not speak TLS (is it http://, or the wrong port?)');
	for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']) {
		assert.match(net(code).hint, /certificate-authority.*insecure-skip-tls-verify/);
	}

	assert.equal(net('EWHATEVER', 'boom\n    at x').reason, 'request to the API server https://10.0.0.1:6443 failed: EWHATEVER boom');
});
