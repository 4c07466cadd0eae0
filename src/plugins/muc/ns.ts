/** XML namespaces of group chat (XEP-0045) and the XEPs around it. */
export const NS_MUC = 'http://jabber.org/protocol/muc';
export const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';
export const NS_MUC_ADMIN = 'http://jabber.org/protocol/muc#admin';
export const NS_MUC_OWNER = 'http://jabber.org/protocol/muc#owner';
export const NS_MUC_ROOMINFO = 'http://jabber.org/protocol/muc#roominfo';
export const NS_CONFERENCE = 'jabber:x:conference';
export const NS_STANZA_ID = 'urn:xmpp:sid:0';
export const NS_MAM = 'urn:xmpp:mam:2';
export const NS_RSM = 'http://jabber.org/protocol/rsm';
export const NS_FORWARD = 'urn:xmpp:forward:0';
export const NS_DELAY = 'urn:xmpp:delay';
export const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
export { NS_CORRECT } from '../correction';
export const NS_OCCUPANT_ID = 'urn:xmpp:occupant-id:0';
