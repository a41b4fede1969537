// The sizes the issue names: at 80×24 an open capture keeps 8 packet lines and no pane is left
// with a height it cannot show anything in; at 120×36 the Containers pane has room for ID and RST.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {CAPTURE_PANE_CHROME, computeLayout} from '../../source/ui/layout.js';

const CHROME = 3; // a pane's border and title

test('80×24 with the capture open: ≥ 8 capture lines; the band below is left out rather than blank', () => {
	for (const containerRows of [1, 2, 4]) {
		const layout = computeLayout(80, 24, {captureOpen: true, captureZoomed: false, containerRows});
		assert.ok(layout.capture - CAPTURE_PANE_CHROME >= 8, JSON.stringify(layout));
		assert.equal(layout.pods + layout.lower + layout.capture, layout.body);
		assert.ok(layout.pods - CHROME >= 2, `the pods pane shows rows: ${JSON.stringify(layout)}`);
		if (layout.lower > 0) assert.ok(layout.containers - CHROME >= 1 && layout.details - CHROME >= 1, JSON.stringify(layout));
		else assert.equal(layout.containers + layout.details, 0);
	}
});

test('every size from 80×24 to 200×60, capture open or not: each pane shown has room for a line', () => {
	for (let columns = 80; columns <= 200; columns += 20) {
		for (let rows = 24; rows <= 60; rows += 4) {
			for (const captureOpen of [false, true]) {
				const layout = computeLayout(columns, rows, {captureOpen, captureZoomed: false, containerRows: 2});
				const size = `${columns}×${rows}${captureOpen ? ' capture' : ''}: ${JSON.stringify(layout)}`;
				assert.equal(layout.pods + layout.lower + layout.capture, layout.body, size);
				if (captureOpen) assert.ok(layout.capture - CAPTURE_PANE_CHROME >= 8, size);
				if (layout.lower > 0) assert.ok(layout.containers > CHROME && layout.details > CHROME, size);
			}
		}
	}
});
