/**
 * The app's one script: `launch.html` and `index.html` both load it; `<body data-page>` says which
 * page runs.
 */
import { startLaunch } from './launch';
import { startWorkspace } from './workspace';

const page = document.body.dataset['page'];
void (page === 'launch' ? startLaunch() : startWorkspace());
