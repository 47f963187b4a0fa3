import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import TandemConnection
import TandemRelay
import TandemTinyBase
import TandemTinyHost

/// TinyHost's sync routes on the HTTP port: the TinyBase WebSocket at `/{namespace}/ws?sessionUuid=…`
/// and `POST /{namespace}/manual-sync`. Both find the user's store from the session.
struct TinyHostSyncRoutes: Sendable {
    let accounts: TinyHostAccounts
    let endpoint: TinyBaseSyncEndpoint

    func add(to router: Router<RelayRequestContext>) {
        let accounts = self.accounts
        let endpoint = self.endpoint
        let maxMessage = endpoint.hub.settings.maxMessageBytes
        // The session is checked after the upgrade, so that browsers (which never see an HTTP
        // status of a failed upgrade) get a close code and a reason.
        router.ws("/:namespace/ws") { inbound, outbound, context in
            let connection = WebSocketWireConnection(outbound: outbound, channel: context.requestContext.channel)
            let store: String
            do throws(TinyHostError) {
                store = try await Self.storeName(context.request, context.requestContext, accounts)
            } catch {
                let refusal = Self.closeReason(error)
                try? await connection.close(code: refusal.code, reason: refusal.reason)
                return
            }
            try await inbound.wireFrames(maxSize: maxMessage) { frames in
                await endpoint.serve(storeName: store, inbound: frames, connection: connection)
            }
        }
        router.post("/:namespace/manual-sync") { request, context -> Response in
            try await TinyHostHTTPError.mapping {
                let store = try await Self.storeName(request, context, accounts)
                let content = try await Self.content(request, limit: endpoint.hub.settings.maxManualSyncBytes)
                let merged: JSONValue
                do {
                    merged = try await endpoint.hub.manualSync(store: store, content: content)
                } catch TinyBaseSyncError.futureStamp {
                    throw TinyHostError.invalidField(
                        "mergeableContent", rule: "has a stamp more than five minutes ahead of the server's clock")
                } catch {
                    throw TinyHostError.internalError
                }
                var body = "{\"success\":true,\"mergeableContent\":"
                JavaScriptJSON.write(merged, to: &body)
                body += ",\"timestamp\":" + JavaScriptJSON.string(TinyHostTime.string(Date())) + "}"
                return .uncachedJSON(.ok, ByteBuffer(string: body))
            }
        }
    }

    /// How a socket without a usable session is closed: 4401 (no, unknown, ended or expired
    /// session), 4404 (namespace not served), 4400 otherwise; the reason is the JSON error's code
    /// and message.
    static func closeReason(_ error: TinyHostError) -> CloseReason {
        let code: UInt16 =
            switch error.status {
            case 401: 4401
            case 404: 4404
            case 429, 503: 4429
            default: 4400
            }
        return CloseReason(
            code: code, reason: String(decoding: "\(error.code): \(error.message)".utf8.prefix(120), as: UTF8.self))
    }

    /// The store of the session's user, checking the namespace and the session.
    private static func storeName(_ request: Request, _ context: RelayRequestContext, _ accounts: TinyHostAccounts)
        async throws(TinyHostError) -> String
    {
        let namespace = try TinyHostAccountRoutes.namespace(context, accounts.settings)
        let uuid = try TinyHostRequest.sessionUUID(request)
        return try await accounts.authenticate(sessionUUID: uuid, namespace: namespace).user.storeName
    }

    /// `{"mergeableContent": [[tables…], [values…]]}`, read with the same rules as the WebSocket.
    private static func content(_ request: Request, limit: Int) async throws(TinyHostError) -> MergeableChanges {
        let body = try await TinyHostRequest.body(request, limit: limit)
        guard let json = JSONValue.parse(Data(buffer: body)), let object = json.objectValue else {
            throw .invalidJSON
        }
        guard let content = object["mergeableContent"] else { throw .missingField("mergeableContent") }
        do {
            return try WireCodec.changes(content)
        } catch {
            throw .invalidField("mergeableContent", rule: error.reason)
        }
    }
}
