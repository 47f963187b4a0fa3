// JotBunker phones against Tandem's `lan` endpoint, running JotBunker's own code where Node can run it.
//
// Loaded from a JotBunker git repository at test time (never copied here), TypeScript transpiled in memory
// with the `typescript` package: packages/shared/src (protocol validators in parseMessage, SyncEngine and its
// phase manager, the list store slice, constants, base64 helpers) and packages/mobile/sync/MobileTransport.ts
// (the phone's WebSocket, key exchange and tweetnacl secretbox channel). What cannot run outside React Native,
// packages/mobile/sync/useSyncSetup.ts (the phone's state_sync / sync_confirm handlers), is followed below in
// plain JavaScript, for two generations:
//   mode-only  as 1.0.7: on sync_confirm, phone-wins keeps the phone's state, desktop-wins adopts the last
//              state_sync received; the snapshot field is never read;
//   snapshot   the later line: adopts sync_confirm's snapshot when present, else as mode-only.
//
// Usage: node --experimental-websocket jotbunker_phone.mjs <ws port> <pairing secret> <mode-only|snapshot> <repo>
// The repository is a checkout or a bare git directory; JOTBUNKER_COMMIT picks the version (default 1.0.7).
// Prints one JSON line per check ({"check", "ok", "detail"}) and exits non-zero if any failed.

import { execFileSync } from 'node:child_process'
import { randomUUID, webcrypto } from 'node:crypto'
import { createRequire } from 'node:module'
import { posix } from 'node:path'
import vm from 'node:vm'

const [port, secret, generation, repo] = process.argv.slice(2)
const commit = process.env.JOTBUNKER_COMMIT ?? 'f2319f03b2c0656cf264ce874309a4a8fea13a21'
if (!repo || !['mode-only', 'snapshot'].includes(generation)) {
  console.error('usage: jotbunker_phone.mjs <port> <secret> <mode-only|snapshot> <jotbunker repo>')
  process.exit(2)
}

// ── Loading JotBunker's TypeScript ──

const nodeRequire = createRequire(import.meta.url)
/** A Node package, from the usual paths or Debian's /usr/share/nodejs (node-typescript, node-tweetnacl). */
function nodePackage(name) {
  try {
    return nodeRequire(name)
  } catch {
    return nodeRequire(`/usr/share/nodejs/${name}`)
  }
}
const ts = nodePackage('typescript')
const tweetnacl = nodePackage('tweetnacl')

const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
const files = new Set(git('ls-tree', '-r', '--name-only', commit, 'packages').split('\n'))
const modules = new Map()
const shims = {
  tweetnacl: tweetnacl,
  // The phone seeds tweetnacl's PRNG from this module; Node's Web Crypto does the same job.
  'react-native-quick-crypto': { __esModule: true, default: { getRandomValues: (b) => webcrypto.getRandomValues(b) } },
  '@jotbunker/shared': () => load('packages/shared/src/index.ts'),
}

function resolve(from, specifier) {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier))
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base]) {
    if (files.has(candidate)) return candidate
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`)
}

/** Transpiles and evaluates one file of the repository as a CommonJS module. */
function load(path) {
  if (modules.has(path)) return modules.get(path).exports
  const module = { exports: {} }
  modules.set(path, module)
  const output = ts.transpileModule(git('show', `${commit}:${path}`), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    fileName: path,
  }).outputText
  const require = (specifier) => {
    if (specifier.startsWith('.')) return load(resolve(path, specifier))
    const shim = shims[specifier]
    if (shim === undefined) throw new Error(`${path} imports ${specifier}, which this harness does not provide`)
    return typeof shim === 'function' ? shim() : shim
  }
  vm.runInThisContext(`(function (exports, require, module) {\n${output}\n})`, { filename: path })(
    module.exports, require, module)
  return module.exports
}

const shared = load('packages/shared/src/index.ts')
const { MobileTransport } = load('packages/mobile/sync/MobileTransport.ts')

// ── Stores: the shared list slice on a minimal zustand-like store ──

function store(initializer) {
  let state
  const get = () => state
  const set = (partial) => {
    const next = typeof partial === 'function' ? partial(state) : partial
    state = { ...state, ...next }
  }
  state = initializer(set, get)
  return { getState: get, setState: set }
}

// ── The phone: useSyncSetup.ts's platform, followed per generation ──

class Phone {
  constructor(deviceId) {
    this.deviceId = deviceId
    this.lists = store(shared.createItemSlice({ defaultCategories: shared.DEFAULT_LISTS_CATEGORIES, generateUUID: randomUUID }))
    this.lockedLists = store(
      shared.createItemSlice({ defaultCategories: shared.DEFAULT_LOCKED_LISTS_CATEGORIES, generateUUID: randomUUID }))
    this.scratchpad = store(() => ({
      contents: Array.from({ length: shared.CATEGORY_COUNT }, () => ({ content: '', updatedAt: 0 })),
      categories: shared.DEFAULT_SCRATCHPAD_CATEGORIES,
    }))
    this.lastSyncTimestamp = 0
  }

  /** The items of the first list, by text. */
  texts() {
    return this.lists.getState().items[0].map((item) => item.text).sort()
  }

  /** Connects, lets the server run its sync, and disconnects once it confirms or cancels. */
  async sync() {
    const run = { received: [], end: null }
    let pending = null
    let finished
    const done = new Promise((resolve, reject) => {
      finished = resolve
      setTimeout(() => reject(new Error(`${this.deviceId}: no sync_confirm or sync_cancel within 10 s`)), 10_000)
    })
    const transport = new MobileTransport('127.0.0.1', Number(port), secret)
    const phone = this
    const platform = {
      deviceId: this.deviceId,
      getLastSyncTimestamp: () => phone.lastSyncTimestamp,
      setLastSyncTimestamp: (ts) => { phone.lastSyncTimestamp = ts },
      async handleDownloadRequest() {},
      handleClearRequest() {},
      async handleFileRequest() {},
      handleJotMetaRequest() {},
      handleJotRefreshRequest(send) { send({ type: 'jot_refresh_response', jots: [] }) },
      async handleStateSync(ss, send) {
        run.received.push(ss)
        pending = ss
        const scratchpad = phone.scratchpad.getState()
        send({
          type: 'state_sync',
          lists: phone.lists.getState().items,
          lockedLists: phone.lockedLists.getState().items,
          listsCategories: phone.lists.getState().categories,
          lockedListsCategories: phone.lockedLists.getState().categories,
          since: phone.lastSyncTimestamp,
          scratchpad: scratchpad.contents,
          scratchpadCategories: scratchpad.categories,
        })
      },
      handleSyncCancel() {
        pending = null
        run.end = { type: 'sync_cancel' }
        finished()
      },
      handleSyncConfirm(msg) {
        run.end = msg
        if (pending) {
          const ss = pending
          pending = null
          if (generation === 'snapshot' && msg.snapshot) phone.adopt(msg.snapshot)
          else if (msg.mode !== 'phone-wins') phone.adopt(ss)
          phone.lastSyncTimestamp = Date.now()
        }
        finished()
      },
      buildHandshake: (ts) => ({ type: 'handshake', deviceId: phone.deviceId, lastSyncTimestamp: ts, pairingSecret: secret }),
      onLive() { transport.send({ type: 'jot_manifest', jots: [] }) },
      onConnectionStatusChange(status) { if (status === 'unreachable') pending = null },
    }
    const engine = new shared.SyncEngine(transport, platform)
    engine.connect()
    try {
      await done
    } finally {
      engine.dispose()
    }
    return run
  }

  /** desktop-wins (or a snapshot): the phone's stores take the state's lists, categories and scratchpad. */
  adopt(ss) {
    this.lists.setState({ items: ss.lists, categories: ss.listsCategories })
    this.lockedLists.setState({ items: ss.lockedLists, categories: ss.lockedListsCategories })
    if (ss.scratchpad) this.scratchpad.setState({ contents: ss.scratchpad })
    if (ss.scratchpadCategories) this.scratchpad.setState({ categories: ss.scratchpadCategories })
  }
}

// ── The scenario ──

let failures = 0
function check(name, ok, detail = '') {
  if (!ok) failures += 1
  console.log(JSON.stringify({ generation, check: name, ok: Boolean(ok), detail: ok ? '' : detail }))
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)
const tombstones = (ss) => [...(ss?.lists ?? []), ...(ss?.lockedLists ?? [])].flat().filter((i) => i.deleted === true)
const adoptable = (run) => [...run.received, run.end?.snapshot].filter(Boolean)
const sixOfEach = (ss) =>
  ['lists', 'lockedLists', 'listsCategories', 'lockedListsCategories', 'scratchpad', 'scratchpadCategories']
    .every((key) => Array.isArray(ss[key]) && ss[key].length === shared.CATEGORY_COUNT)

try {
  const a = new Phone('phone A')
  const b = new Phone('phone B')
  const runs = []

  let run = await b.sync()
  runs.push(run)
  check('an empty server offers six slots of everything', sixOfEach(run.received[0]), run.received[0])
  check("the phone's sync_confirm passes JotBunker's validator", run.end?.type === 'sync_confirm', run.end)

  // Three items, so deleting one later stays under the large-change gate (80 % of the ancestor missing).
  const all = ['bread', 'eggs', 'milk']
  for (const text of all) a.lists.getState().addItem(text)
  runs.push(await a.sync())
  check('the adding phone holds its items', same(a.texts(), all), a.texts())

  runs.push(await b.sync())
  check('the other phone receives the items', same(b.texts(), all), b.texts())

  run = await b.sync()
  runs.push(run)
  check('an unchanged sync leaves the phone where it is',
    run.received.length === 1 && run.end?.mode === 'phone-wins' && same(b.texts(), all), run.end)

  run = await a.sync()
  runs.push(run)
  check('the items stay on both phones and the server',
    same(a.texts(), all) && same(b.texts(), all) && same(run.received[0].lists[0].map((i) => i.text).sort(), all),
    { a: a.texts(), b: b.texts() })

  const milk = a.lists.getState().items[0].find((item) => item.text === 'milk')
  a.lists.getState().deleteItem(milk.id)
  runs.push(await a.sync())
  runs.push(await b.sync())
  const left = ['bread', 'eggs']
  check('a deletion reaches the other phone', same(b.texts(), left) && same(a.texts(), left), { a: a.texts(), b: b.texts() })
  const marked = runs.flatMap(adoptable).flatMap(tombstones)
  check('nothing the phone may adopt carries a tombstone', marked.length === 0, marked)
  check('every state_sync and snapshot has six slots of everything', runs.flatMap(adoptable).every(sixOfEach))
} catch (error) {
  check('the scenario ran', false, String(error?.stack ?? error))
}
process.exit(failures === 0 ? 0 : 1)
