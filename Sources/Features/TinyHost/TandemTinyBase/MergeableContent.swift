/// The whole content with hashes, as TinyBase's `getMergeableContent()` gives it and
/// `setMergeableContent()` takes it (the manual-sync body).
extension MergeableStore {
    /// `[[tables, hlc, hash], [values, hlc, hash]]`. Deleted leaves are written as `null` (what
    /// `JSON.stringify` makes of `undefined`; both hash alike) and encoded objects and arrays as
    /// JSON, since `setMergeableContent` refuses the U+FFFC and U+FFFD string forms.
    package var contentJSON: JSONValue {
        func leaf(_ leaf: HashedLeaf) -> JSONValue {
            .array([leaf.value?.decodedJSON ?? .null, .string(leaf.hlc), .number(Double(leaf.hash))])
        }
        func stamped(_ thing: JSONValue, _ hlc: String, _ hash: UInt32) -> JSONValue {
            .array([thing, .string(hlc), .number(Double(hash))])
        }
        let tablesJSON = tables.mapValues { table in
            stamped(
                .object(
                    table.rows.mapValues { row in stamped(.object(row.cells.mapValues(leaf)), row.hlc, row.hash) }),
                table.hlc, table.hash)
        }
        return .array([
            stamped(.object(tablesJSON), tablesHLC, tablesHash),
            stamped(.object(values.mapValues(leaf)), valuesHLC, valuesHash),
        ])
    }
}
