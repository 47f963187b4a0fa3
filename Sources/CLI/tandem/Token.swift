import ArgumentParser
import Foundation
import TandemAuth
import TandemServer

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a device token signed with the configured auth.secret.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "User id (a positive integer).")
    var user: Int

    @Option(help: "Device id the token is for.")
    var device: String

    func validate() throws {
        guard user >= 1 else { throw ValidationError("--user must be a positive integer") }
        guard !device.isEmpty else { throw ValidationError("--device must not be empty") }
    }

    func run() throws {
        let configuration: ServerConfiguration
        do {
            (configuration, _) = try ConfigLoader.load(
                configPath: options.config, environment: ProcessInfo.processInfo.environment,
                overrides: try options.parsedOverrides())
        } catch let error as ConfigError {
            throw StartupError(description: "configuration: \(error)")
        }
        guard !configuration.isDevelopmentMode else {
            throw StartupError(
                description: "auth.secret is empty: the server runs in development mode and checks no tokens")
        }
        let issuedAt = Int64(Date().timeIntervalSince1970 * 1000)
        let signer = DeviceTokenSigner(secret: configuration.authSecret)
        print(signer.sign(DeviceToken(userID: user, deviceID: device, issuedAt: issuedAt)))
    }
}
