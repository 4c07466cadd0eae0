'use strict';
// 6. Joining a room with N (500) occupants, to "participants listed" (N + 1 participant entries in
// the DOM, us included), and 7. the JS heap after it. The occupants are Node sessions
// (bench/lib/xmpp-lite.js, 25 joining at a time) that join once before the runs and stay; every
// run uses a fresh account with a fresh browser context.
const { openClient, closeClient, mark, watch, now, heapAfterGc } = require('../lib/harness');
const { connectMany } = require('../lib/xmpp-lite');

function mucScenario(n) {
  let room;
  let occupants = [];
  return {
    id: 'muc',
    title: '6. room',
    needs: 'groupchat',
    figures: [
      { key: 'listed_ms', label: `${n} occupants: join → participants listed (ms)` },
      { key: 'heap_mb', label: `${n} occupants: JS heap after GC (MB)`, group: '7. heap' },
    ],
    async setup(env) {
      const local = `bench-room-${Date.now().toString(36)}`;
      room = await env.prosody.createRoom(env.server, local, { persistent: true, public: false });
      const users = env.prosody.createUsers(
        env.server,
        Array.from({ length: n }, (_, i) => {
          const username = env.prosody.uniqueUsername(`occ${i}`);
          return { username, password: `${username}-pw` };
        }),
      );
      occupants = await connectMany(
        users.map((u) => ({ wsUrl: env.server.wsUrl, domain: env.server.domain, username: u.username, password: u.password, timeoutMs: 60000 })),
        25,
        { presence: false },
      );
      for (let i = 0; i < occupants.length; i += 25) {
        await Promise.all(occupants.slice(i, i + 25).map((c, j) => c.joinRoom(room, `occupant-${i + j}`)));
      }
    },
    async teardown() {
      await Promise.all(occupants.map((c) => c.close()));
      occupants = [];
    },
    async run(env, client, runNo) {
      const user = env.freshUserWithContacts(0);
      const run = await openClient(env, client, {
        query: { service: env.site.wsUrl, jid: user.jid, password: user.password },
        watch: { online: client.isOnline },
      });
      try {
        await mark(run.page, 'online', 30000);
        await watch(run.page, 'listed', client.occupantsListed(n + 1));
        const t0 = await now(run.page);
        await client.openRoom(run.page, room, `bench-user-${runNo}`);
        const listed = await mark(run.page, 'listed', 120000);
        return { listed_ms: listed - t0, heap_mb: await heapAfterGc(run.cdp) };
      } finally {
        await closeClient(env, client, run, { logout: true });
      }
    },
  };
}

module.exports = { mucScenario };
