/** What testBOSHServer() resolves with (the same text as JSXC 4); apart, so the facade has it without loading the check. */
export const BOSH_SERVER_REACHABLE = 'BOSH server reachable.';
