/// When a stored message counts as safe, and so when its sender is acknowledged.
public enum Durability: String, Sendable, CaseIterable {
    /// After the transaction commits: survives a crash of the process, not a power loss (default).
    case commit
    /// After the commit is flushed to disk with fsync: survives a power loss; slower.
    case fsync
}
