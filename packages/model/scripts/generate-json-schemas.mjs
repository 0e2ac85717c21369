// Writes schemas/<kind>.json from the built package, so non-TypeScript hosts get JSON Schema
// (2020-12) that matches the zod schemas. src/json-schema.test.ts fails when these files are stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonSchemas } from '../dist/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const file of readdirSync(dir)) if (file.endsWith('.json')) rmSync(join(dir, file));
const schemas = toJsonSchemas();
for (const [name, schema] of Object.entries(schemas)) {
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(schemas).length} JSON Schemas to schemas/`);
