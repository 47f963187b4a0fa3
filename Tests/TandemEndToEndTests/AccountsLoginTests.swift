import Foundation
import NIOCore
import NIOPosix
import Testing

@Suite(
    "Accounts: magic-link login by mail",
    .timeLimit(.minutes(1)),
    .enabled(if: SMTPSink.isAvailable, "python3 with aiosmtpd is not installed (pip install aiosmtpd)"))
struct AccountsLoginTests {
    @Test("login, mail over SMTP, verify, token, project, then the relay admits that token to the project's room")
    func fullFlow() async throws {
        let fixture = try await AccountsFixture.start()
        let (link, _) = try await fixture.requestLink("Ada@Example.test")
        #expect(link.hasPrefix(fixture.url + "/auth/verify?token="))
        let token = String(link.split(separator: "=").last ?? "")
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))

        let verified = try await http("GET", link + "&deviceName=Laptop&platform=linux")
        #expect(verified.status == 200)
        let deviceToken = try #require(verified["deviceToken"] as? String)
        let userId = try #require(verified["userId"] as? Int)
        let deviceId = try #require(verified["deviceId"] as? String)
        #expect(deviceToken.hasPrefix("\(userId):\(deviceId):"))

        let me = try await http("GET", "\(fixture.url)/auth/device", bearer: deviceToken)
        #expect(me.status == 200)
        #expect(me["deviceName"] as? String == "Laptop")
        #expect(me["platform"] as? String == "linux")

        let project = try await fixture.register("workspace-1", token: deviceToken)
        #expect(project.status == 201)
        let room = try #require(project["roomId"] as? String)
        #expect(room.count == 32)

        let (socket, joined) = try await join(
            fixture.server.webSocketURL, room: room, device: deviceId, token: deviceToken)
        #expect(joined["type"] as? String == "joined")
        await socket.close()

        let (outsider, refused) = try await join(
            fixture.server.webSocketURL, room: "someone-elses-room", device: deviceId, token: deviceToken)
        #expect(refused["code"] as? String == "room_forbidden")
        #expect(try await outsider.closed().code == 4403)
        try await fixture.stop()
    }

    @Test("a waiting app that disconnects stops its wait at once, and the login stays unclaimed")
    func waiterGoesAway() async throws {
        let fixture = try await AccountsFixture.start()
        let service = try #require(fixture.server.server.accounts)
        let (link, loginId) = try await fixture.requestLink("gone@example.test", device: "Desk PC")
        let port = try #require(fixture.server.ports.accounts)
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        let request = "GET /auth/login/wait?loginId=\(loginId)&timeout=60 HTTP/1.1\r\nHost: localhost\r\n\r\n"
        try await client.writeAndFlush(ByteBuffer(string: request)).get()
        for _ in 0..<250 where await service.waitingLogins == 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await service.waitingLogins == 1)
        try await client.close().get()
        for _ in 0..<250 where await service.waitingLogins > 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await service.waitingLogins == 0, "the wait ended with its connection, not after 60 s")
        // Nothing was issued to the departed app: the link still gives the next waiter its token.
        let waiting = Task { try await http("GET", "\(fixture.url)/auth/login/wait?loginId=\(loginId)&timeout=20") }
        for _ in 0..<250 where await service.waitingLogins == 0 { try await Task.sleep(for: .milliseconds(20)) }
        _ = try await http("GET", link, headers: ["Accept": "text/html"])
        #expect(try await waiting.value.status == 200)
        try await fixture.stop()
    }

    @Test("the app that started the login waits and receives its token once the link is opened in a browser")
    func appWaitsForBrowser() async throws {
        let fixture = try await AccountsFixture.start()
        let (link, loginId) = try await fixture.requestLink("wait@example.test", device: "Desk PC")
        let pending = try await http("GET", "\(fixture.url)/auth/login/wait?loginId=\(loginId)&timeout=0")
        #expect(pending.status == 202)
        #expect(pending["status"] as? String == "pending")

        let waiting = Task { try await http("GET", "\(fixture.url)/auth/login/wait?loginId=\(loginId)&timeout=20") }
        try await Task.sleep(for: .milliseconds(100))
        let page = try await http("GET", link, headers: ["Accept": "text/html,application/xhtml+xml"])
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.body.contains("wait@example.test"))
        #expect(!page.body.contains("deviceToken"))

        let answer = try await waiting.value
        #expect(answer.status == 200)
        let token = try #require(answer["deviceToken"] as? String)
        let me = try await http("GET", "\(fixture.url)/auth/device", bearer: token)
        #expect(me["deviceName"] as? String == "Desk PC")

        let again = try await http("GET", "\(fixture.url)/auth/login/wait?loginId=\(loginId)")
        #expect(again.status == 409)
        #expect(again["error"] as? String == "login_claimed")
        try await fixture.stop()
    }

    @Test("a link works once; used and unknown links get distinct errors")
    func linkReuse() async throws {
        let fixture = try await AccountsFixture.start()
        let (link, _) = try await fixture.requestLink("once@example.test")
        #expect(try await http("GET", link)["deviceToken"] != nil)
        let reused = try await http("GET", link)
        #expect(reused.status == 410)
        #expect(reused["error"] as? String == "link_used")
        let unknown = try await http("GET", "\(fixture.url)/auth/verify?token=\(String(repeating: "ab", count: 32))")
        #expect(unknown.status == 404)
        #expect(unknown["error"] as? String == "link_unknown")
        try await fixture.stop()
    }

    @Test("an expired link is refused as expired, in JSON and as a page")
    func linkExpiry() async throws {
        let fixture = try await AccountsFixture.start(["login.link.seconds": "1"])
        let (late, _) = try await fixture.requestLink("late@example.test")
        try await Task.sleep(for: .milliseconds(1100))
        let expired = try await http("GET", late)
        #expect(expired.status == 410)
        #expect(expired["error"] as? String == "link_expired")
        let expiredPage = try await http("GET", late, headers: ["Accept": "text/html"])
        #expect(expiredPage.status == 410)
        #expect(expiredPage.body.contains("expired"))
        try await fixture.stop()
    }

    @Test("logins are rate-limited per email and per client address, with the limit and a retry time")
    func rateLimits() async throws {
        let fixture = try await AccountsFixture.start([
            "rate.login.per.email": "2", "rate.login.per.address": "4", "rate.window.seconds": "600",
        ])
        _ = try await fixture.requestLink("busy@example.test")
        _ = try await fixture.requestLink("busy@example.test")
        let third = try await http("GET", "\(fixture.url)/auth/login?email=busy@example.test")
        #expect(third.status == 429)
        #expect(third["error"] as? String == "rate_limited")
        #expect(third["limit"] as? Int == 2)
        #expect(third.headers["retry-after"].flatMap(Int.init).map { $0 > 0 && $0 <= 600 } == true)
        #expect(try await fixture.mail.expectNothing(to: "busy@example.test"))

        // Every request from the address counts, the one refused for its email too: this is the fourth.
        _ = try await fixture.requestLink("other@example.test")
        let overAddress = try await http("GET", "\(fixture.url)/auth/login?email=fourth@example.test")
        #expect(overAddress.status == 429)
        #expect(overAddress["limit"] as? Int == 4)
        #expect((overAddress["message"] as? String)?.contains("your address") == true)
        try await fixture.stop()
    }

    @Test("behind a proxy (forwarded.for), the per-address limit counts the X-Forwarded-For address")
    func forwardedFor() async throws {
        let fixture = try await AccountsFixture.start(["forwarded.for": "true", "rate.login.per.address": "1"])
        func login(_ email: String, from address: String) async throws -> Int {
            try await http(
                "GET", "\(fixture.url)/auth/login?email=\(email)",
                headers: ["X-Forwarded-For": "198.51.100.7, \(address)"]
            ).status
        }
        #expect(try await login("a@example.test", from: "203.0.113.1") == 200)
        #expect(try await login("b@example.test", from: "203.0.113.2") == 200)
        #expect(try await login("c@example.test", from: "203.0.113.1") == 429)
        try await fixture.stop()
    }

    @Test("the answer to /auth/login is the same for a known and an unknown address")
    func sameAnswerForUnknownEmail() async throws {
        let fixture = try await AccountsFixture.start()
        _ = try await fixture.signIn("known@example.test")
        let known = try await http("GET", "\(fixture.url)/auth/login?email=known@example.test")
        let unknown = try await http("GET", "\(fixture.url)/auth/login?email=nobody@example.test")
        #expect(known.status == unknown.status)
        #expect(Set(known.json.keys) == Set(unknown.json.keys))
        #expect(known["message"] as? String == unknown["message"] as? String)
        try await fixture.stop()
    }
}
