'use strict';
// TODO(issue 7) — THE one place to turn scenarios on for our widget.
// Features other engineers are building now. While a flag is false, the scenarios that need the
// feature still run for Converse.js and report "n/a (feature not built yet)" for us. When the
// feature lands: set the flag to true and fill in the matching `jsxc` adapter entry in
// bench/lib/clients.js (each is marked TODO there).
const OURS = {
  /** 1:1 chat window: open a chat, render incoming messages (scenario 4) */
  chat: false,
  /** chat window loads history from the archive (XEP-0313) and pages back on scroll (scenario 5) */
  archive: false,
  /** group chat window with a participant list (scenario 6, and heap after it in 7) */
  groupchat: false,
  /** page reload restores the session and paints the cached roster (scenario 3) */
  sessionRestore: false,
};

const NOT_BUILT = 'n/a (feature not built yet)';

module.exports = { OURS, NOT_BUILT };
