/** The app's offline features: registers the service worker, listens for the install offer, defines their elements. */
import { installPrompt } from './install-prompt';
import './install-button';
import { serviceWorkerState } from './service-worker';
import './update-notice';

installPrompt.start();
serviceWorkerState.start();
