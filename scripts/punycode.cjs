// Stands in for Node's deprecated `punycode` builtin in the bundle: node-fetch 2 (under client-node)
// requires it through whatwg-url and tr46, and Node >= 21 then prints DEP0040 over the TUI. These
// are the three calls they make, done by node:url's own IDNA code. A label that cannot be encoded
// throws, as punycode does; tr46 catches that and marks the host invalid.
const {domainToASCII, domainToUnicode} = require('node:url');

function converted(label, convert) {
	const out = convert(label);
	if (out === '') throw new RangeError(`not a valid IDNA label: ${label}`);
	return out;
}

module.exports = {
	ucs2: {decode: text => Array.from(text, char => char.codePointAt(0))},
	toASCII: label => (/[^\0-\x7f]/.test(label) ? converted(label, domainToASCII) : label),
	toUnicode: label => (/^xn--/.test(label) ? converted(label, domainToUnicode) : label),
};
