// A node's CNI config files, when this process can read them: only on the node itself (the lab's
// nodes share our /etc, but their CNI configs are the lab's own, not these).
import {readdirSync, readFileSync} from 'node:fs';

const CNI_CONFIG_DIR = '/etc/cni/net.d';

export function readCniConfigs(dir = CNI_CONFIG_DIR): string[] {
	const texts: string[] = [];
	let names: string[];
	try {
		names = readdirSync(dir).filter(name => /\.(conflist|conf|json)$/.test(name)).sort();
	} catch {
		return texts;
	}

	for (const name of names) {
		try {
			texts.push(readFileSync(`${dir}/${name}`, 'utf8'));
		} catch {
			// Unreadable without root: detection falls back to what the interfaces show.
		}
	}

	return texts;
}
