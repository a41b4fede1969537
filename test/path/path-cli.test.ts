// `path`'s arguments: each bad one is one line with a hint and exit 1, before any cluster is asked.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {k8snet} from '../dump/lab-cli.js';

const cases: Array<{args: string[]; line: RegExp}> = [
	{args: ['path'], line: /^k8snet-tui path: needs FROM and TO \(k8snet-tui path NS\/POD NS\/POD, or NS\/POD IP\)$/},
	{args: ['path', 'a/b/c', 'x'], line: /^k8snet-tui path: "a\/b\/c" is not NAME or NAMESPACE\/NAME/},
	{args: ['path', 'default/a', 'Bad_Name'], line: /is not a pod \(NAME or NAMESPACE\/NAME\), a Service \(svc\/NAMESPACE\/NAME\[:PORT\]\) or an IP address/},
	{args: ['path', 'default/a', '10.0.0.1', '--proto', 'gre'], line: /--proto gre is not one of tcp, udp, sctp, icmp/},
	{args: ['path', 'default/a', '10.0.0.1', '--port', '70000'], line: /--port 70000 is not a port/},
	{args: ['path', 'default/a', '10.0.0.1', '--port', '80', '--proto', 'icmp'], line: /--port makes no sense with --proto icmp/},
	{args: ['path', 'a', 'b', 'c'], line: /takes FROM and TO, not 3 arguments/},
];

for (const c of cases) {
	test(`path ${c.args.slice(1).join(' ')}: one line, exit 1`, async () => {
		const r = await k8snet([...c.args, '--kubeconfig', '/nonexistent']);
		assert.equal(r.code, 1);
		assert.equal(r.stdout, '');
		const lines = r.stderr.trim().split('\n');
		assert.equal(lines.length, 1, r.stderr);
		assert.match(lines[0]!, c.line);
	});
}

test('path --help names the hops, the verdicts and the exit codes', async () => {
	const r = await k8snet(['path', '--help']);
	assert.equal(r.code, 0);
	assert.match(r.stdout, /k8snet-tui path FROM TO \[--port N\] \[--proto tcp\|udp\|sctp\|icmp\] \[--json\]/);
	assert.match(r.stdout, /reachable, broken, unknown/);
});
