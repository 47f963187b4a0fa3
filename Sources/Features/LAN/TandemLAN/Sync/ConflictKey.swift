import TandemMerge

extension ConflictSubject {
    /// A stable text key for the decision API: `lists/0/<item id>/text` or `listsCategories/2`.
    package var key: String {
        switch self {
        case .item(let group, let slot, let id, let field): "\(group.rawValue)/\(slot)/\(id)/\(field.rawValue)"
        case .slot(let kind, let slot): "\(kind.rawValue)/\(slot)"
        }
    }
}
