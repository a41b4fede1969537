// The TUI's colour themes by name, for --theme and `theme:` in config.yaml. Pure and free of React,
// so the CLI checks the name before it loads anything.
export const THEME_NAMES = ['default', 'mono', 'light'] as const;
export type ThemeName = typeof THEME_NAMES[number];

export function isThemeName(name: string): name is ThemeName {
	return (THEME_NAMES as readonly string[]).includes(name);
}
