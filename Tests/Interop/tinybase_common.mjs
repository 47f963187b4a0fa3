// What the TinyBase interop scripts share: TinyBase's own client code from a directory of its
// prebuilt ESM bundles (extracted by the test from a local TinyBase checkout, never committed),
// one JSON line per check, a deadline, and TinyHost's account and manual-sync routes.

/** TinyBase's `createMergeableStore` and `createWsSynchronizer` from `bundles`. */
export const loadTinyBase = async (bundles) => ({
  ...(await import(`${bundles}/tinybase.mjs`)),
  ...(await import(`${bundles}/ws-client.mjs`)),
});

/** Fails the run if it is not over within `ms`: a check that never finishes must not hang the tests. */
export const deadline = (ms) =>
  setTimeout(() => {
    console.log(JSON.stringify({check: 'finished in time', ok: false}));
    process.exit(1);
  }, ms).unref();

export const report = (check, ok, detail = {}) => console.log(JSON.stringify({check, ok, ...detail}));
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const hashes = (store) => JSON.stringify(store.getMergeableContentHashes());

/** TinyHost's HTTP routes of the server at `base` (http://host:port), in `namespace`. */
export const tinyHost = (base, namespace) => {
  const post = async (path, body, headers = {}) => {
    const response = await fetch(base + path, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', ...headers},
      body: typeof body == 'string' ? body : JSON.stringify(body),
    });
    return [response.status, await response.json()];
  };
  /** Signs `email` up and in; returns the session UUID. */
  const account = async (email) => {
    await post(`/${namespace}/sign-up`, {email, password: 'correct horse battery'});
    const [, body] = await post(`/${namespace}/sign-in`, {email, password: 'correct horse battery'});
    return body.session_uuid;
  };
  return {post, account};
};
