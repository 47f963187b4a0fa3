/// Byte patterns the load generator looks for in what it receives, made once rather than per message.
enum Needles {
    static let joined = Array(#""type":"joined""#.utf8)
    static let ack = Array(#""type":"ack""#.utf8)
    static let error = Array(#""type":"error""#.utf8)
    static let natsPong = Array("PONG".utf8)
    static let natsPing = Array("PING\r\n".utf8)
    static let natsError = Array("-ERR".utf8)
}
