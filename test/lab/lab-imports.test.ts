// The lab's modules form no import cycle (type-only imports included: a cycle of types still ties
// two modules' jobs together). Read from the source text, so it needs no build.
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {test} from 'node:test';

const ROOT = resolve('source/lab');

function imports(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/g), ...text.matchAll(/\bimport\('(\.[^']+)'\)/g)];
	return specs.map(m => resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'))).filter(f => f.startsWith(`${ROOT}/`));
}

/** One cycle as a list of files, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
	const state = new Map<string, 'open' | 'done'>();
	const path: string[] = [];
	const visit = (node: string): string[] | null => {
		if (state.get(node) === 'done') return null;
		if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
		state.set(node, 'open');
		path.push(node);
		for (const next of graph.get(node) ?? []) {
			const cycle = visit(next);
			if (cycle) return cycle;
		}

		path.pop();
		state.set(node, 'done');
		return null;
	};

	for (const node of graph.keys()) {
		const cycle = visit(node);
		if (cycle) return cycle;
	}

	return null;
}

test('source/lab has no import cycle', () => {
	const files = readdirSync(ROOT, {recursive: true}).map(String).filter(f => f.endsWith('.ts')).map(f => join(ROOT, f));
	assert.ok(files.length > 20, `read ${files.length} files`);
	const graph = new Map(files.map(f => [f, imports(f)]));
	assert.ok(graph.get(join(ROOT, 'lab-command.ts'))!.length > 5, 'the import reader sees lab-command.ts\'s imports');
	const cycle = findCycle(graph);
	assert.equal(cycle, null, `cycle: ${cycle?.map(f => relative(ROOT, f)).join(' → ')}`);
});
