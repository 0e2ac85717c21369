import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

// The root is pure and small. The `html` subpath draws charts with Vega and Vega-Lite, which ship
// as ES modules only: the ESM build imports them, the CommonJS build carries them inline. It takes
// their default (browser) builds: the Node builds load node-canvas with a top-level await, which
// CommonJS cannot hold, and SVG output needs no canvas and no file access. One `clean` step (the
// build script) because three configs write into dist/ side by side.
const root = packageBuild('neutral', { entry: { index: 'src/index.ts' }, clean: false });
const html = packageBuild('neutral', { entry: { 'html/index': 'src/html/index.ts' }, format: ['esm'], clean: false });
const htmlCjs = packageBuild('neutral', {
  entry: { 'html/index': 'src/html/index.ts' },
  format: ['cjs'],
  clean: false,
  noExternal: [/^(?!@peerkit\/)/],
});

export default defineConfig([root, html, htmlCjs].flat() as never);
