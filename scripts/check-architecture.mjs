// Checks the rules of docs/architecture.md that a compiler does not: no import cycles inside a
// package (type-only imports count: a cycle of types is still a knot a reader has to untie),
// dependencies between packages point one way, and the pure packages import no `node:` module.
// Prints hand-written source files over the size a reader takes in at once, as a warning.
//
//   node scripts/check-architecture.mjs          exit 0 clean, 1 with every violation listed
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');

/** Which packages each package may import (DESIGN.md "Dependencies point one way"). */
const ALLOWED = {
  model: [],
  fhir: ['model'],
  safeguards: ['model', 'fhir'],
  billing: ['model', 'fhir'],
  outcomes: ['model', 'fhir', 'safeguards'],
  'fhir-server': [],
  'browser-testing': [],
  sync: ['model', 'fhir', 'safeguards', 'billing', 'outcomes'],
  'cds-hooks': ['model', 'fhir', 'safeguards', 'billing', 'outcomes', 'sync'],
  workspace: ['model', 'fhir', 'safeguards', 'billing'],
  'smart-auth': [],
  cli: ['model', 'fhir', 'safeguards', 'billing', 'outcomes', 'sync', 'cds-hooks', 'fhir-server', 'smart-auth', 'workspace'],
};
/** Packages that run in a browser too: no I/O, no `node:` modules. */
const PURE = new Set(['model', 'fhir', 'safeguards', 'billing', 'outcomes']);
/** Packages whose code runs in a browser: no `node:` modules except in the listed Node entry files. */
const BROWSER = { workspace: new Set(['src/index.ts']) };
const LARGE = 500;

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') out.push(...sourceFiles(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function specifiers(text) {
  const found = [];
  for (const match of text.replaceAll(/\/\*[\s\S]*?\*\//g, '').matchAll(IMPORT)) found.push(match[1] ?? match[2]);
  return found;
}

function resolveLocal(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Tarjan's strongly connected components; every component of more than one file is a cycle. */
function cycles(graph) {
  let index = 0;
  const indexes = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    indexes.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexes.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), indexes.get(next)));
    }
    if (low.get(node) === indexes.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? new Set()).has(node)) found.push(component);
    }
  };
  for (const node of graph.keys()) if (!indexes.has(node)) visit(node);
  return found;
}

const problems = [];
const large = [];
for (const pkg of readdirSync(packagesDir)) {
  const src = join(packagesDir, pkg, 'src');
  try {
    statSync(src);
  } catch {
    continue;
  }
  const graph = new Map();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    const isTest = /\.test\.ts$/.test(file) || file.includes('__fixtures__');
    const browserCode = BROWSER[pkg] !== undefined && !BROWSER[pkg].has(relative(join(packagesDir, pkg), file));
    if (!isTest && text.split('\n').length > LARGE) large.push(`${rel} (${text.split('\n').length} lines)`);
    const edges = new Set();
    for (const spec of specifiers(text)) {
      if (spec.startsWith('.')) {
        const target = resolveLocal(file, spec);
        if (target && !isTest) edges.add(target);
      } else if (spec.startsWith('@peerkit/')) {
        const other = spec.slice('@peerkit/'.length).split('/')[0];
        if (!isTest && other !== pkg && ALLOWED[pkg] && !ALLOWED[pkg].includes(other)) {
          problems.push(`${rel}: @peerkit/${pkg} may not import @peerkit/${other} (dependencies point one way)`);
        }
      } else if (!isTest && (PURE.has(pkg) || browserCode) && (spec.startsWith('node:') || ['fs', 'path', 'os', 'http', 'crypto', 'child_process'].includes(spec))) {
        problems.push(`${rel}: @peerkit/${pkg} ${PURE.has(pkg) ? 'is pure' : 'runs in a browser'} and may not import ${spec}`);
      }
    }
    if (!isTest) graph.set(file, edges);
  }
  for (const component of cycles(graph)) {
    problems.push(`import cycle in @peerkit/${pkg}: ${component.map((f) => relative(src, f)).sort().join(' ↔ ')}`);
  }
}

if (large.length > 0) {
  process.stdout.write(`note: hand-written source files over ${LARGE} lines (split by concept when you next touch them):\n${large.map((l) => `  ${l}`).join('\n')}\n`);
}
if (problems.length > 0) {
  process.stderr.write(`architecture check: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write('architecture check: no import cycles, dependencies point one way, pure packages import no node: modules\n');
}
