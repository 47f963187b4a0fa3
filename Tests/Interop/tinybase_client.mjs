// Drives Tandem's TinyHost endpoints with TinyBase's own client code (createMergeableStore +
// createWsSynchronizer), loaded from a directory of TinyBase's prebuilt ESM bundles that the test
// extracts from a local TinyBase checkout (never committed). Prints one JSON line per check.
//
//   node --experimental-websocket tinybase_client.mjs http://127.0.0.1:PORT NAMESPACE BUNDLE_DIR
import {deadline, hashes, loadTinyBase, report, sleep, tinyHost} from './tinybase_common.mjs';

const [base, namespace, bundles] = process.argv.slice(2);
const {createMergeableStore, createWsSynchronizer} = await loadTinyBase(bundles);
const {post, account} = tinyHost(base, namespace);
const wsBase = base.replace(/^http/, 'ws');
deadline(50_000);
const connect = async (session, store = createMergeableStore()) => {
  const socket = new WebSocket(`${wsBase}/${namespace}/ws?sessionUuid=${session}`);
  const closed = new Promise((resolve) => socket.addEventListener('close', (event) => resolve(event.code)));
  // A 5 s request timeout (TinyBase's default is 1 s): test runs share a loaded machine.
  const synchronizer = await createWsSynchronizer(store, socket, 5);
  await synchronizer.startSync();
  return {store, socket, synchronizer, closed};
};
const serverContent = async (session) => {
  const [status, body] = await post(`/${namespace}/manual-sync`, {mergeableContent: [[{}, '', 0], [{}, '', 0]]}, {
    'X-Session-UUID': session,
  });
  return status == 200 ? body.mergeableContent : undefined;
};
const waitFor = async (condition, ms = 10_000) => {
  for (let waited = 0; waited < ms; waited += 50) {
    if (await condition()) return true;
    await sleep(50);
  }
  return false;
};

const alice = await account(`alice-${Date.now()}@example.com`);
const bob = await account(`bob-${Date.now()}@example.com`);

// Two clients of one user converge, with the server, through writes and a deletion.
const a1 = await connect(alice);
const a2 = await connect(alice);
a1.store.setCell('tasks', 'task1', 'title', 'Learn TinyBase');
a1.store.setCell('tasks', 'task1', 'completed', false);
a2.store.setCell('tasks', 'task2', 'title', 'Point it at Tandem');
a2.store.setValues({theme: 'dark', count: 3, ratio: 0.1 + 0.2});
a1.store.setCell('tasks', 'task3', 'meta', 'temporary');
// Deleting a cell this client has not received yet would be a no-op in TinyBase.
await waitFor(() => a2.store.getCell('tasks', 'task3', 'meta') == 'temporary');
a2.store.delCell('tasks', 'task3', 'meta');
const converged = await waitFor(async () => {
  const server = await serverContent(alice);
  return hashes(a1.store) == hashes(a2.store) &&
    server && JSON.stringify([server[0][2], server[1][2]]) == hashes(a1.store) &&
    a1.store.getCell('tasks', 'task3', 'meta') === undefined && a1.store.getCell('tasks', 'task2', 'title') !== undefined;
});
report('two clients converge', converged, {a1: hashes(a1.store), a2: hashes(a2.store), tables: a1.store.getTables()});

// Another user sees none of it.
const b1 = await connect(bob);
await sleep(300);
report('users are isolated', JSON.stringify(b1.store.getTables()) == '{}', {tables: b1.store.getTables()});

// A late joiner with offline edits: the server pulls them and the joiner gets everything.
const offline = createMergeableStore();
offline.setCell('notes', 'n1', 'text', 'written offline');
const a3 = await connect(alice, offline);
const joined = await waitFor(() =>
  hashes(a3.store) == hashes(a1.store) && a1.store.getCell('notes', 'n1', 'text') == 'written offline' &&
  a3.store.getCell('tasks', 'task1', 'title') == 'Learn TinyBase');
report('late joiner with offline edits', joined, {a3: hashes(a3.store), a1: hashes(a1.store)});

// The heartbeat arrives as an ISO time.
const beat = await waitFor(() => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(a1.store.getValue('heartbeat') ?? ''));
report('heartbeat', beat, {heartbeat: a1.store.getValue('heartbeat')});

// A change over the message limit closes the socket with 1009; manual sync repairs it.
a1.store.setCell('files', 'big', 'data', 'x'.repeat(1_200_000));
const code = await Promise.race([a1.closed, sleep(5000).then(() => 'no close')]);
report('oversize change closes with 1009', code == 1009, {code});
await a1.synchronizer.destroy();
const [status, result] = await post(`/${namespace}/manual-sync`, {mergeableContent: a1.store.getMergeableContent()}, {
  'X-Session-UUID': alice,
});
a1.store.setMergeableContent(result.mergeableContent);
const again = await connect(alice, a1.store);
const repaired = await waitFor(async () => {
  const server = await serverContent(alice);
  return server && JSON.stringify([server[0][2], server[1][2]]) == hashes(again.store) &&
    hashes(a2.store) == hashes(again.store) && a2.store.getCell('files', 'big', 'data')?.length == 1_200_000;
}, 15_000);
report('manual sync repairs', status == 200 && result.success === true && repaired, {status, timestamp: result.timestamp});

for (const client of [a2, a3, b1, again]) await client.synchronizer.destroy();
process.exit(0);
