// --help after any command prints that command's help and does nothing else, and a bad -n is one
// line before anything starts. As root the CLI runs as nobody here: a `lab up` that ignored --help
// would then fail ("needs root") instead of building a lab, and the test still sees it.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {k8snet} from './lab-cli.js';

const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups', 'env', 'HOME=/nonexistent', 'KUBECONFIG=/nonexistent/kubeconfig'] : [];
const run = (args: string[]) => k8snet(args, {prefix: asNobody});

const commands: Array<{args: string[]; usage: RegExp}> = [
	{args: ['--help'], usage: /\$ k8snet-tui \[flags\]\s+open the TUI/},
	{args: ['-n', 'web', '--help'], usage: /\$ k8snet-tui \[flags\]\s+open the TUI/},
	{args: ['dump', '--help'], usage: /\$ k8snet-tui dump \[POD\] \[--json\] \[flags\]/},
	{args: ['dump', 'default/web-0', '--json', '--help'], usage: /\$ k8snet-tui dump \[POD\]/},
	{args: ['lab', '--help'], usage: /\$ k8snet-tui lab \[lab flags\]\s+bring the lab up/},
	{args: ['lab', 'up', '--pods', '3', '--help'], usage: /\$ k8snet-tui lab up \[lab flags\]\n/},
	{args: ['lab', 'down', '--help'], usage: /\$ k8snet-tui lab down\n/},
	{args: ['lab', 'status', '-h'], usage: /\$ k8snet-tui lab status \[--json\]\n/},
	{args: ['lab', 'pod', 'add', 'default/web-9', '--help'], usage: /\$ k8snet-tui lab pod add NS\/NAME\n/},
	{args: ['lab', 'pod', 'delete', '--help'], usage: /\$ k8snet-tui lab pod delete NS\/NAME\n/},
	{args: ['lab', 'fault', 'add', 'veth-down', 'default/nginx-1', '--help'], usage: /\$ k8snet-tui lab fault add KIND ARGS\n/},
];

for (const {args, usage} of commands) {
	test(`k8snet-tui ${args.join(' ')}: its own help with examples, and nothing else`, async () => {
		const r = await run(args);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stderr, '');
		assert.match(r.stdout, usage);
		assert.match(r.stdout, /Examples?\n\s+\$ (sudo )?k8snet-tui/);
	});
}

test('each command has a help of its own', async () => {
	const texts = await Promise.all(commands.map(c => run(c.args)));
	const distinct = new Set(texts.map(t => t.stdout));
	// --help and -n web --help are the same page, as are dump and dump POD, and pod add and pod delete.
	assert.equal(distinct.size, commands.length - 3);
});

test('--help after a command that does not exist says so in one line', async () => {
	const r = await run(['lab', 'frobnicate', '--help']);
	assert.equal(r.code, 1);
	assert.equal(r.stdout, '');
	assert.match(r.stderr, /^k8snet-tui: no command 'lab frobnicate'\. Run 'k8snet-tui --help'\.\n$/);
});

test('an invalid -n is one line with a hint, for every mode, before anything starts', async () => {
	for (const args of [['dump', '-n', 'Bad_NS'], ['-n', 'Bad_NS'], ['dump', '-n', ''], ['lab', '-n', 'x'.repeat(64)], ['dump', '--namespace', 'a;b']]) {
		const r = await run(args);
		assert.equal(r.code, 1, args.join(' '));
		assert.equal(r.stdout, '');
		const lines = r.stderr.trimEnd().split('\n');
		assert.equal(lines.length, 1, r.stderr);
		assert.match(lines[0]!, /^k8snet-tui: -n \S+ is not a namespace name \(a namespace is lowercase letters, digits and '-', at most 63; kubectl get namespaces lists them\)$/, args.join(' '));
	}
});
