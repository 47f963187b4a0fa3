import Foundation
import Hummingbird
import NIOCore
import TandemLAN
import TandemMerge

/// The LAN endpoint's admin API on the HTTP port: pending decisions and paired devices. Every request needs
/// `Authorization: Bearer <pairing secret>`.
struct LANRoutes: Sendable {
    let endpoint: LANEndpoint

    /// The body of `POST /lan/pending/:id`.
    struct Answer: Decodable {
        /// `merge`, `phone`, `desktop` or `cancel`.
        var decision: String
        /// For `merge`: conflict key to winning side.
        var choices: [String: SyncSide]?
        /// For `merge`: the side of every conflict not in `choices`.
        var otherwise: SyncSide?
    }

    func add(to router: Router<RelayRequestContext>) {
        let group = router.group("lan").add(middleware: BearerSecret(secret: endpoint.secret))
        group.get("pending") { _, _ in
            Self.json(await endpoint.coordinator.pendingSyncs())
        }
        group.post("pending/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let body = try? await request.body.collect(upTo: 1 << 20),
                let answer = try? JSONDecoder().decode(Answer.self, from: Data(buffer: body)),
                let parsed = Self.parse(answer)
            else {
                return Self.error(
                    .badRequest,
                    #"expected {"decision": "merge"|"phone"|"desktop"|"cancel", "choices": {key: side}, "otherwise": side}"#
                )
            }
            do throws(SyncDecisionError) {
                let state = try await endpoint.coordinator.answer(id, with: parsed)
                return Self.json(AppliedReply(status: state == nil ? "cancelled" : "applied", snapshot: state))
            } catch {
                return Self.response(for: error)
            }
        }
        group.get("devices") { _, _ in
            Self.json(try await endpoint.store.devices())
        }
        group.delete("devices/:id") { _, context in
            let id = Self.device(context)
            return try await endpoint.store.forget(device: id)
                ? Response(status: .noContent) : Self.error(.notFound, "no paired device \(id)")
        }
        group.get("devices/:id/jots") { _, context in
            let id = Self.device(context)
            return Self.json(
                ArchivedJots(
                    jots: try await endpoint.store.jots(device: id), files: try await endpoint.store.files(device: id)))
        }
        group.post("devices/:id/jots/:action") { request, context in
            let jotIds: [Int]
            if let body = try? await request.body.collect(upTo: 1 << 20), body.readableBytes > 0 {
                guard let ids = try? JSONDecoder().decode(JotIDs.self, from: Data(buffer: body)).jotIds else {
                    return Self.error(.badRequest, #"expected {"jotIds": [number]}"#)
                }
                jotIds = ids
            } else {
                jotIds = []
            }
            let jotRequest: JotRequest
            switch context.parameters.get("action") {
            case "refresh": jotRequest = .refresh
            case "download" where !jotIds.isEmpty: jotRequest = .download(jotIds: jotIds)
            case "clear" where !jotIds.isEmpty: jotRequest = .clear(jotIds: jotIds)
            default: return Self.error(.badRequest, "expected refresh, or download / clear with jotIds")
            }
            let id = Self.device(context)
            return endpoint.send(jotRequest, to: id)
                ? Self.json(["status": "sent"], status: .accepted) : Self.error(.conflict, "\(id) is not connected")
        }
    }

    private struct ArchivedJots: Encodable {
        var jots: [JotMeta]
        var files: [StoredJotFile]
    }

    private struct JotIDs: Decodable {
        var jotIds: [Int]
    }

    private static func device(_ context: some RequestContext) -> String {
        let raw = context.parameters.get("id") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    private struct AppliedReply: Encodable {
        var status: String
        var snapshot: SyncState?
    }

    private static func parse(_ answer: Answer) -> SyncAnswer? {
        switch answer.decision {
        case "merge": .merge(choices: answer.choices ?? [:], otherwise: answer.otherwise)
        case "phone": .usePhone
        case "desktop": .useDesktop
        case "cancel": .cancel
        default: nil
        }
    }

    private static func response(for failure: SyncDecisionError) -> Response {
        switch failure {
        case .notFound: error(.notFound, "no pending sync with this id (answered, timed out or disconnected)")
        case .unknownConflicts(let keys): error(.badRequest, "no such conflicts: \(keys.joined(separator: ", "))")
        case .undecided(let keys):
            error(.badRequest, "undecided conflicts (give choices or otherwise): \(keys.joined(separator: ", "))")
        case .stale: error(.conflict, "the server's state changed since this sync was held; it was cancelled")
        case .storage(let description): error(.internalServerError, "storage failed: \(description)")
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data))
        )
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(["error": message], status: status)
    }
}

/// Refuses requests without `Authorization: Bearer <secret>` (compared in constant time).
struct BearerSecret<Context: RequestContext>: RouterMiddleware {
    let secret: PairingSecret

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            secret.matches(String(header.dropFirst("Bearer ".count)))
        else {
            return LANRoutes.error(.unauthorized, "Authorization: Bearer <lan pairing secret> required")
        }
        return try await next(request, context)
    }
}
