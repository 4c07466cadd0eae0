'use strict';
// The scenarios of issue 7 in the order they run, sized by bench/run.js (full or --quick).
const startup = require('./startup');
const { rosterScenario } = require('./roster');
const { reloadScenario } = require('./reload');
const { burstScenario } = require('./burst');
const { archiveScenario } = require('./archive');
const { mucScenario } = require('./muc');
const { soakScenario } = require('./soak');
const { handoverScenario } = require('./handover');

function buildScenarios(size) {
  return [
    startup,
    ...size.ks.map((k, i) => rosterScenario(k, { withBytes: i === 0, heapMax: k >= 5000 ? 50 : undefined })),
    reloadScenario(size.reloadK),
    burstScenario(size.burst),
    archiveScenario(size.archive, size.archiveBack),
    mucScenario(size.occupants),
    soakScenario(size.soakSeconds, size.soakHours),
    handoverScenario(),
  ];
}

module.exports = { buildScenarios };
