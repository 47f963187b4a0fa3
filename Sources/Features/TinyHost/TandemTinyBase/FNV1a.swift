/// TinyBase's hash: 32-bit FNV-1a over a string's UTF-8 bytes.
package enum FNV1a {
    package static func hash(_ string: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        var string = string
        // Over the contiguous bytes: iterating the UTF-8 view is many times slower in debug builds.
        string.withUTF8 { bytes in
            for byte in bytes {
                hash ^= UInt32(byte)
                hash &*= 16_777_619
            }
        }
        return hash
    }
}
