import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
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
        router.ws("/:namespace/ws") { request, context in
            // Refused before the upgrade, so clients see an HTTP 401/404 JSON answer.
            _ = try await Self.storeName(request, context, accounts)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let connection = WebSocketWireConnection(outbound: outbound, channel: context.requestContext.channel)
            guard
                let store = try? await Self.storeName(
                    context.request, context.requestContext, accounts)
            else {
                try? await connection.close(code: 4001, reason: "invalid or expired session")
                return
            }
            await endpoint.serve(
                storeName: store, inbound: inbound.wireFrames(maxSize: maxMessage), connection: connection)
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
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            }
        }
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
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch {
            throw .bodyTooLarge(limit: limit)
        }
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
