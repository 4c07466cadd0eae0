import { DOMParser } from '@xmldom/xmldom';
import { Strophe } from 'strophe.js';
import { buildRegistrationSubmit, parseRegistrationQuery, RegistrationError } from '../../src/protocol/register';

// Recorded from Prosody 0.12 (mod_register_ibr): legacy fields and a data form side by side.
const PROSODY = `<query xmlns="jabber:iq:register">
  <instructions>Choose a username and password for use with this service.</instructions>
  <username/><password/>
  <x xmlns="jabber:x:data" type="form">
    <title>Creating a new account</title>
    <instructions>Choose a username and password for use with this service.</instructions>
    <field type="hidden" var="FORM_TYPE"><value>jabber:iq:register</value></field>
    <field var="username" type="text-single" label="Username"><required/></field>
    <field var="password" type="text-private" label="Password"><required/></field>
  </x>
</query>`;

// XEP-0077 example 2: legacy fields only
const LEGACY = `<query xmlns="jabber:iq:register"><instructions>Choose a username and password.</instructions><username/><password/><email/><x-unknown/></query>`;

function parse(xml: string): Element {
  return new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
}

describe('registration forms', () => {
  it('prefers the data form, and answers with a submit form carrying every named field', () => {
    const { form, dataForm } = parseRegistrationQuery(parse(PROSODY));
    expect(dataForm).toBe(true);
    expect(form.title).toBe('Creating a new account');
    expect(form.fields).toEqual([
      { var: 'FORM_TYPE', type: 'hidden', required: false, values: ['jabber:iq:register'], value: 'jabber:iq:register', options: [] },
      { var: 'username', type: 'text-single', label: 'Username', required: true, values: [], value: undefined, options: [] },
      { var: 'password', type: 'text-private', label: 'Password', required: true, values: [], value: undefined, options: [] },
    ]);
    form.fields[1].value = 'alice';
    form.fields[2].value = 's<cr&t';
    expect(Strophe.serialize(buildRegistrationSubmit(form, true))).toBe(
      '<query xmlns="jabber:iq:register"><x type="submit" xmlns="jabber:x:data">' +
        '<field type="hidden" var="FORM_TYPE"><value>jabber:iq:register</value></field><field type="text-single" var="username"><value>alice</value></field>' +
        '<field type="text-private" var="password"><value>s&lt;cr&amp;t</value></field></x></query>',
    );
  });

  it('without a data form offers the known legacy fields and answers with them', () => {
    const { form, dataForm } = parseRegistrationQuery(parse(LEGACY));
    expect(dataForm).toBe(false);
    expect(form.instructions).toBe('Choose a username and password.');
    expect(form.fields.map((f) => [f.var, f.type, f.required])).toEqual([
      ['username', 'text-single', true],
      ['password', 'text-private', true],
      ['email', 'text-single', true],
    ]);
    form.fields[0].value = 'bob';
    form.fields[1].values = ['pw'];
    expect(Strophe.serialize(buildRegistrationSubmit(form, false))).toBe('<query xmlns="jabber:iq:register"><username>bob</username><password>pw</password></query>');
  });

  it('an already registered stream and error conditions give clear errors', () => {
    expect(() => parseRegistrationQuery(parse('<query xmlns="jabber:iq:register"><registered/><username>x</username></query>'))).toThrow(RegistrationError);
    const conflict = RegistrationError.fromCondition('conflict', 'The requested username already exists.');
    expect([conflict.condition, conflict.message]).toEqual(['conflict', 'The username is taken: please choose another one (The requested username already exists.)']);
    expect(RegistrationError.fromCondition('gone').message).toBe('The registration failed: gone');
  });
});
