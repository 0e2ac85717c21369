// Shared by the note-model scripts: bundles TypeScript source modules of this package for Node 20
// (which has no TypeScript loader) with esbuild and imports the bundle. esbuild is a devDependency of
// this package (the version tsup installs); say so plainly when it is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package folder (packages/safeguards). */
export const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles `contents` (ES module source with `export … from './src/…ts'` lines, resolved from the
 * package folder) and imports it; the temporary bundle is removed once imported.
 */
export async function importSources(contents) {
  const { build } = await import('esbuild').catch(() => {
    console.error('this script needs esbuild (a devDependency of @peerkit/safeguards): run npm install at the root');
    process.exit(1);
  });
  const out = mkdtempSync(join(tmpdir(), 'peerkit-note-model-'));
  const bundle = join(out, 'sources.mjs');
  try {
    await build({
      stdin: { contents, resolveDir: PACKAGE, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      conditions: ['source'],
      outfile: bundle,
      logLevel: 'error',
    });
    return await import(pathToFileURL(bundle).href);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
