#!/usr/bin/env node
'use strict';
// Manual control of a private Prosody instance (see docs/test-server.md):
//   node scripts/prosody.js start [--domain D] [--log-level debug]   start it, keep the handle in .tmp/prosody.json
//   node scripts/prosody.js status                                  show the handle and whether it runs
//   node scripts/prosody.js stop [--keep-dir]                       stop it (by its own PID)
//   node scripts/prosody.js user NAME PASSWORD                      create a user
//   node scripts/prosody.js shell 'c2s:show()'                      one admin shell line
const fs = require('node:fs');
const path = require('node:path');
const prosody = require('./lib/prosody');

const HANDLE_FILE = path.join(__dirname, '..', '.tmp', 'prosody.json');

function readHandle() {
  if (!fs.existsSync(HANDLE_FILE)) return null;
  return JSON.parse(fs.readFileSync(HANDLE_FILE, 'utf8'));
}

function option(args, name) {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const handle = readHandle();
  switch (command) {
    case 'start': {
      if (handle && prosody.isRunning(handle)) {
        console.log(`Already running (pid ${handle.pid}): ${handle.boshUrl}`);
        return;
      }
      prosody.ensureProsodyInstalled();
      const h = await prosody.startProsody({ domain: option(args, '--domain'), logLevel: option(args, '--log-level'), detached: true });
      fs.mkdirSync(path.dirname(HANDLE_FILE), { recursive: true });
      fs.writeFileSync(HANDLE_FILE, JSON.stringify(h, null, 2));
      console.log(`Prosody running, pid ${h.pid}\n  BOSH      ${h.boshUrl}\n  WebSocket ${h.wsUrl}\n  c2s       127.0.0.1:${h.c2sPort}`);
      console.log(`  folder    ${h.dir}\n  handle    ${HANDLE_FILE}`);
      return;
    }
    case 'status':
      if (!handle) console.log('No handle in .tmp/prosody.json');
      else console.log(JSON.stringify({ ...handle, running: prosody.isRunning(handle) }, null, 2));
      return;
    case 'stop':
      if (!handle) {
        console.log('Nothing to stop (no .tmp/prosody.json)');
        return;
      }
      await prosody.stopProsody(handle, { keepDir: args.includes('--keep-dir') });
      fs.rmSync(HANDLE_FILE, { force: true });
      console.log(`Stopped pid ${handle.pid}`);
      return;
    case 'user':
      if (!handle) throw new Error('Not started');
      console.log(prosody.createUser(handle, args[0], args[1]).jid);
      return;
    case 'shell':
      if (!handle) throw new Error('Not started');
      process.stdout.write((await prosody.runAdminShell(handle, args.join(' '))).stdout);
      return;
    default:
      console.log('Usage: node scripts/prosody.js start|status|stop|user NAME PASS|shell LINE');
      process.exitCode = command ? 1 : 0;
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
