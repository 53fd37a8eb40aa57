/**
 * The app's offline features: registers the service worker, listens for the install offer, defines their elements,
 * and reloads once when the service worker can make the page cross-origin isolated (isolation-reload.ts).
 */
import { installPrompt } from './install-prompt';
import './install-button';
import { startIsolationReload } from './isolation-reload';
import { serviceWorkerState } from './service-worker';
import './update-notice';

installPrompt.start();
serviceWorkerState.start();
startIsolationReload();
