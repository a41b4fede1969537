// Notices changes to the lab state file fast: fs.watch on its directory (the lab replaces the file
// by rename, which a watch on the file itself would lose), plus a 1 s stat poll for filesystems
// and editors where fs.watch says nothing.
import {type FSWatcher, statSync, watch} from 'node:fs';
import {basename, dirname} from 'node:path';

export interface StateFileWatch {
	close(): void;
}

function signature(file: string): string {
	try {
		const s = statSync(file);
		return `${s.ino}:${s.size}:${s.mtimeMs}`;
	} catch {
		return 'missing';
	}
}

export function watchStateFile(file: string, onChange: () => void, pollMs = 1000): StateFileWatch {
	let last = signature(file);
	let pending: NodeJS.Timeout | null = null;
	// A short debounce folds the write+rename pair of an atomic update into one reload.
	// fs.watch events always reload (the diff makes a needless reload cheap); the poll only on a new stat.
	const check = (force: boolean) => {
		pending = null;
		const now = signature(file);
		if (now === last && !force) return;
		last = now;
		onChange();
	};

	const schedule = () => {
		pending ??= setTimeout(check, 15, true);
	};

	let watcher: FSWatcher | null = null;
	try {
		watcher = watch(dirname(file), (_event, name) => {
			if (name === null || name === basename(file)) schedule();
		});
		watcher.on('error', () => {
			watcher?.close();
			watcher = null;
		});
	} catch {
		// No such directory yet, or no inotify: the poll below still sees the change.
	}

	const poll = setInterval(check, pollMs, false);
	poll.unref();
	return {
		close() {
			watcher?.close();
			clearInterval(poll);
			if (pending) clearTimeout(pending);
		},
	};
}
