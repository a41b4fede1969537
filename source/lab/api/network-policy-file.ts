// The networkpolicies clients created, in a file of their own next to the lab state, so they
// survive a restart of the API daemon (`lab up` revives a dead one) and go with `lab down`, which
// removes the whole lab directory. Written atomically: a daemon never reads half a file.
import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {KubeObject} from './kube-objects.js';

export const NETWORK_POLICY_FILE = 'networkpolicies.json';

export function networkPolicyFile(dir: string): string {
	return join(dir, NETWORK_POLICY_FILE);
}

/** The saved policies; none when there is no file yet (or it is unreadable: a lab never writes half). */
export function readNetworkPolicies(file: string): KubeObject[] {
	try {
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
		return Array.isArray(parsed) ? (parsed as KubeObject[]) : [];
	} catch {
		return [];
	}
}

export function writeNetworkPolicies(file: string, objects: KubeObject[]): void {
	const tmp = `${file}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(objects, null, '\t') + '\n', {mode: 0o600});
	renameSync(tmp, file);
}
