// The pods clients created through the lab API, and their processes. No image can be pulled here,
// so a created pod "runs" as its command in its node's network namespace (nsenter --net only: host
// PID, host mounts, so /run/netns is seen as on the node). Pending until the process is started,
// Running while it lives, Succeeded / Failed by its exit code; deleting the pod kills it. The
// records are kept in a file: after a daemon restart the processes are gone (a parent-death signal
// ends them with the daemon), and the pods say so, Failed, rather than claim to run.
import {renameSync, readFileSync, writeFileSync} from 'node:fs';
import {type ByteChannel, spawnChannel} from '../../node/child-process.js';
import {apiTimestamp, type KubeObject} from './kube-objects.js';
import {type CreatedPodRecord, createdPodObject} from './created-pods-object.js';
import {podArgv} from './pod-write-validate.js';

export interface CreatedPodsOptions {
	/** Where the records are kept across daemon restarts. */
	file: string;
	/** The network namespace (a /run/netns name) of the lab node of that name, or null. */
	nodeNetns(node: string): string | null;
	/** Called after every change, to publish the pods to the store. */
	onChange(): void;
}

interface Live {
	record: CreatedPodRecord;
	object: KubeObject;
	channel: ByteChannel | null;
	timer: NodeJS.Timeout | null;
}

const now = () => apiTimestamp(new Date().toISOString());
const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;
/** How long ErrImagePull shows before the kubelet backs off (ImagePullBackOff). */
const PULL_BACKOFF_MS = 1000;

function envOf(r: CreatedPodRecord): NodeJS.ProcessEnv {
	const c = (r.spec['containers'] as Array<{env?: Array<{name?: unknown; value?: unknown}>}>)[0]!;
	const env: NodeJS.ProcessEnv = {PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', HOSTNAME: String(r.spec['nodeName'])};
	for (const e of c.env ?? []) if (typeof e.name === 'string' && typeof e.value === 'string') env[e.name] = e.value;
	return env;
}

export class CreatedPods {
	private readonly pods = new Map<string, Live>();

	constructor(private readonly o: CreatedPodsOptions) {
		for (const record of this.load()) {
			if (record.phase === 'Pending' || record.phase === 'Running') {
				Object.assign(record, {phase: 'Failed', finishedAt: now(), reason: 'LabApiRestarted', message: "the lab API daemon restarted, and the pod's process ended with it"});
			}

			this.pods.set(keyOf(record.namespace, record.name), {record, object: createdPodObject(record), channel: null, timer: null});
		}

		this.save();
	}

	objects(): KubeObject[] {
		return [...this.pods.values()].map(p => p.object);
	}

	has(namespace: string, name: string): boolean {
		return this.pods.has(keyOf(namespace, name));
	}

	get(namespace: string, name: string): CreatedPodRecord | null {
		return this.pods.get(keyOf(namespace, name))?.record ?? null;
	}

	/** Adds the pod as Pending, then starts it; or, `pullFails`, leaves it waiting on its image. */
	create(record: CreatedPodRecord, pullFails = false): KubeObject {
		const live: Live = {record, object: createdPodObject(record), channel: null, timer: null};
		this.pods.set(keyOf(record.namespace, record.name), live);
		this.changed();
		const image = String((record.spec['containers'] as Array<{image: string}>)[0]!.image);
		if (pullFails) {
			this.update(live, {
				waiting: {reason: 'ErrImagePull', message: `failed to pull and unpack image "${image}": failed to resolve reference "${image}": the lab cannot reach any registry`},
			});
			live.timer = setTimeout(() => this.update(live, {waiting: {reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"`}}), PULL_BACKOFF_MS);
			live.timer.unref();
		} else {
			// After the ADDED event, as a kubelet reports the start after the create.
			setImmediate(() => this.start(live));
		}

		return live.object;
	}

	/** Kills its process and removes it; the object as it was, or null when there was none. */
	delete(namespace: string, name: string): KubeObject | null {
		const live = this.pods.get(keyOf(namespace, name));
		if (!live) return null;
		this.pods.delete(keyOf(namespace, name));
		this.stop(live);
		this.save();
		this.o.onChange();
		return live.object;
	}

	/** Kills every process (the daemon is stopping); the records stay, to be reported Failed at the next start. */
	close(): void {
		for (const live of this.pods.values()) this.stop(live);
	}

	private start(live: Live): void {
		if (this.pods.get(keyOf(live.record.namespace, live.record.name)) !== live) return;
		const argv = podArgv(live.record.spec);
		const netns = this.o.nodeNetns(String(live.record.spec['nodeName']));
		if (argv.length === 0 || netns === null) {
			const message = argv.length === 0 ? 'no command: the lab cannot pull images, so it runs only spec.containers[0].command and args' : 'its lab node is gone';
			this.update(live, {phase: 'Failed', finishedAt: now(), exitCode: 128, reason: 'StartError', message});
			return;
		}

		// --pdeathsig: should the daemon be SIGKILLed, its pods' processes die with it.
		const channel = spawnChannel(['setpriv', '--pdeathsig', 'KILL', '--', 'nsenter', `--net=/run/netns/${netns}`, '--', ...argv], {env: envOf(live.record)});
		live.channel = channel;
		channel.stdin.end();
		channel.stdout.resume();
		channel.stderr.resume();
		void channel.closed.then(({exitCode, failure}) => {
			if (live.channel !== channel) return;
			live.channel = null;
			const code = exitCode ?? 137;
			this.update(live, {phase: code === 0 ? 'Succeeded' : 'Failed', finishedAt: now(), exitCode: code, ...(failure ? {reason: 'StartError', message: failure} : {})});
		});
		this.update(live, {phase: 'Running', startedAt: now()});
	}

	private stop(live: Live): void {
		if (live.timer) clearTimeout(live.timer);
		const channel = live.channel;
		live.channel = null;
		channel?.close();
	}

	private update(live: Live, change: Partial<CreatedPodRecord>): void {
		if (this.pods.get(keyOf(live.record.namespace, live.record.name)) !== live) return;
		live.record = {...live.record, ...change};
		live.object = createdPodObject(live.record);
		this.changed();
	}

	private changed(): void {
		this.save();
		this.o.onChange();
	}

	private load(): CreatedPodRecord[] {
		try {
			const raw = JSON.parse(readFileSync(this.o.file, 'utf8')) as unknown;
			return Array.isArray(raw) ? (raw as CreatedPodRecord[]) : [];
		} catch {
			return [];
		}
	}

	private save(): void {
		const tmp = `${this.o.file}.${process.pid}.tmp`;
		writeFileSync(tmp, JSON.stringify([...this.pods.values()].map(p => p.record)) + '\n', {mode: 0o600});
		renameSync(tmp, this.o.file);
	}
}
