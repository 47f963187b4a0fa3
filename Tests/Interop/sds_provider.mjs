// Runs SDS's own WebSocket provider (the shareable-data-store client, loaded from a local copy
// that is never committed here) against a live Tandem server.
//
// Usage: TOKENS='{"write":..,"read":..}' node --experimental-websocket sds_provider.mjs \
//            /path/to/sds-network-websocket.js ws://127.0.0.1:PORT
// The tokens are for store "node-store". Exits 0 when every check passes.
import { pathToFileURL } from 'node:url'
import { createHash } from 'node:crypto'

const { SDS_WebSocketProvider: Provider } = await import(pathToFileURL(process.argv[2]).href)
const server = process.argv[3]
const tokens = JSON.parse(process.env.TOKENS)
const failures = []
const check = (ok, what) => { if (!ok) { failures.push(what); console.log('FAIL:', what) } }

/** Resolves with the next `count` events a provider hands to `subscribe`, or rejects after 5 s. */
function collect (subscribe, count) {
  return new Promise((resolve, reject) => {
    const seen = []
    const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${count} events`)), 5000)
    const stop = subscribe((...args) => {
      seen.push(args)
      if (seen.length === count) { clearTimeout(timer); stop(); resolve(seen) }
    })
  })
}

async function open (token) {
  const provider = new Provider('node-store')
  await provider.connect(server, { Token: token, reconnectDelayMs: 60000 })
  return provider
}

const text = (bytes) => new TextDecoder().decode(bytes)
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex')

try {
  const a = await open(tokens.write), b = await open(tokens.write), reader = await open(tokens.read)

  const patches = collect((f) => b.onPatch(f), 3)
  for (const n of [1, 2, 3]) { a.sendPatch(new TextEncoder().encode(`patch-${n}`)) }
  check((await patches).map(([p]) => text(p)).join() === 'patch-1,patch-2,patch-3', 'patches arrive in order')

  // A value above the provider's 1 MiB chunk size travels as VALUE_CHUNK frames.
  const big = new Uint8Array(2.5 * 1024 * 1024).map((_, i) => i % 251)
  const values = collect((f) => b.onValue(f), 1)
  a.sendValue(hashOf(big), big)
  const [[hash, data]] = await values
  check(hash === hashOf(big) && data.byteLength === big.byteLength && hashOf(data) === hash, 'chunked value reassembled')

  const presence = collect((f) => a.onRemoteState(f), 1)
  reader.sendLocalState({ PeerId: 'node-reader', UserName: 'Reader' })
  const [[peer, state]] = await presence
  check(peer === 'node-reader' && state.UserName === 'Reader', 'a reader\'s presence arrives')

  const syncs = collect((f) => a.onSyncRequest(f), 1)
  reader.sendSyncRequest(new Uint8Array([7, 7]))
  check((await syncs)[0][0].join() === '7,7', 'sync request arrives')

  reader.sendPatch(new TextEncoder().encode('from-reader'))
  a.sendPatch(new TextEncoder().encode('patch-4'))
  const afterReader = await collect((f) => b.onPatch(f), 1)
  check(text(afterReader[0][0]) === 'patch-4', 'a reader\'s patch is dropped')

  // A late joiner gets every stored patch (a value never replaces them), and the value from the
  // server when it asks for it.
  const late = new Provider('node-store')
  const latePatches = collect((f) => late.onPatch(f), 4)
  await late.connect(server, { Token: tokens.read, reconnectDelayMs: 60000 })
  check((await latePatches).map(([p]) => text(p)).join() === 'patch-1,patch-2,patch-3,patch-4',
    'late joiner gets every patch, in order')
  const lateValue = collect((f) => late.onValue(f), 1)
  late.requestValue(hashOf(big))
  const [[lateHash, lateData]] = await lateValue
  check(lateHash === hashOf(big) && hashOf(lateData) === lateHash, 'late joiner gets the value on REQ_VALUE')

  for (const provider of [a, b, reader, late]) { provider.disconnect() }
} catch (error) {
  failures.push(String(error))
  console.log('FAIL:', error)
}
process.exit(failures.length ? 1 : 0)
