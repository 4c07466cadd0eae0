import '../scss/jsxc.scss';
import JSXC from './JSXC';

export type { Options, ConnectionSettings, RTCPeerConfig, StorageBackend, ConnectionCallback } from './api/Options';
export type { Account } from './model/Account';
export type { Contact } from './model/Contact';
export { JSXC };
export default JSXC;
export type { MultiUserContact, RoomState, RoomBookmark } from './model/MultiUserContact';
export type { Occupant, Role, Affiliation } from './model/Occupant';
export type { RoomMessage } from './model/RoomMessage';
export type { RoomList, RoomInfo, RoomListing, RoomInvitation, HistoryPage } from './model/RoomList';
export type { DataForm, DataFormField, DataFormOption } from './protocol/dataForm';
export type { MucError, MucErrorKind, MucErrorParams } from './plugins/muc/errors';
