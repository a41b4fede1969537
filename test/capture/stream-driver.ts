// Stands in for the TUI in the no-orphans test of the watchdog: starts one stream through the local
// shell, prints the pid the shell reports, then waits to be killed.
// Usage: node --import tsx stream-driver.ts '<argv JSON>'
import {createLocalShell} from '../../source/node/local-shell.js';

const argv = JSON.parse(process.argv[2]!) as string[];
const handle = createLocalShell().stream(argv, {onStdoutLine: () => undefined});
console.log(JSON.stringify({pid: handle.pid}));
setInterval(() => undefined, 1000);
