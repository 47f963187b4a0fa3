/// TinyBase's hash: 32-bit FNV-1a over a string's UTF-8 bytes.
public enum FNV1a {
    public static func hash(_ string: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in string.utf8 {
            hash ^= UInt32(byte)
            hash &*= 16_777_619
        }
        return hash
    }
}
