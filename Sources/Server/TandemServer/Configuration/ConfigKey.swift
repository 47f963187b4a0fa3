import Foundation

/// One configuration key: its name in relay.conf, its environment variables, default and rule.
struct ConfigKey: Sendable {
    enum Kind: Sendable {
        case string
        case path
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case boolean
        case choice([String])

        var rule: String {
            switch self {
            case .string: "any text"
            case .path: "a non-empty file path"
            case .integer(let range): "an integer in \(range.lowerBound)...\(range.upperBound)"
            case .number(let range): "a number in \(range.lowerBound)...\(range.upperBound)"
            case .boolean: "true or false"
            case .choice(let choices): "one of \(choices.joined(separator: ", "))"
            }
        }

        func accepts(_ value: String) -> Bool {
            switch self {
            case .string: true
            case .path: !value.isEmpty
            case .integer(let range): Int(value).map(range.contains) ?? false
            case .number(let range): Double(value).map(range.contains) ?? false
            case .boolean: ["true", "false"].contains(value.lowercased())
            case .choice(let choices): choices.contains(value)
            }
        }
    }

    let name: String
    let kind: Kind
    /// nil when the default is derived from other keys (documented in `help`).
    let defaultValue: String?
    let help: String
    /// Extra environment variables accepted for compatibility (Hone's), besides `TANDEM_*`.
    let legacyEnvironment: [String]
    /// `TANDEM_` for relay.conf keys, `TANDEM_ACCOUNTS_` for auth.conf keys.
    let environmentPrefix: String

    init(
        _ name: String, _ kind: Kind, _ defaultValue: String?, _ help: String, legacy: [String] = [],
        environmentPrefix: String = ConfigKey.relayPrefix
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        self.legacyEnvironment = legacy
        self.environmentPrefix = environmentPrefix
    }

    /// The prefix and the key in capitals with dots as underscores: `max.rooms` -> `TANDEM_MAX_ROOMS`.
    var environmentName: String {
        environmentPrefix + name.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}

extension ConfigKey {
    /// The environment prefix of relay.conf's keys.
    static let relayPrefix = "TANDEM_"

    /// Every key relay.conf accepts: the relay's, then each feature's. README's configuration table
    /// lists the same.
    static let all: [ConfigKey] = RelayKeys.all + SDSFeature.Keys.all + LANFeature.Keys.all + TinyHostFeature.Keys.all

    /// Every key auth.conf accepts. README's auth.conf table lists the same.
    static let accounts: [ConfigKey] = AccountsFeature.Keys.all
}
