import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reverse proxies whose forwarding header names the client (`proxy.trusted`, CIDRs, and
/// `proxy.header`). A connection from anywhere else is its own client, whatever it sends.
///
/// The client is found from the right of the header's list: the proxy that connected appended
/// the address it saw, so the first address from the right that is not a trusted proxy is the
/// client. Entries to its left were written by the client and are ignored.
package struct TrustedProxies: Sendable {
    /// Which header the proxies write.
    package enum Header: String, CaseIterable, Sendable {
        case xForwardedFor = "x-forwarded-for"
        /// RFC 7239 `Forwarded: for=…`.
        case forwarded
    }

    let ranges: [AddressRange]
    let header: Header

    package static let none = TrustedProxies(ranges: [], header: .xForwardedFor)

    /// Parses a comma-separated list of addresses and CIDRs (`10.0.0.0/8, ::1`).
    init(parsing list: String, header: Header) throws(ConfigError) {
        var ranges: [AddressRange] = []
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let range = AddressRange(item) else {
                throw ConfigError(
                    description: "proxy.trusted: '\(item)' is not an IP address or CIDR (10.0.0.0/8, fd00::/8)")
            }
            ranges.append(range)
        }
        self.init(ranges: ranges, header: header)
    }

    private init(ranges: [AddressRange], header: Header) {
        self.ranges = ranges
        self.header = header
    }

    var isEmpty: Bool { ranges.isEmpty }

    func trusts(_ address: String) -> Bool {
        guard !ranges.isEmpty, let bytes = AddressRange.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client behind `peer`, given the values of every `header` line in order.
    func client(peer: String, headerValues: [String]) -> String {
        guard trusts(peer) else { return peer }
        let hops = headerValues.flatMap { value in
            value.split(separator: ",").compactMap { element -> String? in
                let hop = header == .forwarded ? Self.forwardedFor(element) : Self.unbracketed(element)
                return hop.isEmpty ? nil : hop
            }
        }
        for hop in hops.reversed() where !trusts(hop) { return hop }
        return hops.first ?? peer
    }

    /// The `for=` parameter of one `Forwarded` element, without quotes, brackets or port.
    private static func forwardedFor(_ element: Substring) -> String {
        for parameter in element.split(separator: ";") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { continue }
            return unbracketed(pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])[...])
        }
        return ""
    }

    /// `1.2.3.4`, `1.2.3.4:80`, `[::1]`, `[::1]:80` or `::1`, as the address alone.
    private static func unbracketed(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("["), let end = trimmed.firstIndex(of: "]") {
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<end])
        }
        if trimmed.filter({ $0 == ":" }).count == 1, let colon = trimmed.firstIndex(of: ":") {
            return String(trimmed[..<colon])
        }
        return trimmed
    }
}

/// An address or a CIDR block, IPv4 or IPv6 (IPv4-mapped IPv6 addresses count as IPv4).
struct AddressRange: Sendable, Equatable {
    let network: [UInt8]
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        let bits = bytes.count * 8
        guard let prefix = parts.count == 2 ? Int(parts[1]) : bits, (0...bits).contains(prefix) else { return nil }
        self.network = bytes
        self.prefix = prefix
    }

    func contains(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == network.count else { return false }
        var remaining = prefix
        for (have, want) in zip(bytes, network) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard have & mask == want & mask else { return false }
            remaining -= 8
        }
        return true
    }

    /// The address's bytes: 4 for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; nil if it is neither.
    static func bytes(of address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
