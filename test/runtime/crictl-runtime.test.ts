// The crictl adapter's command flow, end to end through a real local shell. Debian has no crictl,
// so a stand-in script named `crictl` is put first on PATH: it answers `pods`, `ps`, `inspectp`
// and `inspect` with the real outputs in test/fixtures/crictl (SOURCES.md), and fails like crictl
// (message on stderr, exit 1, nothing more printed) for an id it has no output for.
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, test} from 'node:test';
import type {NodeShell} from '../../source/node/node-shell.js';
import {createLocalShell} from '../../source/node/local-shell.js';
import {probeRuntime} from '../../source/node/runtime/runtime.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/crictl/', import.meta.url));
const SANDBOX_1 = '3eff2d8d3a4f3d3c0d1c4d4737c21b397bf7cbf77fd8a0fe370f6a59129cd535';
const SANDBOX_2 = 'd4b9cb85ac28cd56d9b7a3b559fc41690abac8536b12ae5e1ede3c77b298600c';

const STAND_IN = `#!/bin/sh
# crictl stand-in: prints recorded real outputs. Logs its argv for the test.
F="$CRICTL_FIXTURES"
echo "$*" >> "$CRICTL_LOG"
cmd="$1"; shift
[ "$1" = "-a" ] && shift
[ "$1" = "-o" ] && shift 2
case "$cmd" in
pods) cat "$F/containerd-kind.pods.json" ;;
ps) cat "$F/containerd-kind.ps.json" ;;
inspectp|inspect)
	for id in "$@"; do
		if [ "$cmd" = inspectp ] && [ "$id" = ${SANDBOX_1} ]; then cat "$F/containerd-kind.inspectp.json"
		elif [ "$cmd" = inspect ] && [ "$id" = f3a240d625b1e97b859e29f81360fd79538021c46eaafb325dc0fa195c8e4b6a ]; then cat "$F/containerd-kind.inspect.json"
		else echo "E1129 getting the status of \\"$id\\": rpc error: code = NotFound" >&2; exit 1
		fi
	done ;;
*) echo "unexpected: $cmd" >&2; exit 2 ;;
esac
`;

let dir = '';
const saved = {PATH: process.env['PATH'], CRICTL_FIXTURES: process.env['CRICTL_FIXTURES'], CRICTL_LOG: process.env['CRICTL_LOG']};

before(() => {
	dir = mkdtempSync(join(tmpdir(), 'k8snet-crictl-'));
	writeFileSync(join(dir, 'crictl'), STAND_IN);
	chmodSync(join(dir, 'crictl'), 0o755);
	process.env['PATH'] = `${dir}:${saved.PATH ?? ''}`;
	process.env['CRICTL_FIXTURES'] = FIXTURES;
	process.env['CRICTL_LOG'] = join(dir, 'argv.log');
});

after(() => {
	for (const [key, value] of Object.entries(saved)) {
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
	}

	rmSync(dir, {recursive: true, force: true});
});

/** The inode this host really has at a path, or null: the fixture pids are from another machine. */
function hostInode(path: string): number | null {
	try {
		return statSync(path).ino;
	} catch {
		return null;
	}
}

for (const [label, shell] of [
	['local shell (inodes read in-process)', createLocalShell()],
	['a shell without our /proc (inodes through one stat)', {...createLocalShell(), sharesProcfs: false} satisfies NodeShell],
] as const) {
	test(`crictl flow (4 commands) gives sandbox and container pids: ${label}`, async () => {
		writeFileSync(process.env['CRICTL_LOG']!, '');
		const probe = await probeRuntime(shell);
		const {info} = probe;
		assert.equal(info.kind, 'crictl');
		assert.equal(info.note, null);
		assert.deepEqual(
			info.sandboxes.map(s => [s.name, s.sandboxId, s.pid, s.containers.map(c => [c.name, c.pid, c.state])]),
			[
				['coredns-5d78c9869d-79bfv', SANDBOX_1, 1322, [['coredns', 1478, 'running']]],
				// crictl inspectp stopped at this id (the stand-in has no output for it): pids unknown.
				['coredns-5d78c9869d-rbg8v', SANDBOX_2, null, [['coredns', null, 'running']]],
			],
		);
		assert.equal(info.sandboxes[0]?.netnsInode, hostInode('/proc/1322/ns/net'));
		assert.equal(info.sandboxes[0]?.containers[0]?.netnsInode, hostInode('/proc/1478/ns/net'));

		const calls = readFileSync(process.env['CRICTL_LOG']!, 'utf8').trim().split('\n').sort();
		assert.deepEqual(calls, [
			`inspect -o json f3a240d625b1e97b859e29f81360fd79538021c46eaafb325dc0fa195c8e4b6a 5fbcaeab34f4da1a229c5b4c823449ee6ec41288434a3ca7167291dbf3731f7a`,
			`inspectp -o json ${SANDBOX_1} ${SANDBOX_2}`,
			'pods -o json',
			'ps -a -o json',
		]);
		assert.equal(probe.processes, shell.sharesProcfs ? 4 : 5);
	});
}
