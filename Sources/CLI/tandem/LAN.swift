import ArgumentParser
import Foundation
import TandemServer

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct LAN: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lan",
        abstract: "The JotBunker LAN endpoint: run it, answer pending syncs, list and forget paired phones.",
        subcommands: [Run.self, Pending.self, Decide.self, Devices.self, Forget.self, Jots.self],
        defaultSubcommand: Run.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the server with the LAN endpoint on (lan.enabled=true) and print the pairing QR code.")

        @OptionGroup var options: ConfigOptions

        @OptionGroup var accountsOptions: AccountsOptions

        @Flag(help: "Run without the accounts service.")
        var noAccounts = false

        @Option(help: "LAN port (setting: lan.port).")
        var port: Int?

        func run() async throws {
            var overrides = try options.parsedOverrides()
            overrides.append(("lan.enabled", "true"))
            if let port { overrides.append(("lan.port", String(port))) }
            try await Serve.start(
                options: options, accountsOptions: accountsOptions, noAccounts: noAccounts, overrides: overrides)
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the syncs waiting for a decision.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            print(try await LANAdminClient(options: options).request("GET", "/lan/pending"))
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer a pending sync: phone, desktop, merge or cancel.",
            discussion: """
                merge keeps the merge; settle its conflicts with --choose KEY=phone|desktop (keys as listed by \
                `tandem lan pending`) and --otherwise phone|desktop for the rest.
                """)

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The pending sync's id.")
        var id: String

        @Argument(help: "phone, desktop, merge or cancel.")
        var decision: String

        @Option(help: ArgumentHelp("A conflict's winner, for merge.", valueName: "key=side"))
        var choose: [String] = []

        @Option(help: "The winner of every conflict not chosen, for merge.")
        var otherwise: String?

        func validate() throws {
            guard ["phone", "desktop", "merge", "cancel"].contains(decision) else {
                throw ValidationError("decision must be phone, desktop, merge or cancel")
            }
        }

        func run() async throws {
            var choices: [String: String] = [:]
            for pair in choose {
                guard let equals = pair.lastIndex(of: "=") else { throw ValidationError("--choose expects key=side") }
                choices[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            var body: [String: Any] = ["decision": decision, "choices": choices]
            if let otherwise { body["otherwise"] = otherwise }
            let encoded = try JSONSerialization.data(withJSONObject: body)
            let path = "/lan/pending/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)
            print(try await LANAdminClient(options: options).request("POST", path, body: encoded))
        }
    }

    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List paired phones.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            print(try await LANAdminClient(options: options).request("GET", "/lan/devices"))
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget a paired phone: its sync ancestor, jot metadata and file records.")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The phone's device id.")
        var deviceId: String

        func run() async throws {
            let path =
                "/lan/devices/" + (deviceId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? deviceId)
            _ = try await LANAdminClient(options: options).request("DELETE", path)
            print("forgot \(deviceId)")
        }
    }
}

extension LAN {
    struct Jots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a phone's archived jots, or ask the connected phone to refresh, download or clear jots.",
            discussion: "Without an action: the stored jot metadata and files. download and clear need jot ids.")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The phone's device id.")
        var deviceId: String

        @Argument(help: "refresh, download or clear (none: list).")
        var action: String?

        @Argument(help: "Jot ids, for download and clear.")
        var jotIds: [Int] = []

        func validate() throws {
            guard action == nil || ["refresh", "download", "clear"].contains(action) else {
                throw ValidationError("action must be refresh, download or clear")
            }
            if action == "download" || action == "clear", jotIds.isEmpty {
                throw ValidationError("\(action ?? "") needs jot ids")
            }
        }

        func run() async throws {
            let base =
                "/lan/devices/" + (deviceId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? deviceId)
                + "/jots"
            let client = try await LANAdminClient(options: options)
            guard let action else { return print(try await client.request("GET", base)) }
            let body = try JSONSerialization.data(withJSONObject: ["jotIds": jotIds])
            print(try await client.request("POST", base + "/" + action, body: body))
        }
    }
}

/// Talks to a running server's LAN admin API on its HTTP port, with the pairing secret as bearer token.
struct LANAdminClient {
    let baseURL: String
    let secret: String

    init(options: ConfigOptions) async throws {
        let configuration: ServerConfiguration
        do {
            (configuration, _) = try ConfigLoader.load(
                configPath: options.config, environment: ProcessInfo.processInfo.environment,
                overrides: try options.parsedOverrides())
        } catch let error as ConfigError {
            throw StartupError(description: "configuration: \(error)")
        }
        guard let secret = try await TandemServer.lanPairingSecret(configuration) else {
            throw StartupError(description: "no LAN pairing secret: set lan.secret or start `tandem lan` once")
        }
        let host =
            ["0.0.0.0", "::", ""].contains(configuration.host)
            ? "127.0.0.1" : configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        self.baseURL = "http://\(host):\(configuration.httpPort)"
        self.secret = secret
    }

    /// Sends the request; returns the body, or throws with the server's error text.
    func request(_ method: String, _ path: String, body: Data? = nil) async throws -> String {
        guard let url = URL(string: baseURL + path) else {
            throw StartupError(description: "bad URL \(baseURL + path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        request.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        let text = String(decoding: data, as: UTF8.self)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw StartupError(description: "server answered: \(text)")
        }
        return text
    }
}
