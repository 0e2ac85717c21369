import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

export default [
  // The Node entry (where the app is, how to register it). Cleans only its own files: dist/app is the app build's.
  packageBuild('node', { shims: true, clean: ['index.*'] }),
  // The app: one minified script for the browser, next to the HTML pages and the stylesheet (copied
  // from src/app/public), and the note linter in a chunk of its own that the script loads in the
  // background (its language model is 3.6 MB of the 4.3 MB).
  defineConfig({
    entry: { workspace: 'src/app/main.ts' },
    outDir: 'dist/app',
    format: ['esm'],
    splitting: true,
    // A browser has no node_modules: every dependency goes into the bundle.
    noExternal: [/./],
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    dts: false,
    clean: true,
    publicDir: 'src/app/public',
    // fhirclient's "pure" build: no polyfills (fetch, AbortController) for the browsers the app supports.
    define: { FHIRCLIENT_PURE: 'true' },
    outExtension: () => ({ js: '.js' }),
    esbuildOptions(options) {
      options.chunkNames = 'workspace-[hash]';
    },
  }),
];
