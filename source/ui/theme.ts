// Semantic colours, in three themes: default (for a dark terminal), light (for a light one: no
// yellow or gray on white) and mono. NO_COLOR (any value, per no-color.org) means mono whatever the
// theme says; what matters (selection, row kinds, statuses) is then still carried by markers and
// inverse video.
import {createContext, useContext} from 'react';
import type {ThemeName} from '../core/theme-name.js';

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

type Palette = Omit<Theme, 'color'>;

const PALETTES: Record<Exclude<ThemeName, 'mono'>, Palette> = {
	default: {ok: 'green', warn: 'yellow', error: 'red', muted: 'gray', accent: 'cyan', host: 'magenta', other: 'blue'},
	light: {ok: '#008700', warn: '#af5f00', error: '#d70000', muted: '#6c6c6c', accent: '#005faf', host: '#870087', other: '#005f87'},
};

const NONE: Palette = {ok: undefined, warn: undefined, error: undefined, muted: undefined, accent: undefined, host: undefined, other: undefined};

export function createTheme(env: NodeJS.ProcessEnv = process.env, name: ThemeName = 'default'): Theme {
	const palette = name === 'mono' ? NONE : PALETTES[name];
	const color = palette !== NONE && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '');
	return {color, ...(color ? palette : NONE)};
}

export const ThemeContext = createContext<Theme>(createTheme());

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
