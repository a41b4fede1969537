// Run in its own process by scale.test.ts (so the lab server's memory is not counted): lists and
// watches every pod of the kubeconfig's cluster, then prints what it cost as one JSON line.
// node --expose-gc --import tsx test/cluster/scale-probe.ts KUBECONFIG NODE
import type {PodInfo} from '../../source/core/types.js';
import {loadKubeTarget} from '../../source/cluster/kube-target.js';
import {watchPods} from '../../source/cluster/pod-watch.js';
import {listPods} from '../../source/cluster/pods.js';

const [kubeconfig, node] = process.argv.slice(2);
const gc = (globalThis as {gc?: () => void}).gc ?? (() => {});
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

const t = loadKubeTarget({kubeconfig});
if (!t.ok) throw new Error(t.reason);
gc();
const base = process.memoryUsage();

const nodeStart = performance.now();
const onNode = await listPods(t.value, {nodeName: node});
const nodeListMs = performance.now() - nodeStart;
if (!onNode.ok) throw new Error(onNode.reason);

const pods = new Map<string, PodInfo>();
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 5);
const start = performance.now();
const listMs = await new Promise<number>((resolve, reject) => {
	const w = watchPods(t.value, {}, {
		onReplace(list) {
			pods.clear();
			for (const p of list) pods.set(p.uid, p);
			resolve(performance.now() - start);
			// Held open: the watch stays, as in the TUI.
			setTimeout(() => w.stop(), 1500);
		},
		onUpsert: p => pods.set(p.uid, p),
		onDelete: uid => pods.delete(uid),
		onStatus(s) {
			if (!s.connected) reject(new Error(s.reason));
		},
	});
});
clearInterval(sampler);
await new Promise(r => setTimeout(r, 1600));
gc();
const held = process.memoryUsage();
// V8's memory reducer gives back heap pages a few seconds after a burst: what an idle TUI holds.
await new Promise(r => setTimeout(r, 6000));
const idleRss = process.memoryUsage.rss();
const count = pods.size;
pods.clear();
gc();
const dropped = process.memoryUsage();
console.log(
	JSON.stringify({
		pods: count,
		nodePods: onNode.value.length,
		nodeListMs: Math.round(nodeListMs),
		listMs: Math.round(listMs),
		rssBaseMB: mb(base.rss),
		rssPeakMB: mb(peakRss),
		rssHeldMB: mb(held.rss),
		rssGrowthMB: mb(held.rss - base.rss),
		rssIdleAfter6sMB: mb(idleRss),
		podMapHeapMB: mb(held.heapUsed - dropped.heapUsed),
		bytesPerPod: Math.round((held.heapUsed - dropped.heapUsed) / count),
		heapTotalMB: mb(held.heapTotal),
		heapUsedMB: mb(held.heapUsed),
		externalMB: mb(held.external),
		baseHeapTotalMB: mb(base.heapTotal),
		baseHeapUsedMB: mb(base.heapUsed),
		baseExternalMB: mb(base.external),
	}),
);
