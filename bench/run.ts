// `npm run bench`: each area's benchmark prints its own figures and ratios against its goals.
// Run as root on Linux: they bring the lab up and down. Pass area names to run only those.
const areas = ['engine', 'tui', 'capture', 'remote', 'policy', 'rules', 'runtime-cri', 'path', 'path-service', 'flows'] as const;
const chosen = process.argv.slice(2);

for (const area of areas) {
	if (chosen.length > 0 && !chosen.includes(area)) continue;
	console.log(`\n=== ${area} ===`);
	const {bench} = (await import(`./${area}.js`)) as {bench: () => Promise<Record<string, number | string>>};
	const figures = await bench();
	for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(44)} ${value}`);
}
