package import TandemMerge

/// A sync waiting for a decision, as the HTTP API shows it.
package struct PendingSyncReport: Codable, Sendable, Equatable {
    /// One conflict: both values at the same `updatedAt`.
    package struct Conflict: Codable, Sendable, Equatable {
        /// The key to use in a `merge` decision's `choices`.
        package var key: String
        package var phone: Value
        package var desktop: Value
    }

    /// A conflicting value as plain JSON: a string, boolean, number or a category / scratchpad object.
    package enum Value: Codable, Sendable, Equatable {
        case text(String)
        case flag(Bool)
        case number(Double)
        case category(SyncCategory)
        case scratchpad(ScratchpadEntry)

        init(_ value: ConflictValue) {
            switch value {
            case .text(let text): self = .text(text)
            case .done(let done): self = .flag(done)
            case .position(let position): self = .number(position)
            case .category(let category): self = .category(category)
            case .scratchpad(let entry): self = .scratchpad(entry)
            }
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                self = .flag(flag)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let category = try? container.decode(SyncCategory.self) {
                self = .category(category)
            } else {
                self = .scratchpad(try container.decode(ScratchpadEntry.self))
            }
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .flag(let flag): try container.encode(flag)
            case .number(let number): try container.encode(number)
            case .category(let category): try container.encode(category)
            case .scratchpad(let entry): try container.encode(entry)
            }
        }
    }

    /// The large-change gate's counts and which sides tripped it.
    package struct LargeChange: Codable, Sendable, Equatable {
        package var ancestorItemCount: Int
        package var phoneMissingCount: Int
        package var desktopMissingCount: Int
        /// `phone`, `desktop` or both.
        package var trippedBy: [SyncSide]
    }

    package var id: String
    package var deviceId: String
    package var createdAt: Int64
    /// When the sync is cancelled if nobody answers.
    package var expiresAt: Int64
    package var conflicts: [Conflict]
    /// Present when the gate tripped: then only `phone`, `desktop`, `cancel` or a `merge` that allows it apply.
    package var largeChange: LargeChange?
}

extension PendingSyncReport {
    init(id: String, deviceId: String, createdAt: Int64, expiresAt: Int64, result: MergeResult) {
        self.id = id
        self.deviceId = deviceId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.conflicts = result.conflicts.map { conflict in
            Conflict(key: conflict.subject.key, phone: Value(conflict.phone), desktop: Value(conflict.desktop))
        }
        let gate = result.largeChange
        self.largeChange =
            gate.isTripped
            ? LargeChange(
                ancestorItemCount: gate.ancestorItemCount, phoneMissingCount: gate.phoneMissingCount,
                desktopMissingCount: gate.desktopMissingCount,
                trippedBy: SyncSide.allCases.filter { gate.isTripped(by: $0) }) : nil
    }
}
