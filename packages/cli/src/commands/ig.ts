import { mkdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { EXIT_CODES } from '../exit-codes';
import { CliError } from '../internal/cli-error';
import { defineCommand } from '../internal/define-command';
import { fileErrorCode, writeAtomically, writeError } from '../internal/files';
import { formatCount, formatJson, formatTable, plural } from '../internal/format';

/** The pack as @peerkit/fhir ships it (`@peerkit/fhir/profile-pack.json`). */
interface PackBundle {
  resourceType: 'Bundle';
  entry: { resource: { resourceType: string; id: string; url?: string; type?: string } }[];
}

/** Where this module is, in the ESM build (import.meta.url) and the CJS build (__filename). */
function moduleLocation(): string {
  return typeof __filename === 'string' ? __filename : import.meta.url;
}

async function readPack(): Promise<PackBundle> {
  const path = createRequire(moduleLocation()).resolve('@peerkit/fhir/profile-pack.json');
  const bundle = JSON.parse(await readFile(path, 'utf8')) as PackBundle;
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    throw new Error('@peerkit/fhir/profile-pack.json is not a Bundle');
  }
  return bundle;
}

/** What kind of conformance resource this is, for the summary. */
function kindOf(resource: PackBundle['entry'][number]['resource']): string {
  if (resource.resourceType !== 'StructureDefinition') return resource.resourceType;
  return resource.type === 'Extension' ? 'Extension definition' : 'Profile';
}

async function ensureDirectory(dir: string, shown: string): Promise<void> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new CliError(`${shown}: is a file, not a directory`);
    return;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = fileErrorCode(error) ?? 'error';
    if (code !== 'ENOENT') throw writeError(shown, code);
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw writeError(shown, fileErrorCode(error) ?? 'error');
  }
}

/** `peerkit ig`: writes the PeerKit profile pack as individual FHIR JSON files. */
export const igCommand = defineCommand({
  name: 'ig',
  summary: 'write the PeerKit profile pack (profiles, extensions, CodeSystems, ValueSets, IG) as JSON files',
  description: `Writes the PeerKit profile pack (FHIR R4) as one JSON file per resource into a directory:
the ImplementationGuide, the CodeSystems and ValueSets, the extensions and the profiles
(StructureDefinitions with snapshots), named <ResourceType>-<id>.json. Load them into a FHIR
server or a validator to check PeerKit's resources against the profiles.`,
  noArgHint: 'use --out <dir>',
  options: {
    out: { type: 'string', short: 'o', value: '<dir>', required: true, help: 'directory to write to (created if missing; files of the same name are replaced)' },
  },
  json: 'print one JSON object with the resources by kind and every file written, nothing else',
  exits: { ok: 'the pack was written' },
  async run({ values: { out }, json }, io) {
    const pack = await readPack();
    const dir = resolve(io.cwd, out);
    await ensureDirectory(dir, out);
    const counts = new Map<string, number>();
    const files: string[] = [];
    for (const { resource } of pack.entry) {
      const name = `${resource.resourceType}-${resource.id}.json`;
      try {
        await writeAtomically(join(dir, name), `${JSON.stringify(resource, null, 2)}\n`);
      } catch (error) {
        const code = fileErrorCode(error);
        if (code === undefined) throw error;
        throw writeError(join(out, name), code);
      }
      files.push(name);
      counts.set(kindOf(resource), (counts.get(kindOf(resource)) ?? 0) + 1);
    }
    if (json) {
      io.stdout.write(formatJson({ out, resources: pack.entry.length, byKind: Object.fromEntries(counts), files, exitCode: EXIT_CODES.ok }));
      return EXIT_CODES.ok;
    }
    const rows = [...counts].map(([kind, n]) => [`  ${kind}`, formatCount(n)]);
    io.stderr.write(
      [`peerkit: wrote the profile pack (${plural(pack.entry.length, 'resource')}) to ${out}`, ...formatTable(rows, ['left', 'right']), ''].join('\n'),
    );
    return EXIT_CODES.ok;
  },
});
