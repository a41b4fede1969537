// The one POSIX shell quoter. ssh hands the remote side one string, which the remote user's login
// shell parses; the capture header and the explain commands show commands a person pastes into a
// shell. Every argument is quoted on its own: inside single quotes nothing is special, and a single
// quote itself is closed, escaped and reopened ('\''). Pod names, IPs and paths therefore reach the
// command as exactly one argv element each, whatever characters they hold.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArgument(arg: string): string {
	if (arg.includes('\0')) throw new Error('an argument cannot hold a NUL byte');
	if (SAFE.test(arg)) return arg;
	return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function quoteCommand(argv: readonly string[]): string {
	return argv.map(quoteArgument).join(' ');
}
