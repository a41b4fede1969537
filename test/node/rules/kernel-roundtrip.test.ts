// kube-proxy's test rulesets loaded into a network namespace of our own and read back from the
// kernel: the parsers see what iptables-nft and nft print today, and the recorded fixtures still
// match it. Needs root; hold the machine lock: flock /tmp/k8snet-lab.flock npm test -- rules/kernel
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, test} from 'node:test';
import {iptablesRulesModel} from '../../../source/node/rules/iptables-model.js';
import {parseIptablesSave} from '../../../source/node/rules/iptables-save.js';
import {parseNftJson} from '../../../source/node/rules/nft-json.js';
import {nftRulesModel} from '../../../source/node/rules/nft-model.js';
import {needs} from '../../support/prerequisites.js';
import {fixture, labIptablesSave} from './kube-proxy-fixtures.js';

const skip = needs({root: true, tools: ['ip', 'iptables-nft-restore', 'iptables-nft-save', 'nft']});
const NS = 'k8snet-rules-test';
const inNs = (cmd: string, args: string[], input?: string) => execFileSync('ip', ['netns', 'exec', NS, cmd, ...args], {input, encoding: 'utf8'});
const removeNs = () => execFileSync('ip', ['netns', 'del', NS], {stdio: 'ignore'});

before(() => {
	if (skip) return;
	try {
		removeNs();
	} catch {
		// None left over: the usual case.
	}

	execFileSync('ip', ['netns', 'add', NS]);
});

after(() => {
	if (!skip) removeNs();
});

test('iptables-nft: kube-proxy\'s restore input, read back, is the recorded fixture and parses to the same model', {skip}, () => {
	// This kernel has no xt_nfacct (see record.sh); kube-proxy only counts packets with it.
	inNs('iptables-nft-restore', [], fixture('kube-proxy-overall.iptables-restore.txt').replace(/ -m nfacct --nfacct-name \S+/g, ''));
	const live = ['nat', 'filter'].map(t => inNs('iptables-nft-save', ['-t', t]).split('\n').filter(l => !l.startsWith('#')).join('\n')).join('');
	assert.equal(live, labIptablesSave());
	const model = iptablesRulesModel(parseIptablesSave(live));
	assert.deepEqual(model, iptablesRulesModel(parseIptablesSave(labIptablesSave())));
	assert.equal(model?.services.length, 6);
});

test('nftables: kube-proxy\'s transaction, read back as JSON, parses to the recorded fixture\'s model', {skip}, () => {
	const lines = fixture('kube-proxy-overall.nft').split('\n');
	// kube-proxy adds every chain before filling any; its test dump lists them by Service.
	const ordered = [...lines.filter(l => l.startsWith('add table')), ...lines.filter(l => l.startsWith('add chain')), ...lines.filter(l => !l.startsWith('add table') && !l.startsWith('add chain'))];
	inNs('nft', ['-f', '-'], ordered.join('\n'));
	const live = nftRulesModel(parseNftJson(inNs('nft', ['-j', 'list', 'table', 'ip', 'kube-proxy']))!);
	// Handles are the kernel's own numbering: compare the model without them.
	const unhandled = (m: unknown) => JSON.parse(JSON.stringify(m).replace(/ # handle \d+/g, '')) as unknown;
	assert.deepEqual(unhandled(live), unhandled(nftRulesModel(parseNftJson(fixture('lab-overall.nft.json'))!)));
	assert.equal(live?.services.length, 6);
});
