import Foundation

/// A configuration problem that stops start-up, with where it came from.
package struct ConfigError: Error, CustomStringConvertible, Equatable {
    package let description: String
}

/// Reads settings from a KEY=VALUE file, then the environment, then command-line overrides, each
/// overriding the one before, and validates every value against its key's rule.
package struct ConfigLoader {
    /// Where a value came from, for error messages.
    enum Source: CustomStringConvertible {
        case file(path: String, line: Int)
        case environment(String)
        case flag

        var description: String {
            switch self {
            case .file(let path, let line): "\(path):\(line)"
            case .environment(let name): "environment variable \(name)"
            case .flag: "command line"
            }
        }
    }

    private(set) var values: [String: String] = [:]
    /// What start-up should log about the sources it read (ignored environment variables).
    package private(set) var warnings: [String] = []
    /// The keys this loader accepts: relay.conf's or auth.conf's.
    let keys: [ConfigKey]
    /// Whether this loader warns of `TANDEM_` variables that are no setting. Both loaders read the
    /// same environment, so only relay.conf's does.
    private let warnsOfUnknownVariables: Bool

    /// A loader for relay.conf's keys.
    package init() {
        self.keys = ConfigKey.all
        self.warnsOfUnknownVariables = true
    }

    init(keys: [ConfigKey]) {
        self.keys = keys
        self.warnsOfUnknownVariables = false
    }

    func key(named name: String) -> ConfigKey? { keys.first { $0.name == name } }

    /// Parses the text of a relay.conf: `#` comments, blank lines, `key = value` split on the first '='.
    package mutating func applyFile(_ text: String, path: String) throws(ConfigError) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let source = Source.file(path: path, line: index + 1)
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(description: "\(source): expected KEY=VALUE, found '\(line)'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            try set(key, value, from: source)
        }
    }

    /// Applies `TANDEM_*` variables and Hone's legacy names. A `TANDEM_*` name that is no setting
    /// is not an error (orchestrators set such names on their own) but a warning in `warnings`.
    package mutating func applyEnvironment(_ environment: [String: String]) throws(ConfigError) {
        // The SDS server's persistence directory: Tandem keeps SDS stores in its one database,
        // so the directory says where that file goes (any sqlite.path variable still wins).
        if key(named: SDSFeature.Keys.persist.name) != nil, let directory = environment["SDS_PERSIST_DIR"],
            !directory.isEmpty
        {
            let source = Source.environment("SDS_PERSIST_DIR")
            try set(SDSFeature.Keys.persist.name, "true", from: source)
            try set(
                RelayKeys.sqlitePath.name, (directory as NSString).appendingPathComponent("tandem.db"), from: source)
        }
        let serviceLinks = KubernetesServiceLinks(environment)
        for key in keys {
            for name in key.legacyEnvironment + [key.environmentName] {
                guard let value = environment[name], !serviceLinks.names.contains(name) else { continue }
                try set(key.name, value, from: .environment(name))
            }
        }
        if let warning = serviceLinks.warning { warnings.append(warning) }
        let known = Set((ConfigKey.all + ConfigKey.accounts).map(\.environmentName))
        let unknown = environment.keys.sorted().filter {
            $0.hasPrefix("TANDEM_") && !known.contains($0) && !serviceLinks.names.contains($0)
        }
        if !unknown.isEmpty, warnsOfUnknownVariables {
            warnings.append(
                "environment variables \(unknown.joined(separator: ", ")) are not Tandem settings and are ignored "
                    + "(settings: TANDEM_ + the key in capitals, dots as underscores, e.g. TANDEM_MAX_ROOMS)")
        }
    }

    /// Applies `key=value` overrides given on the command line.
    package mutating func applyOverride(_ key: String, _ value: String) throws(ConfigError) {
        try set(key, value, from: .flag)
    }

    private mutating func set(_ name: String, _ value: String, from source: Source) throws(ConfigError) {
        guard let key = key(named: name) else {
            throw ConfigError(
                description: "\(source): unknown key '\(name)' (allowed: \(keys.map(\.name).joined(separator: ", ")))")
        }
        guard key.kind.accepts(value) else {
            throw ConfigError(description: "\(source): \(name) = '\(value)' is not \(key.kind.rule)")
        }
        values[name] = value
    }

    /// The validated configuration.
    package func configuration() throws(ConfigError) -> ServerConfiguration {
        var configuration = try ServerConfiguration(settings: self)
        configuration.warnings = warnings + configuration.warnings
        return configuration
    }

}

extension ConfigLoader {
    /// Loads the configuration as `tandem serve` does: `configPath` (which must exist) or else
    /// `./relay.conf` if present (unless `searchWorkingDirectory` is false), then `environment`,
    /// then `overrides` in order.
    package static func load(
        configPath: String?, searchWorkingDirectory: Bool = true, environment: [String: String],
        overrides: [(String, String)]
    ) throws(ConfigError) -> (ServerConfiguration, fileUsed: String?) {
        var loader = ConfigLoader()
        let file = try loader.applySources(
            configPath: configPath, defaultFile: searchWorkingDirectory ? "relay.conf" : nil, environment: environment,
            overrides: overrides)
        return (try loader.configuration(), file)
    }

    /// Applies `configPath` (which must exist) or else `defaultFile` if it exists, then
    /// `environment`, then `overrides`; returns the file used.
    mutating func applySources(
        configPath: String?, defaultFile: String?, environment: [String: String], overrides: [(String, String)]
    ) throws(ConfigError) -> String? {
        let fallback = defaultFile.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        let file = configPath ?? fallback
        if let path = file {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigError(
                    description: "\(path): cannot read configuration file (\(error.localizedDescription))")
            }
            try applyFile(text, path: path)
        }
        try applyEnvironment(environment)
        for (key, value) in overrides { try applyOverride(key, value) }
        return file
    }
}
