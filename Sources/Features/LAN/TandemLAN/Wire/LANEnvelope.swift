import Foundation

/// The outer JSON of every frame after key exchange: `{"enc":true,"n":"<nonce>","d":"<ciphertext>"}`, base64.
struct LANEnvelope: Codable {
    var enc: Bool
    var n: String
    var d: String
}

/// The first frame's discriminator, read before knowing which message it is.
struct LANMessageType: Decodable {
    var type: String
}

/// Whether an outer frame is an encrypted envelope or a plaintext message.
enum LANOuterFrame {
    case encrypted(nonce: [UInt8], ciphertext: [UInt8])
    case plaintext(json: Data)

    /// Classifies a frame's text; `nil` when it is not a JSON object at all.
    static func parse(_ text: String) -> LANOuterFrame? {
        let data = Data(text.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        guard object["enc"] as? Bool == true else { return .plaintext(json: data) }
        guard let n = object["n"] as? String, let d = object["d"] as? String,
            let nonce = Data(base64Encoded: n), let ciphertext = Data(base64Encoded: d)
        else { return nil }
        return .encrypted(nonce: Array(nonce), ciphertext: Array(ciphertext))
    }
}
