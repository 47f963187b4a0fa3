import Testing

@testable import TandemServer

@Suite("Pairing code")
struct PairingCodeTests {
    @Test("the payload is ip:port:secret and the QR code is a square of half-block rows with a quiet zone")
    func pairingCode() throws {
        let code = PairingCode(host: "192.168.1.20", port: 8080, secret: "0123456789abcdef0123456789abcdef")
        #expect(code.payload == "192.168.1.20:8080:0123456789abcdef0123456789abcdef")
        let rows = try #require(code.terminalQR()).split(separator: "\n").map { Array($0) }
        let width = try #require(rows.first?.count)
        // Version n is 17 + 4n modules wide; two quiet modules each side; two module rows per text row.
        #expect((width - 4 - 17) % 4 == 0)
        #expect(rows.count == (width + 1) / 2)
        #expect(rows.allSatisfy { $0.count == width })
        #expect(rows.allSatisfy { row in row.allSatisfy { "█▀▄ ".contains($0) } })
        // The quiet zone is light, and light modules are printed: the first row is solid.
        #expect(rows[0].allSatisfy { $0 == "█" })
    }

    @Test("a wildcard host is advertised as this machine's address, a specific one as itself")
    func advertisedAddress() {
        #expect(PairingCode.advertisedAddress(for: "10.1.2.3") == "10.1.2.3")
        #expect(PairingCode.advertisedAddress(for: "0.0.0.0") != "0.0.0.0")
    }
}
