/// A configuration key with the type of its value: the one place a setting's name, rule, default
/// and help are written. Its `key` is the row of the key table (README, loader checks); `read`
/// turns a text that passed the key's rule into the value.
struct Setting<Value: Sendable>: Sendable {
    let key: ConfigKey
    let defaultValue: Value?
    let read: @Sendable (String) -> Value?

    var name: String { key.name }
}

extension Setting where Value == Int {
    /// An integer in `range`; nil `defaultValue`: derived from other settings (say so in `help`).
    static func integer(
        _ name: String, _ range: ClosedRange<Int>, _ defaultValue: Int?, _ help: String, legacy: [String] = [],
        prefix: String = ConfigKey.relayPrefix
    ) -> Setting {
        Setting(
            key: ConfigKey(
                name, .integer(range), defaultValue.map(String.init), help, legacy: legacy, environmentPrefix: prefix),
            defaultValue: defaultValue, read: { Int($0) })
    }
}

extension Setting where Value == Double {
    /// A number in `range`.
    static func number(_ name: String, _ range: ClosedRange<Double>, _ defaultValue: Double, _ help: String) -> Setting
    {
        let text = defaultValue.rounded() == defaultValue ? String(Int(defaultValue)) : String(defaultValue)
        return Setting(
            key: ConfigKey(name, .number(range), text, help), defaultValue: defaultValue, read: { Double($0) })
    }
}

extension Setting where Value == Bool {
    /// `true` or `false`, in any case.
    static func boolean(_ name: String, _ defaultValue: Bool, _ help: String, prefix: String = ConfigKey.relayPrefix)
        -> Setting
    {
        Setting(
            key: ConfigKey(name, .boolean, String(defaultValue), help, environmentPrefix: prefix),
            defaultValue: defaultValue, read: { $0.lowercased() == "true" })
    }
}

extension Setting where Value == String {
    /// Any text (`path`: a non-empty file path); nil `defaultValue`: derived from other settings.
    static func text(
        _ name: String, _ defaultValue: String?, _ help: String, path: Bool = false, legacy: [String] = [],
        prefix: String = ConfigKey.relayPrefix
    ) -> Setting {
        Setting(
            key: ConfigKey(
                name, path ? .path : .string, defaultValue, help, legacy: legacy, environmentPrefix: prefix),
            defaultValue: defaultValue, read: { $0 })
    }
}

extension Setting where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of the cases' raw values.
    static func choice(_ name: String, _ defaultValue: Value?, _ help: String, prefix: String = ConfigKey.relayPrefix)
        -> Setting
    {
        Setting(
            key: ConfigKey(
                name, .choice(Value.allCases.map(\.rawValue)), defaultValue?.rawValue, help,
                environmentPrefix: prefix),
            defaultValue: defaultValue, read: { Value(rawValue: $0) })
    }
}

extension ConfigLoader {
    /// The value a source set for `setting`, else its default. Every value was checked against
    /// the key's rule when it was set, so only a setting without a default can be missing.
    subscript<Value>(_ setting: Setting<Value>) -> Value {
        guard let value = given(setting) ?? setting.defaultValue else {
            preconditionFailure("\(setting.name) has no default: read it with given(_:)")
        }
        return value
    }

    /// The value a file, the environment or the command line set for `setting`; nil if none did.
    func given<Value>(_ setting: Setting<Value>) -> Value? {
        values[setting.name].flatMap(setting.read)
    }
}
