import Foundation
import Testing

@Suite(
    "Accounts: bad input gets clear 4xx JSON errors",
    .timeLimit(.minutes(1)),
    .enabled(if: SMTPSink.isAvailable, "python3 with aiosmtpd is not installed (pip install aiosmtpd)"))
struct AccountsInputTests {
    @Test("missing or bad parameters, garbage tokens, wrong methods, bad JSON, unknown paths")
    func badInput() async throws {
        let fixture = try await AccountsFixture.start()
        let url = fixture.url
        let (token, _, _) = try await fixture.signIn("input@example.test")
        let cases: [(String, String, String?, [String: Any]?, Int, String)] = [
            ("GET", "/auth/login", nil, nil, 400, "missing_parameter"),
            ("GET", "/auth/login?email=not-an-email", nil, nil, 400, "invalid_email"),
            ("GET", "/auth/login?email=a%0D%0ABcc:x@y.z", nil, nil, 400, "invalid_email"),
            ("GET", "/auth/verify", nil, nil, 400, "missing_parameter"),
            ("GET", "/auth/verify?token=garbage", nil, nil, 404, "link_unknown"),
            (
                "GET",
                "/auth/verify?token=\(String(repeating: "a", count: 64))&platform=\(String(repeating: "p", count: 51))",
                nil, nil, 400, "invalid_parameter"
            ),
            ("GET", "/auth/login/wait", nil, nil, 400, "missing_parameter"),
            ("GET", "/auth/login/wait?loginId=\(String(repeating: "c", count: 64))", nil, nil, 404, "login_unknown"),
            ("GET", "/auth/devices", nil, nil, 401, "auth_required"),
            ("GET", "/auth/devices", "garbage", nil, 401, "invalid_token"),
            ("GET", "/auth/devices", "1:1:1.\(String(repeating: "0", count: 64))", nil, 401, "invalid_token"),
            ("GET", "/auth/quick-setup", nil, nil, 403, "quick_setup_disabled"),
            ("POST", "/auth/login", nil, nil, 405, "method_not_allowed"),
            ("GET", "/auth/project", token, nil, 405, "method_not_allowed"),
            ("DELETE", "/auth/devices", token, nil, 405, "method_not_allowed"),
            ("DELETE", "/auth/device/abc", token, nil, 400, "invalid_parameter"),
            ("DELETE", "/auth/device/999999", token, nil, 404, "device_not_found"),
            ("DELETE", "/auth/project/999999", token, nil, 404, "project_not_found"),
            ("POST", "/auth/project", token, [:], 400, "missing_parameter"),
            ("POST", "/auth/pairing-code/redeem", nil, ["code": "??"], 404, "pairing_code_unknown"),
            ("POST", "/auth/pairing-code/redeem", nil, [:], 400, "missing_parameter"),
            ("GET", "/auth/nothing-here", nil, nil, 404, "not_found"),
        ]
        for (method, path, bearer, json, status, code) in cases {
            let answer = try await http(method, url + path, bearer: bearer, json: json)
            #expect(answer.status == status, "\(method) \(path): \(answer.body)")
            #expect(answer["error"] as? String == code, "\(method) \(path): \(answer.body)")
            #expect((answer["message"] as? String)?.isEmpty == false, "\(method) \(path)")
        }
        let badJSON = try await http("POST", url + "/auth/project", bearer: token, body: "{not json")
        #expect(badJSON.status == 400)
        #expect(badJSON["error"] as? String == "invalid_json")
        #expect(try await fixture.mail.expectNothing(to: "input@example.test"))
        try await fixture.stop()
    }

    @Test("quick setup creates an account without email when enabled")
    func quickSetup() async throws {
        let fixture = try await AccountsFixture.start(["quick.setup": "true"])
        let answer = try await http("GET", "\(fixture.url)/auth/quick-setup?deviceName=IDE&platform=darwin")
        #expect(answer.status == 200)
        #expect(answer["ok"] as? Bool == true)
        let token = try #require(answer["deviceToken"] as? String)
        #expect(answer["userId"] is Int)
        let project = try await fixture.register("quick", token: token)
        #expect(project.status == 201)
        try await fixture.stop()
    }
}
