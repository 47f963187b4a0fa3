import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP answer: status, headers, and the body as JSON when it is JSON.
struct HTTPAnswer: @unchecked Sendable {
    let status: Int
    let headers: [String: String]
    let body: String
    /// The body parsed as a JSON object (empty when it is not one).
    let json: [String: Any]

    subscript(key: String) -> Any? { json[key] }
}

/// Makes one request with a fresh ephemeral session (no cookies, no cache).
func http(
    _ method: String, _ url: String, bearer: String? = nil, json: [String: Any]? = nil, body: String? = nil,
    headers: [String: String] = [:]
) async throws -> HTTPAnswer {
    guard let target = URL(string: url) else { throw Timeout(description: "bad URL \(url)") }
    var request = URLRequest(url: target)
    request.httpMethod = method
    request.timeoutInterval = 30
    if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
    if let json {
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    } else if let body {
        request.httpBody = Data(body.utf8)
    }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    guard let response = response as? HTTPURLResponse else { throw Timeout(description: "not an HTTP response") }
    var fields: [String: String] = [:]
    for (name, value) in response.allHeaderFields {
        if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
    }
    let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return HTTPAnswer(
        status: response.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self), json: object)
}

/// Percent-encodes a query value.
func query(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
}
