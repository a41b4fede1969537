// What a remote node must have, checked once per connection: iproute2 (ip, bridge), util-linux
// (nsenter, setpriv), tcpdump, and root or password-less sudo. The answer is one line with the exact
// command that installs what is missing, through the same way in (docker exec / ssh).
import {quoteArgument} from '../../core/shell-quote.js';

export interface NodeNeeds {
	uid: number | null;
	/** Not root, but `sudo -n true` works: every command is run through `sudo -n`. */
	sudo: boolean;
	missing: string[];
	/** /etc/os-release ID and ID_LIKE words, to pick the package manager. */
	os: string[];
}

const TOOLS = ['ip', 'bridge', 'nsenter', 'setpriv', 'tcpdump', 'stat', 'cat'];

/** One sh run. Tools are looked up as the commands will run: through sudo when not root. */
export const NEEDS_SCRIPT = [
	'u=$(id -u)',
	'echo "uid $u"',
	'p=',
	'if [ "$u" != 0 ] && sudo -n true 2>/dev/null; then echo sudo; p="sudo -n"; fi',
	// An ip without JSON output (busybox's applet) is as good as none.
	`$p sh -c 'for t; do command -v "$t" >/dev/null 2>&1 || echo "miss $t"; done; command -v ip >/dev/null 2>&1 && ! ip -j link show lo >/dev/null 2>&1 && echo "miss ip"; true' sh ${TOOLS.join(' ')}`,
	"sed -n 's/^ID=/os /p; s/^ID_LIKE=/os /p' /etc/os-release 2>/dev/null",
	'true',
].join('; ');

export function parseNeeds(stdout: string): NodeNeeds {
	const needs: NodeNeeds = {uid: null, sudo: false, missing: [], os: []};
	for (const line of stdout.split('\n')) {
		const [key, ...rest] = line.trim().split(/\s+/);
		if (key === 'uid' && /^\d+$/.test(rest[0] ?? '')) needs.uid = Number(rest[0]);
		else if (key === 'sudo') needs.sudo = true;
		else if (key === 'miss' && rest[0] && !needs.missing.includes(rest[0])) needs.missing.push(rest[0]);
		else if (key === 'os') needs.os.push(...rest.join(' ').replaceAll('"', '').split(/\s+/).filter(Boolean));
	}

	return needs;
}

const PACKAGES: Record<string, {deb: string; rpm: string; apk: string}> = {
	ip: {deb: 'iproute2', rpm: 'iproute', apk: 'iproute2'},
	bridge: {deb: 'iproute2', rpm: 'iproute', apk: 'iproute2'},
	nsenter: {deb: 'util-linux', rpm: 'util-linux', apk: 'util-linux'},
	setpriv: {deb: 'util-linux', rpm: 'util-linux', apk: 'setpriv'},
	tcpdump: {deb: 'tcpdump', rpm: 'tcpdump', apk: 'tcpdump'},
	stat: {deb: 'coreutils', rpm: 'coreutils', apk: 'coreutils'},
	cat: {deb: 'coreutils', rpm: 'coreutils', apk: 'coreutils'},
};

/** The package manager command, run as root on the node. Debian-family images ship without apt lists. */
export function installCommand(missing: readonly string[], os: readonly string[]): string {
	const family = os.some(id => ['alpine'].includes(id)) ? 'apk' : os.some(id => ['fedora', 'rhel', 'centos', 'amzn', 'rocky', 'almalinux'].includes(id)) ? 'rpm' : 'deb';
	const packages = [...new Set(missing.map(tool => PACKAGES[tool]?.[family] ?? tool))].join(' ');
	if (family === 'apk') return `apk add ${packages}`;
	if (family === 'rpm') return `dnf install -y ${packages}`;
	return `apt-get update && apt-get install -y ${packages}`;
}

/**
 * One line for the user, or null when nothing is missing. `via` is how a command reaches the node
 * by hand (`docker exec minikube`, `ssh root@10.0.0.5`).
 */
export function describeNeeds(needs: NodeNeeds, via: string): {reason: string; hint: string} | null {
	const root = needs.uid === 0 || needs.sudo;
	if (needs.missing.length === 0 && root) return null;
	const parts: string[] = [];
	if (needs.missing.length > 0) parts.push(`missing on the node: ${needs.missing.join(', ')}`);
	if (!root) parts.push(`runs as uid ${needs.uid ?? '?'} without password-less sudo, so pod namespaces cannot be entered`);
	const hint =
		needs.missing.length > 0
			? `install: ${via} ${root && needs.uid !== 0 ? 'sudo ' : ''}sh -c ${quoteArgument(installCommand(needs.missing, needs.os))}`
			: 'log in as root (root@HOST in --node-ssh) or allow password-less sudo for this user';
	return {reason: parts.join('; '), hint};
}
