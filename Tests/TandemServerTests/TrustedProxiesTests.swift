import Testing

@testable import TandemServer

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    @Test("addresses and CIDRs, IPv4 and IPv6; IPv4-mapped IPv6 counts as IPv4")
    func ranges() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.7, fd00::/8, ::1", header: .xForwardedFor)
        for address in ["10.1.2.3", "192.168.1.7", "fd12::1", "::1", "::ffff:10.9.9.9"] {
            #expect(proxies.trusts(address), "\(address)")
        }
        for address in ["11.0.0.1", "192.168.1.8", "fe80::1", "", "not an address"] {
            #expect(!proxies.trusts(address), "\(address)")
        }
        for bad in ["10.0.0.0/33", "300.1.1.1", "fd00::/129", "proxy.example"] {
            #expect(throws: ConfigError.self) { try TrustedProxies(parsing: bad, header: .xForwardedFor) }
        }
        #expect(!TrustedProxies.none.trusts("127.0.0.1"))
    }

    @Test("X-Forwarded-For: the rightmost address that is not a trusted proxy; entries the client wrote are ignored")
    func forwardedFor() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8", header: .xForwardedFor)
        #expect(proxies.client(peer: "10.0.0.1", headerValues: ["203.0.113.9"]) == "203.0.113.9")
        // The client claimed 1.1.1.1; the proxy appended what it saw.
        #expect(proxies.client(peer: "10.0.0.1", headerValues: ["1.1.1.1, 203.0.113.9"]) == "203.0.113.9")
        // Two trusted proxies in a row, and the header over two lines.
        #expect(proxies.client(peer: "10.0.0.1", headerValues: ["1.1.1.1, 203.0.113.9", "10.0.0.2"]) == "203.0.113.9")
        #expect(proxies.client(peer: "10.0.0.1", headerValues: ["[2001:db8::1]:4711"]) == "2001:db8::1")
        // No header: the proxy itself.
        #expect(proxies.client(peer: "10.0.0.1", headerValues: []) == "10.0.0.1")
        // An untrusted peer is its own client, whatever it sends.
        #expect(proxies.client(peer: "198.51.100.4", headerValues: ["203.0.113.9"]) == "198.51.100.4")
    }

    @Test("Forwarded: for= with quotes, brackets and ports")
    func forwarded() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.1", header: .forwarded)
        let header = #"for=1.1.1.1;proto=http, for="[2001:db8:cafe::17]:4711";by=127.0.0.1"#
        #expect(proxies.client(peer: "127.0.0.1", headerValues: [header]) == "2001:db8:cafe::17")
        #expect(proxies.client(peer: "127.0.0.1", headerValues: ["for=192.0.2.43:47011"]) == "192.0.2.43")
    }
}
