import TandemSDS

extension SDSFeature {
    /// The `sds.*` keys of relay.conf. Defaults come from `SDSSettings`.
    enum Keys {
        static let secret = Setting.text(
            "sds.jwt.secret", "",
            "HS256 secret of the SDS endpoints (/ws/:storeId, /signal/:storeId, /api/token), at least 32 characters; empty turns them off",
            legacy: ["SDS_JWT_SECRET"])
        static let issuer = Setting.text(
            "sds.issuer", "", "Required iss claim of SDS tokens; empty = not checked", legacy: ["SDS_ISSUER"])
        static let persist = Setting.boolean(
            "sds.persist", SDSSettings().persists,
            "Store SDS patches (replayed on join) and value blobs (served on REQ_VALUE); false = relay only")
        static let maxFrameBytes = Setting.integer(
            "sds.max.frame.bytes", 64...(64 << 20), SDSSettings().maxFrameBytes,
            "Largest SDS frame; larger ones close the socket with 1009")
        static let maxValueBytes = Setting.integer(
            "sds.max.value.bytes", 0...(1 << 30), SDSSettings().maxValueBytes,
            "Largest SDS value blob stored; a larger one is relayed, not stored, with a warning")
        static let maxStoreBytes = Setting.integer(
            "sds.max.store.bytes", 0...(1 << 40), SDSSettings().maxStoreBytes,
            "Most bytes of value blobs one SDS store keeps; past it blobs are relayed, not stored")

        static let all = [
            secret.key, issuer.key, persist.key, maxFrameBytes.key, maxValueBytes.key, maxStoreBytes.key,
        ]
    }

    /// The SDS part of the configuration: the token secret and issuer, and the endpoint's settings.
    static func configuration(_ settings: ConfigLoader) throws(ConfigError) -> (
        secret: String, issuer: String?, settings: SDSSettings
    ) {
        let secret = settings[Keys.secret]
        if !secret.isEmpty && secret.count < SDSTokenAuthority.minimumSecretLength {
            throw ConfigError(
                description:
                    "sds.jwt.secret must be at least \(SDSTokenAuthority.minimumSecretLength) characters (it has \(secret.count))"
            )
        }
        var sds = SDSSettings()
        sds.persists = settings[Keys.persist]
        sds.maxFrameBytes = settings[Keys.maxFrameBytes]
        sds.maxValueBytes = settings[Keys.maxValueBytes]
        sds.maxStoreBytes = settings[Keys.maxStoreBytes]
        let issuer = settings[Keys.issuer]
        return (secret, issuer.isEmpty ? nil : issuer, sds)
    }
}
