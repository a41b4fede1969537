// Bundles the CLI so the shipped bin pays module resolution once, at build time.
// Ink and React stay in lazily imported chunks: `dump` and `lab` never load them.
import {build} from 'esbuild';
import {rmSync} from 'node:fs';

rmSync('dist', {recursive: true, force: true});
await build({
	entryPoints: {cli: 'source/cli.ts'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// No source maps: they were twice the size of the code, and the package ships without them.
	sourcemap: false,
	// Node's `punycode` builtin warns (DEP0040) on Node >= 21; node-fetch 2 under client-node loads it.
	alias: {punycode: './scripts/punycode.cjs'},
	// node-pty is a dev-only native module; react-devtools-core is an optional peer of Ink.
	external: ['@lydell/node-pty', 'react-devtools-core'],
	banner: {
		// Some CommonJS dependencies call require(); give the ESM bundle one.
		js: "import {createRequire as __k8snetRequire} from 'node:module'; const require = __k8snetRequire(import.meta.url);",
	},
	// React's development build records a performance measure on every render: a long capture would grow without bound.
	define: {'process.env.NODE_ENV': '"production"'},
	logLevel: 'warning',
});
