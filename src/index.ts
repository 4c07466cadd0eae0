import '../scss/jsxc.scss';
import JSXC from './JSXC';

export type { Options, ConnectionSettings, RTCPeerConfig, StorageBackend, ConnectionCallback } from './api/Options';
export type { Account } from './model/Account';
export type { Contact } from './model/Contact';
export { JSXC };
export default JSXC;
