import Foundation

/// The sync settings an app shows its user, as the Hone IDE names them.
public struct SyncSettings: Sendable, Equatable {
    /// Sync is opt-in.
    public var enabled: Bool
    /// The relay's WebSocket URL, e.g. `wss://sync.example.com/ws`.
    public var relayURL: String
    /// The accounts service's base URL (used for login; not by the relay connection).
    public var authURL: String
    /// The device token issued at login; empty when not signed in.
    public var deviceToken: String

    public init(enabled: Bool = false, relayURL: String = "", authURL: String = "", deviceToken: String = "") {
        self.enabled = enabled
        self.relayURL = relayURL
        self.authURL = authURL
        self.deviceToken = deviceToken
    }
}

/// Everything a `RelayClient` needs to connect and keep connected.
public struct RelayClientConfiguration: Sendable {
    public var url: String
    public var room: String
    public var device: String
    /// nil for a development server that checks no tokens.
    public var token: String?
    /// The last room seq the app has processed (persist it to resume across launches).
    public var lastSeq: UInt64
    /// The room epoch `lastSeq` belongs to, if known.
    public var epoch: String?
    public var backoff: Backoff
    /// Largest message accepted from the server.
    public var maxFrameBytes: Int
    /// Longest wait for the TCP connection and the WebSocket upgrade together; a server that takes
    /// longer is given up and retried with backoff.
    public var handshakeTimeout: Duration
    /// How often the client pings the server; a server from which nothing arrives between two pings
    /// is taken for gone and the client reconnects. nil relies on the server's pings alone.
    public var pingInterval: Duration?
    /// Most events buffered for a reader of `events` (at least 1; default 256). When the buffer is
    /// full the client stops reading from the socket until the reader catches up: nothing is dropped.
    public var eventBufferLimit: Int

    public init(
        url: String, room: String, device: String, token: String? = nil, lastSeq: UInt64 = 0, epoch: String? = nil,
        backoff: Backoff = Backoff(), maxFrameBytes: Int = 16 << 20, eventBufferLimit: Int = 256,
        handshakeTimeout: Duration = .seconds(10), pingInterval: Duration? = .seconds(30)
    ) {
        self.url = url
        self.room = room
        self.device = device
        self.token = token
        self.lastSeq = lastSeq
        self.epoch = epoch
        self.backoff = backoff
        self.maxFrameBytes = maxFrameBytes
        self.eventBufferLimit = eventBufferLimit
        self.handshakeTimeout = handshakeTimeout
        self.pingInterval = pingInterval
    }

    /// A configuration from the user's sync settings.
    /// - Throws: `RelayClientError.syncDisabled` when sync is off, `.notSignedIn` without a token.
    public init(settings: SyncSettings, room: String, device: String) throws(RelayClientError) {
        guard settings.enabled else { throw .syncDisabled }
        guard !settings.relayURL.isEmpty else { throw .invalidConfiguration("relayURL is empty") }
        self.init(
            url: settings.relayURL, room: room, device: device,
            token: settings.deviceToken.isEmpty ? nil : settings.deviceToken)
    }
}

/// Exponential backoff with jitter between reconnection attempts.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double
    /// Fraction of each delay that is randomised (0 = none, 1 = anywhere from 0 to the delay).
    public var jitter: Double

    public init(
        initial: Duration = .milliseconds(200), maximum: Duration = .seconds(30), multiplier: Double = 2,
        jitter: Double = 0.5
    ) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before reconnection attempt `attempt` (0-based), with `random` in 0...1.
    public func delay(attempt: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let base = initial * Foundation.pow(multiplier, Double(min(attempt, 62)))
        let capped = min(base, maximum)
        return capped * (1 - jitter * random)
    }
}
