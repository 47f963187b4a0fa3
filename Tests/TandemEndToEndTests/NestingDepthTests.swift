import Foundation
import Testing

/// JSON nested past the parser's bound (511 levels) is refused with each wire's own error, the
/// socket or server carries on, and nothing of it is stored.
@Suite("JSON nesting depth")
struct NestingDepthTests {
    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test("Hone: 511 levels are relayed, 512 or 100,000 are invalid_json and the socket stays open")
    func hone() async throws {
        let server = try await TestServer.start()
        let (socket, _) = try await join(server.webSocketURL, room: "r", device: "d")
        for (depth, accepted) in [(511, true), (512, false), (100_000, false)] {
            socket.send(#"{"from":"d","to":"broadcast","room":"r","id":"m\#(depth)","payload":\#(Self.nested(depth))}"#)
            let reply = try await socket.next()
            if accepted {
                #expect(reply["type"] as? String == "ack", "depth \(depth)")
            } else {
                #expect(reply["code"] as? String == "invalid_json", "depth \(depth)")
            }
        }
        // Only the accepted message was stored.
        let (late, joined) = try await join(server.webSocketURL, room: "r", device: "late", lastSeq: 0)
        #expect(joined["type"] as? String == "joined")
        let deltas = try await late.next()["deltas"] as? [[String: Any]]
        #expect(deltas?.count == 1)
        #expect(deltas?.first?["seq"] as? Int == 1)
        #expect(try await late.expectSilence(for: .milliseconds(200)) == nil)
        try await server.stop()
    }

    @Test("TinyHost: a sign-up body nested 20,000 deep is 400 invalid_json")
    func tinyHostBody() async throws {
        let server = try await TestServer.start()
        let answer = try await http(
            "POST", "\(server.httpURL)/app/sign-up", body: #"{"email":\#(Self.nested(20_000))}"#)
        #expect(answer.status == 400)
        #expect(answer["error"] as? String == "invalid_json")
        #expect(try await http("GET", "\(server.httpURL)/health").status == 200)
        try await server.stop()
    }
}
