import Foundation
import Testing

@testable import TandemClient

@Suite("Client SDK: backoff and frames")
struct ClientUnitTests {
    @Test("backoff doubles up to the maximum; jitter only shortens")
    func backoff() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1), multiplier: 2, jitter: 0.5)
        #expect(backoff.delay(attempt: 0, random: 0) == .milliseconds(100))
        #expect(backoff.delay(attempt: 1, random: 0) == .milliseconds(200))
        #expect(backoff.delay(attempt: 3, random: 0) == .milliseconds(800))
        #expect(backoff.delay(attempt: 10, random: 0) == .seconds(1))
        #expect(backoff.delay(attempt: 10, random: 1) == .milliseconds(500))
        #expect(backoff.delay(attempt: 1000, random: 0.5) == .milliseconds(750))
    }

    @Test("settings: sync must be enabled and have a relay URL")
    func settings() throws {
        #expect(throws: RelayClientError.syncDisabled) {
            try RelayClientConfiguration(settings: SyncSettings(), room: "r", device: "d")
        }
        let settings = SyncSettings(enabled: true, relayURL: "ws://127.0.0.1:1/ws", authURL: "", deviceToken: "t")
        let configuration = try RelayClientConfiguration(settings: settings, room: "r", device: "d")
        #expect(configuration.token == "t")
        #expect(configuration.url == "ws://127.0.0.1:1/ws")
    }

    @Test("a message frame carries the id and the payload verbatim")
    func messageFrame() throws {
        let frame = ClientFrames.message(
            from: "d", to: .device("e"), room: "r", id: "m1", payloadJSON: #"{"k":[1,2.5,"x"]}"#)
        let object = try #require(JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "m1")
        #expect(object["to"] as? String == "e")
        #expect(frame.hasSuffix(#""payload":{"k":[1,2.5,"x"]}}"#))
    }

    @Test("server frames decode: joined, ack, error with id, deltas, live messages")
    func decoding() {
        if case .joined(let info, let resync) = ClientFrames.decode(
            #"{"type":"joined","room":"r","device":"d","host":"a","isHost":false,"peers":["a"],"roomSeq":7,"epoch":"e","resync":true}"#
        ) {
            #expect(info == JoinInfo(host: "a", isHost: false, peers: ["a"], roomSeq: 7, epoch: "e"))
            #expect(resync)
        } else {
            Issue.record("joined not decoded")
        }
        if case .ack(let id, let seq) = ClientFrames.decode(#"{"type":"ack","id":"m","seq":3}"#) {
            #expect(id == "m" && seq == 3)
        } else {
            Issue.record("ack not decoded")
        }
        if case .error(let code, _, let id) = ClientFrames.decode(
            #"{"type":"error","code":"rate_limited","error":"x","id":"m"}"#)
        {
            #expect(code == "rate_limited" && id == "m")
        } else {
            Issue.record("error not decoded")
        }
        let stored = #"{\"from\":\"a\",\"to\":\"broadcast\",\"room\":\"r\",\"payload\":5,\"seq\":2,\"ts\":9}"#
        if case .deltas(let messages) = ClientFrames.decode(
            #"{"type":"deltas","room":"r","deltas":[{"seq":2,"deviceId":"a","payload":"\#(stored)","createdAt":9}]}"#)
        {
            #expect(messages.map(\.seq) == [2])
            #expect(messages.first?.payloadJSON == "5")
        } else {
            Issue.record("deltas not decoded")
        }
        if case .message(let message) = ClientFrames.decode(
            #"{"from":"a","to":"broadcast","room":"r","payload":{"x":1},"id":"q","seq":4,"ts":10}"#)
        {
            #expect(message.seq == 4 && message.id == "q" && message.timestamp == 10)
            #expect(message.payloadJSON == #"{"x":1}"#)
        } else {
            Issue.record("message not decoded")
        }
    }
}
