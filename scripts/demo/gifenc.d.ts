// gifenc ships no types: the part of its API the demo uses.
declare module 'gifenc' {
	type Palette = number[][];
	interface FrameOptions {
		palette?: Palette;
		delay?: number;
		transparent?: boolean;
		transparentIndex?: number;
		repeat?: number;
		colorDepth?: number;
		dispose?: number;
		first?: boolean;
	}

	interface Encoder {
		writeFrame(index: Uint8Array, width: number, height: number, opts?: FrameOptions): void;
		finish(): void;
		bytes(): Uint8Array;
	}

	type Format = 'rgb565' | 'rgb444' | 'rgba4444';
	const gifenc: {
		GIFEncoder(opts?: {auto?: boolean; initialCapacity?: number}): Encoder;
		quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, opts?: {format?: Format}): Palette;
		applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: Format): Uint8Array;
	};
	export default gifenc;
}
