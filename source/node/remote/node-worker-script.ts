// The node side of a node worker: one POSIX sh, started once per node over whatever way in there
// is (ssh, docker exec, an agent pod's exec), that runs one command per request line it reads on
// stdin. Each request is `TOKEN WORDS`: the words are `- argv...` or `+ INPUT argv...`, each quoted
// by the one shell quoter, so the worker's `eval "set -- WORDS"` only ever rebuilds the argv; a
// newline inside an argument travels as "$nl" between quoted pieces, because the request is one
// line. A request `= N VALUE` keeps VALUE in the variable vN instead, so that long arguments sent
// with every poll (the probe script, the list of known inodes) cross once and are then named by
// "$vN", which the eval expands to exactly one word. TOKEN is 128 random bits, new for every
// request, and frames the reply on both streams:
//   stdout: TOKEN:0\n <the command's stdout, raw> TOKEN:1 STATUS\n
//   stderr: TOKEN:0\n <the command's stderr, raw> TOKEN:2\n
// Output can hold any bytes, lack a final newline, or print something shaped like a boundary:
// only this request's token ends it, and the command never sees the token. Bytes outside a frame
// are the transport's own (a login banner, ssh or sudo complaints) or a killed command's orphan.
//
// The command runs in the background with its own pid and its stdin on /dev/null (or fed the
// input through printf), and a watcher reads our stream while it runs (the client writes nothing
// during a request but to stop it): a line kills the command (a cancel, or the client's deadline:
// the client keeps the clock, so nothing on the node sleeps), end of input means the client is
// gone, so the worker kills the command and itself. That is the stdin watchdog, for the whole
// worker. The watcher is ended with KILL, never a trappable signal: a subshell inherits the
// worker's traps, and a trapped signal lets `read` fail as if at end of input (and dash's `wait`
// can miss a signal that lands while it forks). The shell's own "Killed" notes go to /dev/null,
// so they never land in a reply. Needs nothing but sh's builtins, and touch when it is given a
// heartbeat file ($2): touched with every request, it tells an agent pod that its session lives.
import {quoteArgument} from '../../core/shell-quote.js';

/** A phrase of the script, so a test finds the worker's processes by their command line. */
export const WORKER_MARKER = 'k8snet-tui node worker';

export const WORKER_SCRIPT = `: ${WORKER_MARKER}
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
export PATH
exec 3<&0 </dev/null
nl='
'
c=
hb=$2
trap '[ -z "$c" ] || kill -KILL "$c" 2>/dev/null; exit 0' TERM HUP INT PIPE
set -f
printf '%s ready\\n' "$1"
while IFS= read -r q <&3; do
[ -n "$q" ] || continue
tok=\${q%% *}; q=\${q#* }
case $tok in *[!0-9a-f]*|'') exit 2;; esac
[ -z "$hb" ] || touch "$hb" 2>/dev/null
eval "set -- $q"
m=$1; shift
printf '%s:0\\n' "$tok"; printf '%s:0\\n' "$tok" >&2
if [ "$m" = = ]; then case $1 in *[!0-9]*|'') exit 2;; esac; eval "v$1=\\$2"; printf '%s:1 0\\n' "$tok"; printf '%s:2\\n' "$tok" >&2; continue; fi
if [ "$m" = + ]; then i=$1; shift; printf %s "$i" | "$@" 3<&- & else "$@" 3<&- & fi
c=$!
(IFS= read -r x <&3 || { kill -KILL "$c"; kill -TERM $$; exit 0; }; kill -KILL "$c") >/dev/null 2>&1 & w=$!
wait "$c" 2>/dev/null; st=$?
kill -KILL "$w" 2>/dev/null; wait "$w" 2>/dev/null
c=
printf '%s:1 %s\\n' "$tok" "$st"; printf '%s:2\\n' "$tok" >&2
done`;

/** The node-side argv that starts a worker; `token` is what its ready line starts with. */
export function workerArgv(token: string, o: {sudo?: boolean; heartbeat?: string | undefined} = {}): string[] {
	return [...(o.sudo ? ['sudo', '-n'] : []), 'sh', '-c', WORKER_SCRIPT, 'sh', token, ...(o.heartbeat === undefined ? [] : [o.heartbeat])];
}

/** One argument as words of a single line: each newline-free piece quoted, joined by "$nl". */
function quoteOnOneLine(arg: string): string {
	return arg.split('\n').map(quoteArgument).join('"$nl"');
}

/**
 * The request line; throws on an empty argv or an argument holding NUL (no shell can pass one on).
 * An argument the worker holds in a variable already (`slotOf`) is sent as a reference to it.
 */
export function requestLine(token: string, argv: readonly string[], input?: string, slotOf: (arg: string) => number | undefined = () => undefined): string {
	if (argv.length === 0) throw new Error('an empty command');
	const mode = input === undefined ? ['-'] : ['+', quoteOnOneLine(input)];
	const words = argv.map(arg => {
		const slot = slotOf(arg);
		return slot === undefined ? quoteOnOneLine(arg) : `"$v${slot}"`;
	});
	return `${token} ${[...mode, ...words].join(' ')}\n`;
}

/** Has the worker keep `value` in variable v<slot> (its reply is an empty success). */
export function defineLine(token: string, slot: number, value: string): string {
	return `${token} = ${slot} ${quoteOnOneLine(value)}\n`;
}

/** What the client writes during a request to have its command killed. */
export const STOP_LINE = '\n';
