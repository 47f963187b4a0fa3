import Foundation
import TandemConnection
import TandemRelay
import Testing

@_spi(Benchmarks) @testable import TandemHone

@Suite("Hone frames")
struct HoneFrameTests {
    @Test("a full join frame parses, lastSeq included")
    func joinParses() throws {
        let join = try HoneJoin.parse(.text(#"{"type":"join","room":"r","device":"d","token":"t","lastSeq":12}"#)).get()
        #expect(join == HoneJoin(room: RoomID("r"), device: DeviceID("d"), token: "t", lastSeq: 12))
        let bare = try HoneJoin.parse(.text(#"{"type":"join","room":"r","device":"d","token":null}"#)).get()
        #expect(bare.token == nil)
        #expect(bare.lastSeq == nil)
    }

    @Test(
        "bad join frames get Hone's texts",
        arguments: [
            (#"{"type":"message"}"#, "First message must be join"),
            (#"[]"#, "First message must be join"),
            (#"{"type":"join","device":"d"}"#, "Missing room"),
            (#"{"type":"join","room":"r"}"#, "Missing device"),
            (#"{"type":"join","room":"","device":"d"}"#, "Empty room or device"),
            (#"{"type":"join","room":5,"device":"d"}"#, "Invalid room: must be a string"),
            (
                #"{"type":"join","room":"r","device":"d","lastSeq":-1}"#,
                "Invalid lastSeq: must be a non-negative integer"
            ),
            (
                #"{"type":"join","room":"r","device":"d","lastSeq":1.5}"#,
                "Invalid lastSeq: must be a non-negative integer"
            ),
            (
                #"{"type":"join","room":"r","device":"d","lastSeq":true}"#,
                "Invalid lastSeq: must be a non-negative integer"
            ),
            (#"{"type":"join","room":"r","device":"d","token":7}"#, "Invalid token: must be a string"),
            (#"{"type":"join","room":"~sds:x","device":"d"}"#, "Invalid room: names starting with '~' are reserved"),
        ])
    func joinErrors(frame: String, text: String) {
        guard case .failure(let error) = HoneJoin.parse(.text(frame)) else {
            Issue.record("\(frame) parsed")
            return
        }
        #expect(error.text == text)
        #expect(error.close == 4400)
    }

    @Test("a message keeps every field the client sent and gets the server's seq and ts")
    func messageRendering() throws {
        let text = #"{"from":"A","to":"broadcast","room":"r","payload":{"k":[1,true,null,"s"]},"msgId":"m1","seq":99}"#
        let message = try HoneMessage.parse(text, device: DeviceID("A"), room: RoomID("r")).get()
        #expect(message.recipient == .broadcast)
        guard case .text(let rendered) = message.render(seq: 7, createdAt: 1234) else {
            Issue.record("not text")
            return
        }
        let object = try #require(JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: Any])
        #expect(object["seq"] as? Int == 7)
        #expect(object["ts"] as? Int == 1234)
        #expect(object["msgId"] as? String == "m1")
        #expect((object["payload"] as? [String: Any])?["k"] as? [Any] != nil)
        #expect(rendered.components(separatedBy: "\"seq\"").count == 2, "the client's seq is replaced, not duplicated")
    }

    @Test("a plain message is relayed as the client wrote it, with seq and ts spliced in first")
    func splicedRendering() throws {
        let text = #" {"from":"A","to":"broadcast","room":"r","payload":{"k":[1, 2.5e3,null]},"x-extra":"é"} "#
        let message = try HoneMessage.parse(text, device: DeviceID("A"), room: RoomID("r")).get()
        guard case .text(let rendered) = message.render(seq: 7, createdAt: 1234) else {
            Issue.record("not text")
            return
        }
        #expect(
            rendered
                == #" {"seq":7,"ts":1234,"from":"A","to":"broadcast","room":"r","payload":{"k":[1, 2.5e3,null]},"x-extra":"é"} "#
        )
    }

    @Test(
        "a message naming an addressing field twice is checked and relayed with the value a dictionary keeps",
        arguments: [
            (#"{"from":"A","to":"broadcast","room":"r","from":"B"}"#, "sender_mismatch"),
            (#"{"from":"A","to":"broadcast","room":"r","fr\u006fm":"B"}"#, "sender_mismatch"),
            (#"{"from":"A","to":"broadcast","room":"r","room":"s"}"#, "room_mismatch"),
            (#"{"from":"A","to":"broadcast","room":"r","type":"x","type":"join"}"#, "already_joined"),
        ])
    func repeatedAddressingFields(text: String, code: String) {
        guard case .failure(let error) = HoneMessage.parse(text, device: DeviceID("A"), room: RoomID("r")) else {
            Issue.record("\(text) accepted")
            return
        }
        #expect(error.code == code)
    }

    @Test("a repeated from that ends as the joined device is relayed once, as that device")
    func repeatedSenderRelayedOnce() throws {
        let text = #"{"from":"B","to":"broadcast","room":"r","from":"A","payload":1}"#
        let message = try HoneMessage.parse(text, device: DeviceID("A"), room: RoomID("r")).get()
        guard case .text(let rendered) = message.render(seq: 1, createdAt: 2) else {
            Issue.record("not text")
            return
        }
        let object = try #require(JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: Any])
        #expect(object["from"] as? String == "A")
        #expect(rendered.components(separatedBy: "\"from\"").count == 2)
    }

    @Test("acks are the encoder's text, with or without characters that need escaping")
    func ackFrames() {
        for id in Self.awkwardStrings {
            #expect(HoneFrames.ack(id: id, seq: 42) == HoneJSON.encode(Ack(id: id, seq: 42)))
        }
        #expect(HoneFrames.ack(id: "m-1", seq: 42) == #"{"id":"m-1","seq":42,"type":"ack"}"#)
    }

    @Test("recipients: host, broadcast, or a device id")
    func recipients() throws {
        func recipient(_ to: String) throws -> Recipient {
            try HoneMessage.parse(#"{"from":"A","to":"\#(to)","room":"r"}"#, device: DeviceID("A"), room: RoomID("r"))
                .get().recipient
        }
        #expect(try recipient("host") == .host)
        #expect(try recipient("broadcast") == .broadcast)
        #expect(try recipient("B") == .device(DeviceID("B")))
    }

    @Test(
        "invalid messages are refused with a code",
        arguments: [
            (#"nope"#, "invalid_json"),
            (#"{"from":"B","to":"broadcast","room":"r"}"#, "sender_mismatch"),
            (#"{"from":"A","to":"broadcast","room":"s"}"#, "room_mismatch"),
            (#"{"from":"A","room":"r"}"#, "invalid_message"),
            (#"{"from":"A","to":"","room":"r"}"#, "invalid_message"),
            (#"{"from":"A","to":5,"room":"r"}"#, "invalid_message"),
            (#"{"type":"join","room":"r","device":"A"}"#, "already_joined"),
        ])
    func refusedMessages(text: String, code: String) {
        guard case .failure(let error) = HoneMessage.parse(text, device: DeviceID("A"), room: RoomID("r")) else {
            Issue.record("\(text) accepted")
            return
        }
        #expect(error.code == code)
    }

    @Test("addresses longer than 128 characters are refused")
    func longAddress() {
        let long = String(repeating: "x", count: 129)
        let result = HoneMessage.parse(
            #"{"from":"A","to":"\#(long)","room":"r"}"#, device: DeviceID("A"), room: RoomID("r"))
        guard case .failure(let error) = result else {
            Issue.record("accepted")
            return
        }
        #expect(error.code == "field_too_long")
        #expect(error.limit == 128)
    }

    @Test("deltas frames carry the stored message as a JSON string")
    func deltasFrame() throws {
        let stored = RoomMessage(
            room: RoomID("r"), seq: 3, sender: DeviceID("A"), addressee: .broadcast, body: .text(#"{"a":1}"#),
            createdAt: 99)
        let frame = HoneFrames.deltas(room: RoomID("r"), [stored])
        let object = try #require(JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "deltas")
        let delta = try #require((object["deltas"] as? [[String: Any]])?.first)
        #expect(delta["seq"] as? Int == 3)
        #expect(delta["deviceId"] as? String == "A")
        #expect(delta["payload"] as? String == #"{"a":1}"#)
        #expect(delta["createdAt"] as? Int == 99)
    }

    @Test("a deltas page is byte for byte what the encoder writes, whatever its strings hold")
    func deltasMatchTheEncoder() {
        let messages = Self.awkwardStrings.enumerated().map { index, text in
            RoomMessage(
                room: RoomID("r"), seq: UInt64(index + 1), sender: DeviceID("dev-\(index)"), addressee: .broadcast,
                body: index.isMultiple(of: 3) ? .binary(Array(text.utf8)) : .text(text),
                createdAt: 1_732_560_000_000 + Int64(index))
        }
        for page in [[], Array(messages.prefix(1)), messages] {
            let expected = HoneJSON.encode(
                Deltas(
                    room: "r",
                    deltas: page.map { message in
                        let payload =
                            switch message.body {
                            case .text(let text): text
                            case .binary(let bytes): String(decoding: bytes, as: UTF8.self)
                            }
                        return .init(
                            seq: message.seq, deviceId: message.sender.rawValue, payload: payload,
                            createdAt: message.createdAt)
                    }))
            #expect(HoneFrames.deltas(room: RoomID("r"), page) == expected)
        }
    }

    /// Every control character, quotes, backslashes, slashes, DEL, and non-ASCII text.
    static let awkwardStrings: [String] =
        [
            "m-1", #"a"b"#, "back\\slash", "é", "tab\t", #"{"from":"A","payload":"x\"y\\z"}"#, "a/b</script>", "\u{7F}",
            "line\u{2028}sep\u{2029}", "emoji 🧪 and 中文", "",
        ]
        + (0..<0x20).map { "c\(String(UnicodeScalar(UInt8($0))))c" }

    /// The shapes the frames had when the encoder wrote them: the oracle for the assembled ones.
    struct Ack: Encodable {
        let type = "ack"
        let id: String
        let seq: UInt64
    }

    struct Deltas: Encodable {
        struct Delta: Encodable {
            let seq: UInt64
            let deviceId: String
            let payload: String
            let createdAt: Int64
        }
        let type = "deltas"
        let room: String
        let deltas: [Delta]
    }
}
