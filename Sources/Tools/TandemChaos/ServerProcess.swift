import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `tandem serve` child process on fixed loopback ports, which can be killed with SIGKILL and
/// started again on the same database.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by the scenario's single controlling task.
    let executable: String
    let httpPort: Int
    let webSocketPort: Int
    let databasePath: String
    private var process: Process?

    init(executable: String, httpPort: Int, webSocketPort: Int, databasePath: String) {
        self.executable = executable
        self.httpPort = httpPort
        self.webSocketPort = webSocketPort
        self.databasePath = databasePath
    }

    var url: String { "ws://127.0.0.1:\(webSocketPort)/chaos" }

    /// Starts the server and waits until it accepts connections.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "serve", "--no-accounts", "--port", "\(httpPort)", "--set", "ws.port=\(webSocketPort)", "--set",
            "sqlite.path=\(databasePath)", "--set", "log.level=error", "--set", "rate.messages.per.second=100000",
            "--set", "rate.burst=100000", "--set", "ping.interval.seconds=2",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TANDEM_") }
        try process.run()
        self.process = process
        for _ in 0..<500 {
            if LoopbackPort.accepts(webSocketPort) && LoopbackPort.accepts(httpPort) { return }
            guard process.isRunning else { throw ChaosError.serverExited(process.terminationStatus) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ChaosError.serverDidNotStart
    }

    /// Kills the server at once (no graceful shutdown, nothing flushed).
    func kill() async {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        await Self.exit(of: process)
        self.process = nil
    }

    /// Stops the server gracefully (SIGTERM).
    func stop() async {
        guard let process, process.isRunning else { return }
        process.terminate()
        await Self.exit(of: process)
        self.process = nil
    }

    /// Waits for `process` to end without blocking a thread of the concurrency pool.
    static func exit(of process: Process) async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Why a chaos run could not be carried out (as opposed to finding a delivery fault).
package enum ChaosError: Error, CustomStringConvertible {
    case serverExited(Int32)
    case serverDidNotStart
    case noFreePort
    case timedOut(String)

    package var description: String {
        switch self {
        case .serverExited(let status): "the server exited with status \(status)"
        case .serverDidNotStart: "the server did not start accepting connections within 10 s"
        case .noFreePort: "no free loopback port"
        case .timedOut(let what): "timed out: \(what)"
        }
    }
}

/// Loopback ports for servers that must come back on the same port after a restart.
package enum LoopbackPort {
    /// A loopback TCP port that was free a moment ago, chosen below Linux's ephemeral range
    /// (32768–60999) so that sockets other programs open with port 0 cannot take it between the
    /// check and a server's (re)start.
    package static func free() throws -> Int {
        for _ in 0..<200 {
            let candidate = Int.random(in: 20_000..<32_000)
            let (bound, _) = withSocket(port: candidate) { fd, address, length in bind(fd, address, length) == 0 }
            if bound { return candidate }
        }
        throw ChaosError.noFreePort
    }

    /// Whether something accepts TCP connections on `port` of 127.0.0.1.
    static func accepts(_ port: Int) -> Bool {
        withSocket(port: port) { fd, address, length in connect(fd, address, length) == 0 }.0
    }

    /// Runs `body` with a new TCP socket and the address 127.0.0.1:`port`, then closes the socket.
    private static func withSocket<Result>(
        port: Int, _ body: (Int32, UnsafeMutablePointer<sockaddr>, inout socklen_t) -> Result
    ) -> (Result, sockaddr_in) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, &length) }
        }
        return (result, address)
    }
}
