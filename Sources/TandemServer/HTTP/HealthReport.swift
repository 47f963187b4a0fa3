import Hummingbird

/// `GET /health`, in the Hone relay's shape.
struct HealthReport: ResponseEncodable {
    let status: String
    /// Milliseconds since start.
    let uptime: Int64
    let rooms: Int
    let connections: Int
    let version: String
}
