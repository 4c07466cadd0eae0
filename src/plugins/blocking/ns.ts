/** XEP-0191's namespace, apart from the service so that the plugin's metadata (main bundle) does not pull the service in. */
export const NS_BLOCKING = 'urn:xmpp:blocking';
