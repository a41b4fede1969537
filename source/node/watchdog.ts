// Every remote command, and every stream here, runs under this POSIX sh wrapper. A killed `docker exec` client
// leaves its command running in the container, sshd sends no signal to a command without a pty, and
// locally the kernel's parent-death signal is cleared when a binary with file capabilities (a
// tcpdump given `setcap cap_net_raw+ep`) or a set-uid one is executed. What always reaches the
// wrapper is the end of its stdin: we hold that pipe open for as long as we live, so the wrapper
// runs the command in the background and reads stdin: each line names a signal to pass on (how
// SIGUSR1 reaches tcpdump), and end of input means we are gone: TERM, then KILL a second later.
// One line, `;`-separated, so any login shell parses it.
//
// The command's own stdin is /dev/null (or the given input through printf), never our pipe, and it
// does not inherit fd 3, so the only reader of the pipe is the watchdog itself.

export const WATCHDOG_SCRIPT = [
	// A non-root login's PATH often lacks the sbin directories, where ip and bridge live.
	'PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin',
	'export PATH',
	'exec 3<&0 </dev/null',
	'm=$1',
	'shift',
	'if [ "$m" = + ]; then i=$1; shift; printf %s "$i" | "$@" 3<&- & else "$@" 3<&- & fi',
	'c=$!',
	'(while read -r s <&3; do case $s in USR1|USR2|HUP|INT|TERM) kill -s "$s" "$c";; esac; done; kill -s TERM "$c"; sleep 1; kill -s KILL "$c") >/dev/null 2>&1 & w=$!',
	'wait "$c"',
	's=$?',
	'kill "$w" 2>/dev/null',
	'exit "$s"',
].join('; ');

/** Signals the watchdog passes on when their name arrives as a line on stdin. */
export const RELAYED_SIGNALS = new Set(['SIGUSR1', 'SIGUSR2', 'SIGHUP', 'SIGINT', 'SIGTERM']);

/** The argv to run on the node: `sh -c WATCHDOG sh MODE [INPUT] argv...`, behind `sudo -n` when needed. */
export function watchdogArgv(argv: readonly string[], o: {input?: string; sudo?: boolean} = {}): string[] {
	if (argv.length === 0) throw new Error('watchdogArgv: empty command');
	const mode = o.input === undefined ? ['-'] : ['+', o.input];
	return [...(o.sudo ? ['sudo', '-n'] : []), 'sh', '-c', WATCHDOG_SCRIPT, 'sh', ...mode, ...argv];
}
