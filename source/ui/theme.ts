// Semantic colours. NO_COLOR (any value, per no-color.org) turns every colour off; what matters
// (selection, row kinds, statuses) is then still carried by markers and inverse video.
import {createContext, useContext} from 'react';

export interface Theme {
	color: boolean;
	ok: string | undefined;
	warn: string | undefined;
	error: string | undefined;
	muted: string | undefined;
	accent: string | undefined;
	/** Rows of pods that are not ordinary pods of this node. */
	host: string | undefined;
	other: string | undefined;
}

export function createTheme(env: NodeJS.ProcessEnv = process.env): Theme {
	const color = env['NO_COLOR'] === undefined || env['NO_COLOR'] === '';
	const pick = (name: string) => (color ? name : undefined);
	return {
		color,
		ok: pick('green'),
		warn: pick('yellow'),
		error: pick('red'),
		muted: pick('gray'),
		accent: pick('cyan'),
		host: pick('magenta'),
		other: pick('blue'),
	};
}

export const ThemeContext = createContext<Theme>(createTheme());

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
