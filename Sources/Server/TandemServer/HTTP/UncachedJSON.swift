import Hummingbird

extension Response {
    /// A JSON answer that proxies and browsers must not keep (`Cache-Control: no-store`): every
    /// JSON error of the accounts and TinyHost APIs, and TinyHost's manual-sync answer.
    static func uncachedJSON(_ status: HTTPResponse.Status, _ body: ByteBuffer, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }
}
