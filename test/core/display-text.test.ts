// The display sanitizer: what a pod's creator can put in a name, an image or a reason must not
// reach the terminal as a control sequence, and must stay visible as having been there.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {displayLines, displayText, PLACEHOLDER as X} from '../../source/core/display-text.js';

const ESC = '\u001B';

test('clean text is returned as is (the same string)', () => {
	for (const text of ['default/web-1', 'registry.k8s.io/pause:3.9', 'ünïcødé ✓ ─│', '']) assert.equal(displayText(text), text);
});

test('escape sequences become one placeholder each, with the text around them kept', () => {
	const cases: Array<[string, string]> = [
		// OSC 0 (window title), terminated by BEL or by ST.
		[`a${ESC}]0;pwned\u0007b`, `a${X}b`],
		[`a${ESC}]0;pwned${ESC}\\b`, `a${X}b`],
		// OSC 52 writes the clipboard.
		[`a${ESC}]52;c;cHduZWQ=\u0007b`, `a${X}b`],
		// CSI: clear screen, colour, cursor moves with intermediates.
		[`a${ESC}[2Jb`, `a${X}b`],
		[`a${ESC}[1;31mb`, `a${X}b`],
		[`a${ESC}[?1049lb`, `a${X}b`],
		// C1 forms: CSI U+009B and OSC U+009D ... ST U+009C.
		[`a\u009B2Jb`, `a${X}b`],
		[`a\u009D0;pwned\u009Cb`, `a${X}b`],
		// DCS, APC strings.
		[`a${ESC}Pq#0;2;0;0;0${ESC}\\b`, `a${X}b`],
		[`a${ESC}_payload\u0007b`, `a${X}b`],
		// Two-character escapes: RIS resets the terminal, charset designation.
		[`a${ESC}cb`, `a${X}b`],
		[`a${ESC}(Bb`, `a${X}b`],
		// Cut off: an unterminated OSC runs to the end, a lone ESC at the end is still replaced.
		[`a${ESC}]0;pwned`, `a${X}`],
		[`a${ESC}`, `a${X}`],
		[`a${ESC}[`, `a${X}`],
	];
	for (const [input, expected] of cases) assert.equal(displayText(input), expected, JSON.stringify(input));
});

test('other C0, DEL, C1 and bidi controls become placeholders; whitespace controls become spaces', () => {
	assert.equal(displayText('a\u0000b\u0008c\u007Fd\u0085e\u009Af'), `a${X}b${X}c${X}d${X}e${X}f`);
	assert.equal(displayText('evil\u202Egnp.exe'), `evil${X}gnp.exe`);
	for (const bidi of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
		assert.equal(displayText(`a${bidi}b`), `a${X}b`, `U+${bidi.codePointAt(0)!.toString(16)}`);
	}
	assert.equal(displayText('a\tb\nc\rd\u000Be\u000Cf'), 'a b c d e f');
	// Ordinary non-ASCII right after the C1 range is kept.
	assert.equal(displayText('\u00A0é\u00FF'), '\u00A0é\u00FF');
});

test('no output of the sanitizer holds a control or bidi character, whatever the input', () => {
	const alphabet = [ESC, '[', ']', '\\', '\u0007', '\u009B', '\u009C', '\u009D', 'P', '_', '0', ';', 'a', '\n', '\u202E', '\u2066', '\u0090', '(', ' '];
	let seed = 7;
	const next = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed;
	};

	for (let n = 0; n < 5000; n++) {
		let input = '';
		const length = next() % 12;
		for (let i = 0; i < length; i++) input += alphabet[next() % alphabet.length];
		const out = displayText(input);
		assert.doesNotMatch(out, /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/, JSON.stringify(input));
	}
});

test('multi-line text: each line on its own, made safe', () => {
	assert.deepEqual(displayLines(`one\r\ntwo${ESC}[2J\nthree`), ['one', `two${X}`, 'three']);
});
