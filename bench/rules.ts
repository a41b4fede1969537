// The service-rules benchmark (issue 13): parse kube-proxy's rules and join them with the API's
// EndpointSlices for 1,000 Services × 3 endpoints — iptables-save text (about 15k lines) and the
// same cluster as `nft -j` JSON — against the ≤ 150 ms goal. Pure: no lab, no lock needed.
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {joinServiceRules} from '../source/core/service-rules/join-endpoints.js';
import type {RulesModel} from '../source/core/service-rules/types.js';
import {iptablesRulesModel} from '../source/node/rules/iptables-model.js';
import {parseIptablesSave} from '../source/node/rules/iptables-save.js';
import {parseNftJson} from '../source/node/rules/nft-json.js';
import {nftRulesModel} from '../source/node/rules/nft-model.js';
import {syntheticRules} from '../test/core/service-rules/synthetic-rules.js';

const RUNS = 9;
const GOAL_MS = 150;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

export async function bench(): Promise<Record<string, number | string>> {
	const c = syntheticRules(1000, 3);
	const runs = (read: () => RulesModel) => {
		const parse: number[] = [];
		const total: number[] = [];
		let problems = -1;
		for (let i = 0; i < RUNS; i++) {
			const t0 = performance.now();
			const model = read();
			const t1 = performance.now();
			problems = joinServiceRules(model, c.services, c.slices, {nodeName: 'node0'}).problems.length;
			total.push(performance.now() - t0);
			parse.push(t1 - t0);
		}

		return {first: total[0]!, parse: median(parse), total: median(total), problems};
	};
	const ipt = runs(() => iptablesRulesModel(parseIptablesSave(c.iptablesSave))!);
	const nft = runs(() => nftRulesModel(parseNftJson(c.nftJson)!)!);
	return {
		'services × endpoints': '1000 × 3',
		'iptables-save lines': c.iptablesSave.split('\n').length,
		'nft -j JSON (KiB)': Math.round(c.nftJson.length / 1024),
		'problems found (0 expected)': ipt.problems + nft.problems,
		'iptables first parse + join, cold (ms)': Math.round(ipt.first),
		'iptables parse p50 (ms)': Math.round(ipt.parse),
		'iptables parse + join p50 / 150 ms goal': (ipt.total / GOAL_MS).toFixed(2),
		'nftables first parse + join, cold (ms)': Math.round(nft.first),
		'nftables parse p50 (ms)': Math.round(nft.parse),
		'nftables parse + join p50 / 150 ms goal': (nft.total / GOAL_MS).toFixed(2),
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const [name, value] of Object.entries(await bench())) console.log(`${name.padEnd(44)} ${value}`);
}
