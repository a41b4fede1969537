// The Details pane: every fact of what is selected (a hop of the path, or a container), as a
// two-column table. A long value (a 64-hex container id, an image digest, a cgroup path) wraps
// under itself rather than being cut: the pane is where columns that do not fit are read whole.
import {Text} from 'ink';
import {Pane} from '../components/Pane.js';
import {fit} from '../columns.js';
import type {Facts} from '../container-details.js';

export interface DetailsPaneProps {
	/** What the facts are of ("eth0", "container app"); null: nothing is selected. */
	subject: string | null;
	facts: Facts;
	/** First line shown (the pane scrolls with j/k while focused). */
	scroll: number;
	/** Shown when nothing is selected. */
	placeholder: string;
	focused: boolean;
	width: number;
	height: number;
}

export interface DetailLine {
	/** The label on a fact's first line, '' on its continuation lines. */
	label: string;
	text: string;
}

/** The facts as lines of a pane `width` wide (borders included). */
export function detailLines(facts: Facts, width: number): {label: number; lines: DetailLine[]} {
	const label = Math.min(Math.max(...facts.map(([key]) => key.length), 8), Math.floor((width - 2) / 2));
	const room = Math.max(1, width - 2 - label - 1);
	const lines = facts.flatMap(([key, value]) => {
		const chunks = value.length === 0 ? [''] : Array.from({length: Math.ceil(value.length / room)}, (_, i) => value.slice(i * room, (i + 1) * room));
		return chunks.map((text, i) => ({label: i === 0 ? key : '', text}));
	});
	return {label, lines};
}

/** Lines of facts the pane shows at once. */
export function detailsRoom(height: number): number {
	return Math.max(0, height - 3);
}

export function DetailsPane({subject, facts, scroll, placeholder, focused, width, height}: DetailsPaneProps) {
	const {label, lines} = detailLines(facts, width);
	const room = detailsRoom(height);
	const more = lines.length - scroll - room;
	return (
		<Pane title={subject ? `Details: ${subject}` : 'Details'} info={more > 0 ? <Text dimColor>{more} more ↓</Text> : undefined} focused={focused} width={width} height={height}>
			{subject === null ? <Text dimColor>{placeholder}</Text> : lines.slice(scroll, scroll + room).map((line, i) => (
				<Text key={scroll + i} wrap='truncate-end'><Text dimColor>{fit(line.label, label)}</Text> {line.text}</Text>
			))}
		</Pane>
	);
}
