/*
 * An example third-party plugin (docs/plugins.md). A host page loads this file after
 * jsxc.bundle.js and before it calls `new JSXC(...)`. It
 *  - announces the disco#info feature "urn:example:hello",
 *  - adds a "Say hello" button to every one-to-one chat window, which sends "Hello!",
 *  - marks every chat message it sends with <x xmlns="urn:example:hello"/> (a messageOut hook),
 *  - shows a small "👋" beside each message that is exactly "Hello!" (a message renderer).
 * Disable it like any built-in feature: `new JSXC({ disabledPlugins: ['hello'] })`.
 */
(function () {
  'use strict';

  var NS_HELLO = 'urn:example:hello';

  JSXC.registerPlugin({
    id: 'hello',
    name: 'Say hello (example plugin)',
    xeps: [],
    features: [NS_HELLO],

    // Once per account session: register hooks, return the teardown.
    attach: function (context) {
      return context.hooks.messageOut.add('hello', function (outgoing) {
        if (!outgoing.message) {
          return; // not a chat message (e.g. a receipt or a chat state)
        }
        var stanza = outgoing.stanza;
        var marker = stanza.ownerDocument.createElement('x');
        marker.setAttribute('xmlns', NS_HELLO);
        stanza.appendChild(marker);
      });
    },

    // Once per widget: the UI this plugin adds.
    ui: function (ui) {
      ui.addChatButton({
        id: 'say-hello',
        label: 'Say hello',
        onClick: function (contact, chat) {
          chat.send('Hello!').catch(function (err) {
            console.warn('hello plugin: could not send', err);
          });
        },
      });
      ui.addMessageRenderer(function (message, element) {
        if (message.body === 'Hello!') {
          var wave = document.createElement('span');
          wave.className = 'example-hello-wave';
          wave.setAttribute('aria-hidden', 'true');
          wave.textContent = '👋'; // text, never innerHTML
          element.appendChild(wave);
        }
      });
    },
  });
})();
