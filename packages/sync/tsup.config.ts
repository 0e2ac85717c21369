import { packageBuild } from '../../tsup.shared.ts';

// fhir-kit-client 2 is ESM-only: the CommonJS build must carry it inline, and so does the ESM build
// (one build config). Its CommonJS dependencies (agentkeepalive, debug) call `require`, which an ES
// module only has through createRequire.
export default packageBuild('node', {
  noExternal: ['fhir-kit-client'],
  banner: ({ format }) =>
    format === 'esm' ? { js: "import { createRequire as __peerkitCreateRequire } from 'node:module';\nconst require = __peerkitCreateRequire(import.meta.url);" } : {},
});
