// RGBA frames → an animated GIF with gifenc. One global palette, quantised from a spread of the
// frames (a terminal shows few colours: its own plus the anti-aliased blends between them). After
// the first frame, pixels that did not change are written as the transparent index over the
// previous frame, so a frame costs bytes only where the screen changed.
import gifenc from 'gifenc';

const {GIFEncoder, quantize, applyPalette} = gifenc;

export interface GifFrame {
	rgba: Uint8Array | Uint8ClampedArray;
	/** Hundredths of a second. */
	delayCs: number;
}

export interface GifOptions {
	width: number;
	height: number;
	/** How many frames, spread over the animation, the palette is quantised from. */
	paletteSamples?: number;
}

export function encodeGif(frames: readonly GifFrame[], o: GifOptions): Uint8Array {
	if (frames.length === 0) throw new RangeError('a GIF needs at least one frame');
	const pixels = o.width * o.height;
	for (const frame of frames) {
		if (frame.rgba.length !== pixels * 4) throw new RangeError(`frame of ${frame.rgba.length} bytes, expected ${pixels * 4}`);
	}

	// One index is kept back for "unchanged".
	const palette = quantize(samplePixels(frames, o.paletteSamples ?? 12), 255);
	const transparentIndex = palette.length;
	const fullPalette = [...palette, [0, 0, 0]];
	const encoder = GIFEncoder();
	let previous: Uint8Array | undefined;
	for (const [i, frame] of frames.entries()) {
		const index = applyPalette(frame.rgba, palette);
		let written = index;
		if (previous) {
			written = new Uint8Array(index);
			for (let p = 0; p < pixels; p++) if (index[p] === previous[p]) written[p] = transparentIndex;
		}

		encoder.writeFrame(written, o.width, o.height, {
			palette: i === 0 ? fullPalette : undefined,
			delay: frame.delayCs * 10,
			transparent: previous !== undefined,
			transparentIndex,
			// Keep the previous frame under this one: its transparent pixels show it.
			dispose: 1,
		});
		previous = index;
	}

	encoder.finish();
	return encoder.bytes();
}

function samplePixels(frames: readonly GifFrame[], samples: number): Uint8Array {
	const count = Math.max(1, Math.min(samples, frames.length));
	const picked = new Set<number>();
	for (let i = 0; i < count; i++) picked.add(count === 1 ? 0 : Math.round((i * (frames.length - 1)) / (count - 1)));
	const size = frames[0]!.rgba.length;
	const joined = new Uint8Array(size * picked.size);
	let offset = 0;
	for (const i of picked) {
		joined.set(frames[i]!.rgba, offset);
		offset += size;
	}

	return joined;
}
