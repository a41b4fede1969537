// Pure layout of the explain overlay. Long commands wrap at spaces with a trailing ` \`, so a
// multi-line selection pasted into a shell is still one command. Commands embed interface names and
// paths from the node, and expectations are its output: both are made safe to show first.
import {displayLines, displayText} from '../core/display-text.js';
import type {ExplainStep} from '../store/tui-state.js';

export interface ExplainLine {
	kind: 'what' | 'command' | 'expect' | 'blank';
	text: string;
}

/** Shell words, with a single-quoted span kept whole: a line break inside quotes would change the command. */
function shellWords(command: string): string[] {
	const words: string[] = [];
	let word = '';
	let quoted = false;
	for (const char of command) {
		if (char === '\'') quoted = !quoted;
		if (char === ' ' && !quoted) {
			if (word !== '') words.push(word);
			word = '';
		} else {
			word += char;
		}
	}

	if (word !== '') words.push(word);
	return words;
}

export function wrapCommand(command: string, width: number): string[] {
	if (command.length + 2 <= width) return [`$ ${command}`];
	const lines: string[] = [];
	let line = '$';
	for (const word of shellWords(command)) {
		// Leave room for the ' \' continuation mark.
		if (line.length + 1 + word.length + 2 > width && line !== '$' && line !== ' ') {
			lines.push(`${line} \\`);
			line = ' ';
		}

		line += ` ${word}`;
	}

	lines.push(line);
	return lines;
}

export function explainLines(steps: readonly ExplainStep[], width: number): ExplainLine[] {
	const lines: ExplainLine[] = [];
	steps.forEach((step, i) => {
		if (i > 0) lines.push({kind: 'blank', text: ''});
		lines.push({kind: 'what', text: `# ${i + 1}. ${displayText(step.what)}`});
		for (const text of wrapCommand(displayText(step.command), width)) lines.push({kind: 'command', text});
		for (const text of displayLines(step.expect)) lines.push({kind: 'expect', text: `= ${text}`});
	});
	return lines;
}
