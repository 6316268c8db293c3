// Preloaded (node --require) into every dev server the functional tests and benchmarks start (NodeProcess).
//
// The test or benchmark host holds the write end of this process's stdin and closes it to ask for a graceful stop. The OS also
// closes it when the test host dies without cleaning up (crash, SIGKILL, a stopped debugger session), so the
// server cannot outlive the test run and keep its ports busy.
//
// Stopping goes through SIGTERM because Azurite and MailDev shut down properly on it; Azurite in particular only
// writes its persisted tables to disk every few seconds and on shutdown, so a plain exit would lose recent writes.
// Plain CommonJS so it loads in front of both CommonJS (Azurite) and ESM (MailDev).
'use strict';
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // Should a tool's shutdown hang, still exit; unref'd so it never keeps the process alive by itself.
  setTimeout(() => process.exit(1), 10000).unref();
  process.kill(process.pid, 'SIGTERM');
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
