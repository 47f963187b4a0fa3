/// A jot request the server sends a connected phone on an operator's behalf (JotBunker's computer buttons).
package enum JotRequest: Sendable, Equatable {
    /// `jot_refresh_request`: the phone answers with every jot's metadata and its manifest.
    case refresh
    /// `jot_download_request`: the phone answers with these jots' binaries inline.
    case download(jotIds: [Int])
    /// `jot_clear_request`: the phone empties these jots and acknowledges (`jot_clear_ack`). Only what the server
    /// has stored stays.
    case clear(jotIds: [Int])
}
