import { mkdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { CliIo } from '../cli-io';
import { parseCommandArgs } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { writeAtomically, writeError } from '../internal/files';
import { formatCount, formatTable, plural } from '../internal/format';
import type { Command } from './command';

const USAGE = 'usage: peerkit ig --out <dir>';

const HELP = `Writes the PeerKit profile pack (FHIR R4) as one JSON file per resource into a directory:
the ImplementationGuide, the CodeSystems and ValueSets, the extensions and the profiles
(StructureDefinitions with snapshots), named <ResourceType>-<id>.json. Load them into a FHIR
server or a validator to check PeerKit's resources against the profiles.

${USAGE}

Options:
  --out <dir>     directory to write to (created if missing; files of the same name are replaced)
  -h, --help      show this help
`;

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
    if ((error as { code?: unknown }).code !== 'ENOENT') throw writeError(shown, String((error as { code?: unknown }).code));
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw writeError(shown, typeof code === 'string' ? code : 'error');
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError('ig takes no file argument; use --out <dir>', 2, USAGE);
  if (values.out === undefined || values.out === '') throw new CliError('ig needs --out <dir>', 2, USAGE);

  const pack = await readPack();
  const dir = resolve(io.cwd, values.out);
  await ensureDirectory(dir, values.out);
  const counts = new Map<string, number>();
  for (const { resource } of pack.entry) {
    const name = `${resource.resourceType}-${resource.id}.json`;
    try {
      await writeAtomically(join(dir, name), `${JSON.stringify(resource, null, 2)}\n`);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code !== 'string') throw error;
      throw writeError(join(values.out, name), code);
    }
    counts.set(kindOf(resource), (counts.get(kindOf(resource)) ?? 0) + 1);
  }
  const rows = [...counts].map(([kind, n]) => [`  ${kind}`, formatCount(n)]);
  io.stderr.write(
    [`peerkit: wrote the profile pack (${plural(pack.entry.length, 'resource')}) to ${values.out}`, ...formatTable(rows, ['left', 'right']), ''].join('\n'),
  );
  return 0;
}

/** `peerkit ig`: writes the PeerKit profile pack as individual FHIR JSON files. */
export const igCommand: Command = {
  name: 'ig',
  summary: 'write the PeerKit profile pack (profiles, extensions, CodeSystems, ValueSets, IG) as JSON files',
  usage: USAGE,
  run,
};
