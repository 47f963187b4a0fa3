import Hummingbird
import TandemTinyHost

// JSON bodies of the TinyHost account routes, in TinyHost's snake_case shapes; times are
// ISO-8601 UTC with milliseconds. docs/tinyhost-api.md shows each.

/// `POST /{namespace}/sign-up` and `/sign-in`.
struct TinyHostCredentialsRequest: Decodable {
    let email: String?
    let password: String?
}

/// `{"success": true, "message": …}`.
struct TinyHostSuccessBody: ResponseEncodable {
    let success = true
    let message: String
}

/// `POST /{namespace}/sign-in`.
struct TinyHostSignInBody: ResponseEncodable {
    struct User: Encodable {
        let email: String
        let created_at: String
        let login_time: String
    }

    let session_uuid: String
    let user: User

    init(sessionUUID: String, session: TinyHostSession, user: TinyHostUser) {
        session_uuid = sessionUUID
        self.user = User(
            email: user.email, created_at: TinyHostTime.string(user.createdAt),
            login_time: TinyHostTime.string(session.createdAt))
    }
}

/// `GET /api/session`.
struct TinyHostSessionBody: ResponseEncodable {
    struct Session: Encodable {
        let uuid: String
        let created_at: String
        let expires_at: String
        let data: String?

        enum CodingKeys: String, CodingKey {
            case uuid, created_at, expires_at, data
        }

        // `data` is written even when nil: TinyHost clients read `"data": null`.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(uuid, forKey: .uuid)
            try container.encode(created_at, forKey: .created_at)
            try container.encode(expires_at, forKey: .expires_at)
            try container.encode(data, forKey: .data)
        }
    }

    struct User: Encodable {
        let email: String
        let created_at: String
        let durable_object_name: String
    }

    let session: Session
    let user: User

    init(sessionUUID: String, session: TinyHostSession, user: TinyHostUser) {
        self.session = Session(
            uuid: sessionUUID, created_at: TinyHostTime.string(session.createdAt),
            expires_at: TinyHostTime.string(session.expiresAt), data: session.data)
        self.user = User(
            email: user.email, created_at: TinyHostTime.string(user.createdAt), durable_object_name: user.storeName)
    }
}
