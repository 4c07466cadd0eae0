import { Strophe } from 'strophe.js';

type StropheConnection = InstanceType<typeof Strophe.Connection>;

// strophe logs every frame at DEBUG by default; a host page's console gets only warnings
// unless debug mode is on (jsxc.enableDebugMode()).
Strophe.setLogLevel(Strophe.LogLevel.WARN);

let frameLogging = false;

/** Debug mode: strophe's own debug log, and every frame of connections made from now on. */
export function setProtocolDebugLogging(on: boolean): void {
  Strophe.setLogLevel(on ? Strophe.LogLevel.DEBUG : Strophe.LogLevel.WARN);
  frameLogging = on;
}

/** A new connection logs every frame it receives and sends while debug mode is on. */
export function logFramesInDebugMode(strophe: StropheConnection): void {
  if (frameLogging) {
    strophe.rawInput = (data: string) => console.debug('[jsxc] RECV', data);
    strophe.rawOutput = (data: string) => console.debug('[jsxc] SENT', data);
  }
}
