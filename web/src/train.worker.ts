// The playground's training worker: the library, serving hb.browser.trainInWorker requests.
import * as hb from '../../src/index.js';

hb.browser.serveWorker();
