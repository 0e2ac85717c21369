import { packageBuild } from '../../tsup.shared.ts';

// `x12` is a Node-only subpath: node-x12 loads Node's stream and crypto modules.
export default packageBuild('neutral', { entry: { index: 'src/index.ts', 'x12/index': 'src/x12/index.ts' } });
