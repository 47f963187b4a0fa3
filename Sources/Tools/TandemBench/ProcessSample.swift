import Foundation

/// A server process's CPU time and memory, read from /proc (Linux).
package struct ProcessSample: Sendable, Equatable {
    /// User plus system CPU time, in seconds.
    package var cpuSeconds: Double
    /// Resident memory now, in bytes.
    package var residentBytes: UInt64
    /// The most resident memory the process ever had, in bytes.
    package var peakResidentBytes: UInt64

    /// Reads the sample of `pid`; nil when /proc has no such process.
    package static func read(pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        else { return nil }
        return parse(stat: stat, status: status, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Parses the text of /proc/PID/stat and /proc/PID/status.
    package static func parse(stat: String, status: String, ticksPerSecond: Double) -> ProcessSample? {
        // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
        guard let close = stat.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3); utime and stime are fields 14 and 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        func kilobytes(_ name: String) -> UInt64? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else {
                return nil
            }
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { UInt64($0) }
        }
        guard let rss = kilobytes("VmRSS"), let peak = kilobytes("VmHWM") else { return nil }
        return ProcessSample(
            cpuSeconds: (user + system) / ticksPerSecond, residentBytes: rss * 1024, peakResidentBytes: peak * 1024)
    }
}
