// Stands in for the TUI in the no-orphans test: starts a capture through a CaptureSession, prints
// tcpdump's pid, then waits to be killed, or for `q` on stdin (the TUI's quit: stop, then exit).
// Usage: node --import tsx capture-driver.ts '<PodPath JSON>' <point>
import {startCapture} from '../../source/capture/capture-session.js';
import type {CapturePointKind} from '../../source/capture/capture-points.js';
import type {PodPath} from '../../source/core/types.js';
import {createLabShell} from '../../source/node/lab-shell.js';
import {NODE_NETNS} from './topology.js';

const pod = JSON.parse(process.argv[2]!) as PodPath;
const point = process.argv[3] as CapturePointKind;
const started = await startCapture({shell: createLabShell(NODE_NETNS), pod, cni: null, names: new Map(), point});
if (!started.ok) {
	console.log(JSON.stringify({error: started.reason}));
	process.exit(1);
}
const ready = await started.value.ready();
console.log(JSON.stringify(ready.ok ? {pid: started.value.pid()} : {error: ready.reason}));
process.stdin.setEncoding('utf8');
process.stdin.on('data', async (text: string) => {
	if (text.includes('q')) {
		await started.value.stop();
		process.exit(0);
	}
});
setInterval(() => undefined, 1000);
