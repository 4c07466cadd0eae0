// Node lacks XMLHttpRequest, which strophe's BOSH transport needs; strophe's Node build brings the
// DOM parser and WebSocket itself. Installed before each integration/e2e test file.
import { installXhrShim } from './node-xhr';

installXhrShim();
