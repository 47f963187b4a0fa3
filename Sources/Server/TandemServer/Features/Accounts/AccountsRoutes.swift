import Foundation
import Hummingbird
import TandemAuth

/// The HTTP face of `AccountService`: parameters in, JSON (or, for a browser opening a login
/// link, a short page) out. Every refusal is a JSON error from `AccountsHTTPError`.
struct AccountsRoutes: Sendable {
    let service: AccountService
    let trustsForwardedFor: Bool

    /// Every endpoint and its methods; other methods on these paths get 405.
    static let endpoints: [(path: String, methods: [HTTPRequest.Method])] = [
        ("/auth/login", [.get]), ("/auth/login/wait", [.get]), ("/auth/verify", [.get]),
        ("/auth/quick-setup", [.get]), ("/auth/device", [.get]), ("/auth/devices", [.get]),
        ("/auth/device/:id", [.delete]), ("/auth/project", [.post]), ("/auth/projects", [.get]),
        ("/auth/project/:id", [.delete]), ("/auth/subscription", [.get]), ("/auth/pairing-code", [.post]),
        ("/auth/pairing-code/redeem", [.post]),
    ]

    func register(on router: Router<AccountsRequestContext>) {
        router.add(middleware: AccountsErrorMiddleware())
        registerLogin(on: router)
        registerAccount(on: router)
        let all: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        for (path, methods) in Self.endpoints {
            for method in all where !methods.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw AccountsHTTPError.methodNotAllowed(methods)
                }
            }
        }
    }

    private func registerLogin(on router: Router<AccountsRequestContext>) {
        let service = self.service
        router.get("/auth/login") { request, context in
            try await mapped {
                let query = request.uri.queryParameters
                let device = try optionalDevice(query.get("deviceName"), query.get("platform"))
                let ticket = try await service.startLogin(
                    email: query.get("email"), device: device, client: clientAddress(request, context))
                return LoginStartedBody(loginId: ticket.loginID, expiresAt: ticket.expiresAt)
            }
        }
        router.get("/auth/login/wait") { request, context -> Response in
            try await mapped {
                let query = request.uri.queryParameters
                let device = try optionalDevice(query.get("deviceName"), query.get("platform"))
                guard let seconds = Int(query.get("timeout") ?? "30"), seconds >= 0 else {
                    throw AccountError.invalidParameter("timeout", rule: "a whole number of seconds")
                }
                let loginID = query.get("loginId")
                let outcome = try await untilClientGone(context.channel) {
                    try await service.awaitLogin(loginID: loginID, device: device, timeout: .seconds(seconds))
                }
                switch outcome {
                case .issued(let issued):
                    return try IssuedDeviceBody(issued).response(from: request, context: context)
                case .pending(let expiresAt):
                    return try EditedResponse(status: .accepted, response: LoginPendingBody(expiresAt: expiresAt))
                        .response(from: request, context: context)
                }
            }
        }
        router.get("/auth/verify") { request, context -> Response in
            let query = request.uri.queryParameters
            let browser = Self.wantsHTML(request)
            let outcome: VerifyOutcome
            do throws(AccountError) {
                outcome = try await service.verify(
                    token: query.get("token"), deviceName: query.get("deviceName"), platform: query.get("platform"),
                    approveOnly: browser)
            } catch {
                let answer = AccountsHTTPError(error)
                guard browser else { throw answer }
                return Self.html(answer.status, LoginPage.failed(answer.body.message))
            }
            switch outcome {
            case .issued(let issued):
                return try IssuedDeviceBody(issued).response(from: request, context: context)
            case .approved(let email):
                return Self.html(.ok, LoginPage.approved(email: email))
            }
        }
        router.get("/auth/quick-setup") { request, context in
            try await mapped {
                let query = request.uri.queryParameters
                let device = try DeviceDescription(name: query.get("deviceName"), platform: query.get("platform"))
                return IssuedDeviceBody(
                    try await service.quickSetup(device: device, client: clientAddress(request, context)))
            }
        }
        router.post("/auth/pairing-code/redeem") { request, context in
            try await mapped {
                let body = try await decode(RedeemRequest.self, request, context)
                let device = try DeviceDescription(name: body.deviceName, platform: body.platform)
                return IssuedDeviceBody(
                    try await service.redeemPairingCode(
                        body.code, device: device, client: clientAddress(request, context)))
            }
        }
    }

    /// The caller's address for rate limits: the TCP peer, or with `forwarded.for` the last
    /// X-Forwarded-For entry (the one the trusted proxy added).
    func clientAddress(_ request: Request, _ context: AccountsRequestContext) -> String {
        if trustsForwardedFor,
            let forwarded = request.headers.last(where: { $0.name.canonicalName == "x-forwarded-for" })?.value,
            let last = forwarded.split(separator: ",").last
        {
            return last.trimmingCharacters(in: .whitespaces)
        }
        return context.peerAddress
    }

    static func wantsHTML(_ request: Request) -> Bool {
        switch request.uri.queryParameters.get("format") {
        case "html": return true
        case "json": return false
        default: return request.headers[.accept]?.contains("text/html") == true
        }
    }

    static func html(_ status: HTTPResponse.Status, _ page: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}

/// Runs `body`, turning `AccountError`s into the API's error answers.
func mapped<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as AccountError {
        throw AccountsHTTPError(error)
    }
}

/// A device description only when the client sent one of its fields.
func optionalDevice(_ name: String?, _ platform: String?) throws(AccountError) -> DeviceDescription? {
    guard name != nil || platform != nil else { return nil }
    return try DeviceDescription(name: name, platform: platform)
}

/// Decodes a JSON body of at most 64 KiB.
func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: AccountsRequestContext) async throws -> T {
    var request = request
    let body: ByteBuffer
    do {
        body = try await request.collectBody(upTo: 64 << 10)
    } catch {
        throw AccountsHTTPError(.contentTooLarge, "body_too_large", "The request body is larger than 64 KiB")
    }
    do {
        return try JSONDecoder().decode(T.self, from: Data(buffer: body))
    } catch {
        throw AccountsHTTPError.invalidJSON
    }
}
