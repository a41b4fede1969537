// ssh says what went wrong on stderr, in phrases stable across OpenSSH versions. Each known failure
// becomes one line and a hint a user can act on; anything else keeps ssh's own last line.

export interface SshFailure {
	reason: string;
	hint: string;
}

const RULES: Array<{test: RegExp; reason: string; hint: string}> = [
	{
		test: /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No (ECDSA|ED25519|RSA|\w+) host key is known/i,
		reason: 'ssh refused the node: its host key is not known (or has changed)',
		hint: 'add the node key once, e.g. `ssh-keyscan HOST >> ~/.ssh/known_hosts`, or pass -o UserKnownHostsFile=FILE in --node-ssh',
	},
	{
		test: /Permission denied \(|Too many authentication failures|no mutual signature algorithm/i,
		reason: 'ssh could not log in to the node (no key was accepted; passwords are not asked for)',
		hint: 'load a key into ssh-agent or pass -i KEY in --node-ssh; the tool runs ssh with BatchMode=yes',
	},
	{
		test: /Connection refused/i,
		reason: 'nothing accepts ssh connections on the node (connection refused)',
		hint: 'check that sshd runs there and the port: pass -p PORT in --node-ssh',
	},
	{
		test: /timed out during banner exchange|banner exchange: Connection to \S+ port \d+: Connection timed out/i,
		reason: 'the node accepted the connection but its ssh server never answered',
		hint: 'something other than sshd listens on that port, or sshd hangs; check host and -p PORT in --node-ssh',
	},
	{
		test: /Connection timed out|Operation timed out|No route to host|Network is unreachable|Timeout, server \S+ not responding/i,
		reason: 'the node could not be reached over ssh (timed out)',
		hint: 'check the address in --node-ssh and that this machine can reach the node',
	},
	{
		test: /Could not resolve hostname|Name or service not known|nodename nor servname/i,
		reason: 'ssh could not resolve the node host name',
		hint: 'use {ip} (the node InternalIP) or a resolvable name in --node-ssh',
	},
	{
		test: /Bad configuration option|illegal option|unknown option|Bad port|usage: ssh/i,
		reason: 'ssh rejected the arguments from --node-ssh',
		hint: 'pass ordinary ssh options, split on spaces, ending with the destination, e.g. --node-ssh "-p 2222 root@{ip}"',
	},
];

/** Only stderr of a failed ssh (exit 255) should come here: the remote command's own errors are not ssh's. */
export function describeSshFailure(stderr: string): SshFailure {
	for (const rule of RULES) if (rule.test.test(stderr)) return {reason: rule.reason, hint: rule.hint};
	const lines = stderr.split('\n').map(line => line.trim()).filter(line => line !== '');
	return {
		reason: `ssh to the node failed${lines.length > 0 ? `: ${lines.at(-1)}` : ''}`,
		hint: 'try the same arguments by hand: ssh -o BatchMode=yes ARGS true',
	};
}
