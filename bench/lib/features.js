'use strict';
// THE one place to turn scenarios on for our widget (issue 7).
// Features other engineers are building. While a flag is false, the scenarios that need the
// feature still run for Converse.js and report "n/a (feature not built yet)" for us. When the
// feature lands: set the flag to true and fill in the matching `jsxc` adapter entry in
// bench/lib/clients.js.
const OURS = {
  /** 1:1 chat window: open a chat, render incoming messages (scenario 4) */
  chat: true,
  /** chat window loads history from the archive (XEP-0313) and pages back on scroll (scenario 5) */
  archive: true,
  /** group chat window with a participant list (scenario 6, and heap after it in 7) */
  groupchat: true,
  /** page reload restores the session and paints the cached roster (scenario 3) */
  sessionRestore: true,
};

const NOT_BUILT = 'n/a (not measured for us yet: the feature is not on main)';

module.exports = { OURS, NOT_BUILT };
