// What a node offers, for the node registry: a remote node's were checked when it was reached
// (remote/node-needs.ts, through the same way in); a node that shares this machine's tools (this
// host, the lab's node namespaces) is checked here, once, with the same script.
import {connect} from 'node:net';
import type {Duplex} from 'node:stream';
import type {Result} from '../core/types.js';
import {runProcess} from './child-process.js';
import type {NodeCapabilities} from './node-shell.js';
import {NEEDS_SCRIPT, parseNeeds, type NodeNeeds} from './remote/node-needs.js';

const CHECK_TIMEOUT_MS = 10_000;

export function capabilitiesOf(needs: NodeNeeds): NodeCapabilities {
	return {root: needs.uid === 0 || needs.sudo, missing: [...needs.missing], nsenter: !needs.missing.includes('nsenter')};
}

/** This machine's tools, which the lab's node namespaces share: one sh, asked once. */
export function localCapabilities(): () => Promise<Result<NodeCapabilities>> {
	let checked: Promise<Result<NodeCapabilities>> | null = null;
	return () => {
		// A lack is asked again next time: the user may have installed the tool since (and pressed r).
		checked ??= runProcess(['sh', '-c', NEEDS_SCRIPT], {timeoutMs: CHECK_TIMEOUT_MS}).then(result => {
			const needs = parseNeeds(result.stdout);
			if (needs.uid === null) return {ok: false, reason: `cannot check this host's tools: ${result.failure ?? result.stderr.trim()}`, hint: 'the tool needs a POSIX sh, id and sed'};
			// Local commands never go through sudo: not root here is not root.
			if (needs.missing.length > 0) checked = null;
			return {ok: true, value: capabilitiesOf({...needs, sudo: false})};
		});
		return checked;
	};
}

/** A socket this process can open itself: the node's filesystem is ours (this host, the lab). */
export function connectHere(path: string): Promise<Result<Duplex>> {
	return new Promise(resolve => {
		const socket = connect(path);
		socket.once('connect', () => {
			socket.removeAllListeners('error');
			resolve({ok: true, value: socket});
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			const why = error.code === 'ENOENT' ? 'no such socket' : error.code === 'EACCES' ? 'permission denied' : error.code === 'ECONNREFUSED' ? 'nothing listens on it' : error.message;
			resolve({ok: false, reason: `cannot open ${path}: ${why}`, hint: error.code === 'EACCES' ? 'run as root, or as a user of the socket\'s group' : 'is the service running on this node?'});
		});
	});
}
