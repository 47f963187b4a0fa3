import Foundation
import Testing

@Suite("Interop with another language's WebSocket client", .timeLimit(.minutes(1)))
struct PythonInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/hone_client.py")

    /// Runs a process while the in-process server keeps its threads: polls for the exit instead of
    /// blocking a thread of the concurrency pool. The script's output is small enough for the pipe.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test(
        "Python's websockets client joins, relays, resumes and is refused as documented",
        .enabled("python3 with the websockets package is not installed") {
            (try? await run(["python3", "-c", "import websockets"]).status) == 0
        })
    func pythonClient() async throws {
        let server = try await TestServer.start()
        let (status, output) = try await Self.run(["python3", Self.script.path, server.webSocketURL])
        #expect(status == 0, "\(output)")
        try await server.stop()
    }
}
