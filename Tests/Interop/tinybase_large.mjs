// A TinyBase late joiner syncing a store whose diff is larger than TinyBase v9.3+'s 16 MiB frame
// limit, with TinyBase's own client code (createMergeableStore + createWsSynchronizer) loaded from
// prebuilt bundles of a local TinyBase checkout. A writer puts the store on the server in one manual
// sync; a fresh client then joins over the WebSocket and must end with the writer's content hashes.
// Prints one JSON line per check, with the measurements.
//
//   node --experimental-websocket tinybase_large.mjs http://127.0.0.1:PORT NAMESPACE BUNDLE_DIR ROWS BUDGET
import {deadline, hashes, loadTinyBase, report, sleep, tinyHost} from './tinybase_common.mjs';

const [base, namespace, bundles, rowsArg, budgetArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const budget = Number(budgetArg);
const {createMergeableStore, createWsSynchronizer} = await loadTinyBase(bundles);
const {post, account} = tinyHost(base, namespace);
deadline(100_000);
const session = await account(`large-${Date.now()}@example.com`);

// The writer: `rows` rows of about 2 KB in four tables, applied at once (TinyBase takes far longer
// to write them cell by cell, even in one transaction). Every cell carries one HLC of the writer.
let started = Date.now();
const writer = createMergeableStore();
writer.setValue('title', 'large store');
const hlc = writer.getMergeableContent()[1][0].title[1];
const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor — é ✓ ';
const tables = {};
for (let row = 0; row < rows; row++) {
  const table = (tables[`table${row % 4}`] ??= [{}, '']);
  table[0][`row${row}`] = [{text: [`${row} ${filler.repeat(22)}`, hlc], n: [row, hlc]}, ''];
}
writer.applyMergeableChanges([[tables, ''], [{}, ''], 1]);
// What a server without cutting would send a late joiner as one GetTableDiff answer.
const wholeDiffBytes = Buffer.byteLength(
  `S\n${JSON.stringify(['xxxxxxxxxxx.xxxx', 0, writer.getMergeableTableDiff({})])}`);
const generateMs = Date.now() - started;

started = Date.now();
const [status] = await post(`/${namespace}/manual-sync`, JSON.stringify({mergeableContent: writer.getMergeableContent()}), {
  'X-Session-UUID': session,
});
report('writer stores the content', status == 200, {rows, wholeDiffBytes, generateMs, uploadMs: Date.now() - started});

// The late joiner: an empty store, TinyBase's own synchronizer. Every frame it receives is measured.
started = Date.now();
const joiner = createMergeableStore();
const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/${namespace}/ws?sessionUuid=${session}`);
let frames = 0;
let frameBytes = 0;
let largestFrame = 0;
socket.addEventListener('message', (event) => {
  const size = Buffer.byteLength(event.data);
  frames++;
  frameBytes += size;
  largestFrame = Math.max(largestFrame, size);
});
let closeCode;
socket.addEventListener('close', (event) => (closeCode = event.code));
const synchronizer = await createWsSynchronizer(joiner, socket, 5);
await synchronizer.startSync();
const startSyncMs = Date.now() - started;
const target = hashes(writer);
let converged = false;
for (let waited = 0; waited < 60_000 && closeCode === undefined; waited += 25) {
  if (hashes(joiner) == target) {
    converged = true;
    break;
  }
  await sleep(25);
}
const convergeMs = Date.now() - started;
report('late joiner converges', converged && closeCode === undefined, {
  target, joiner: hashes(joiner), closeCode, startSyncMs, convergeMs, frames, frameBytes, largestFrame,
  joinerRows: ['table0', 'table1', 'table2', 'table3'].reduce((sum, table) => sum + joiner.getRowIds(table).length, 0),
});
report('every frame within the budget', largestFrame <= budget, {largestFrame, budget});
await synchronizer.destroy();
process.exit(0);
