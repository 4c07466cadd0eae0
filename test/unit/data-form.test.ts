import fs from 'fs';
import path from 'path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { appendSubmitForm, checkDataForm, DataForm, formField, NS_DATA, parseDataForm } from '../../src/protocol/dataForm';

// Recorded from Prosody 0.12: the owner's room configuration form (muc#owner query result).
const RECORDED = fs.readFileSync(path.join(__dirname, 'fixtures/muc-config-form.xml'), 'utf8');

function parse(xml: string): Element {
  return new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
}

function formOf(xml: string): DataForm {
  const x = parse(xml).getElementsByTagNameNS(NS_DATA, 'x')[0];
  return parseDataForm(x);
}

describe('XEP-0004 data form ⇄ JSON', () => {
  it('reads title, instructions and every field type of the recorded form', () => {
    const form = formOf(RECORDED);
    expect(form.type).toBe('form');
    expect(form.title).toBe('Configuration for tea@conference.localhost');
    expect(form.instructions).toBe('Complete and submit this form to configure the room.');
    expect(formField(form, 'FORM_TYPE')).toMatchObject({ type: 'hidden', value: 'http://jabber.org/protocol/muc#roomconfig' });
    expect(form.fields.filter((f) => f.type === 'fixed').map((f) => f.value)).toEqual(['Room information', 'Access to the room', 'Permissions in the room', 'Other options']);
    expect(formField(form, 'muc#roomconfig_roomname')).toEqual({ var: 'muc#roomconfig_roomname', type: 'text-single', label: 'Title', required: false, values: [], value: undefined, options: [] });
    expect(formField(form, 'muc#roomconfig_roomdesc')).toMatchObject({ desc: 'A brief description of the room', value: '' });
    expect(formField(form, 'muc#roomconfig_publicroom')).toMatchObject({ type: 'boolean', value: false, values: ['0'] });
    expect(formField(form, 'muc#roomconfig_enablearchiving')).toMatchObject({ type: 'boolean', value: true });
    // a boolean without a value is false
    expect(formField(form, 'muc#roomconfig_membersonly')!.value).toBe(false);
    expect(formField(form, 'muc#roomconfig_roomsecret')).toMatchObject({ type: 'text-private', label: 'Password' });
    expect(formField(form, 'muc#roomconfig_whois')).toMatchObject({
      type: 'list-single',
      value: 'moderators',
      options: [
        { label: 'Moderators only', value: 'moderators' },
        { label: 'Anyone', value: 'anyone' },
      ],
    });
    expect(formField(form, 'muc#roomconfig_presencebroadcast')).toMatchObject({ type: 'list-multi', value: ['moderator', 'visitor', 'participant'] });
    expect(formField(form, 'muc#roomconfig_lang')!.label).toBe("Language tag for room (e.g. 'en', 'de', 'fr' etc.)");
  });

  it('survives JSON, and submits the changed values (fixed fields left out) as type="submit"', () => {
    const form = JSON.parse(JSON.stringify(formOf(RECORDED))) as DataForm;
    formField(form, 'muc#roomconfig_roomname')!.value = 'Tea & <cake>';
    formField(form, 'muc#roomconfig_membersonly')!.value = true;
    formField(form, 'muc#roomconfig_presencebroadcast')!.value = ['moderator'];
    const doc = new DOMParser().parseFromString('<query xmlns="http://jabber.org/protocol/muc#owner"/>', 'text/xml');
    const query = doc.documentElement as unknown as Element;
    appendSubmitForm(query, form);
    const sent = new XMLSerializer().serializeToString(doc as never);
    expect(sent).toContain('Tea &amp; &lt;cake&gt;');
    const back = formOf(sent);
    expect(back.type).toBe('submit');
    expect(back.fields.some((f) => f.type === 'fixed')).toBe(false);
    expect(formField(back, 'muc#roomconfig_roomname')!.values).toEqual(['Tea & <cake>']);
    expect(formField(back, 'muc#roomconfig_membersonly')!.values).toEqual(['1']);
    expect(formField(back, 'muc#roomconfig_publicroom')!.values).toEqual(['0']);
    expect(formField(back, 'muc#roomconfig_presencebroadcast')!.values).toEqual(['moderator']);
    expect(formField(back, 'muc#roomconfig_whois')!.values).toEqual(['moderators']);
    expect(formField(back, 'FORM_TYPE')!.values).toEqual(['http://jabber.org/protocol/muc#roomconfig']);
  });

  it('names what is wrong with a bad form', () => {
    expect(() => checkDataForm(null)).toThrow('A data form must be an object with a "fields" array');
    expect(() => checkDataForm({ fields: [{ type: 'text-single' }] })).toThrow('Field 0 of the form has no "var"');
    expect(() => checkDataForm({ fields: [{ var: 'a', type: 'colour' }] })).toThrow('Field "a" has an unknown type "colour"');
    expect(() => parseDataForm(parse('<y xmlns="jabber:x:data"/>'))).toThrow('Expected <x xmlns="jabber:x:data"/>');
  });
});
