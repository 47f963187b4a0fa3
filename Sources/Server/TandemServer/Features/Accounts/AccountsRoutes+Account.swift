import Foundation
import Hummingbird
import TandemAuth

/// The signed-in endpoints: devices, projects, subscription, pairing codes.
extension AccountsRoutes {
    func registerAccount(on router: Router<AccountsRequestContext>) {
        let service = self.service
        /// The device whose bearer token made the request.
        @Sendable func caller(_ request: Request) async throws(AccountError) -> DeviceRecord {
            try await service.authenticate(bearer: bearerToken(request))
        }

        router.get("/auth/device") { request, _ in
            try await mapped { DeviceBody(try await caller(request), current: true) }
        }
        router.get("/auth/devices") { request, _ in
            try await mapped {
                let me = try await caller(request)
                return DeviceListBody(
                    devices: try await service.devices(of: me.userID).map { DeviceBody($0, current: $0.id == me.id) })
            }
        }
        router.delete("/auth/device/:id") { request, context in
            try await mapped {
                let me = try await caller(request)
                try await service.removeDevice(id: try pathID(context), of: me.userID)
                return OKBody()
            }
        }
        router.post("/auth/project") { request, context -> EditedResponse<ProjectBody> in
            try await mapped {
                let me = try await caller(request)
                let body = try await decode(ProjectRequest.self, request, context)
                let (project, created) = try await service.registerProject(
                    key: body.projectKey, name: body.name, for: me.userID)
                return EditedResponse(
                    status: created ? .created : .ok, response: ProjectBody(project, created: created))
            }
        }
        router.get("/auth/projects") { request, _ in
            try await mapped {
                let me = try await caller(request)
                return ProjectListBody(projects: try await service.projects(of: me.userID).map { ProjectBody($0) })
            }
        }
        router.delete("/auth/project/:id") { request, context in
            try await mapped {
                let me = try await caller(request)
                try await service.removeProject(id: try pathID(context), of: me.userID)
                return OKBody()
            }
        }
        router.get("/auth/subscription") { request, _ in
            try await mapped {
                let me = try await caller(request)
                let subscription = try await service.subscription(of: me.userID)
                let now = service.clock.now()
                let effective = subscription.effectiveTier(now: now)
                return SubscriptionBody(
                    tier: subscription.tier.rawValue, effectiveTier: effective.rawValue,
                    expiresAt: subscription.expiresAt, expired: effective != subscription.tier,
                    projectLimit: service.settings.tierLimits.projectLimit(effective),
                    projects: try await service.projects(of: me.userID).count)
            }
        }
        router.post("/auth/pairing-code") { request, _ in
            try await mapped {
                let me = try await caller(request)
                let (code, expiresAt) = try await service.createPairingCode(for: me.userID)
                return PairingCodeBody(code: code, expiresAt: expiresAt)
            }
        }
    }
}

/// The token of `Authorization: Bearer <token>`, or nil.
func bearerToken(_ request: Request) -> String? {
    guard let header = request.headers[.authorization] else { return nil }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
    return parts[1].trimmingCharacters(in: .whitespaces)
}

/// The `:id` path parameter as a positive integer.
func pathID(_ context: AccountsRequestContext) throws(AccountError) -> Int {
    guard let id = context.parameters.get("id", as: Int.self), id > 0 else {
        throw .invalidParameter("id", rule: "a positive integer")
    }
    return id
}
