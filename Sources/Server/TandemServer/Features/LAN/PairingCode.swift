import CQREncode
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a phone scans to pair: `ip:port:secret`, as text and as a QR code for the terminal.
package struct PairingCode: Sendable, Equatable {
    package let payload: String

    package init(host: String, port: Int, secret: String) {
        payload = "\(host):\(port):\(secret)"
    }

    /// The address to advertise for a listener on `host`: `host` itself unless it is a wildcard, else this
    /// machine's first non-loopback IPv4 address (127.0.0.1 if it has none).
    package static func advertisedAddress(for host: String) -> String {
        guard ["", "0.0.0.0", "::", "*"].contains(host) else { return host }
        return firstLANAddress() ?? "127.0.0.1"
    }

    /// The QR code in Unicode half blocks, two modules per character cell, with a quiet zone; drawn for a
    /// light-on-dark terminal (light modules are the printed blocks), like `qrencode -t UTF8`. nil if the
    /// payload does not fit a QR code.
    package func terminalQR() -> String? {
        guard let code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let modules = UnsafeBufferPointer(start: code.pointee.data, count: width * width)
        let quiet = 2
        let size = width + 2 * quiet
        // Bit 0 of each byte is the module's colour: 1 dark.
        func isDark(_ row: Int, _ column: Int) -> Bool {
            let (r, c) = (row - quiet, column - quiet)
            guard r >= 0, r < width, c >= 0, c < width else { return false }
            return modules[r * width + c] & 1 == 1
        }
        var lines: [String] = []
        for row in stride(from: 0, to: size, by: 2) {
            var line = ""
            for column in 0..<size {
                let top = !isDark(row, column)
                let bottom = row + 1 < size ? !isDark(row + 1, column) : false
                line += top ? (bottom ? "█" : "▀") : (bottom ? "▄" : " ")
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func firstLANAddress() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                entry.pointee.ifa_flags & UInt32(IFF_LOOPBACK) == 0
            else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(MemoryLayout<sockaddr_in>.size)
            guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else {
                continue
            }
            return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }
}
