import Hummingbird

/// `GET /health`, in the Hone relay's shape, plus TinyHost's `timestamp`.
struct HealthReport: ResponseEncodable {
    let status: String
    /// Milliseconds since start.
    let uptime: Int64
    let rooms: Int
    let connections: Int
    let version: String
    /// Now, ISO-8601 UTC with milliseconds (`2025-01-01T12:00:00.000Z`).
    let timestamp: String
}
