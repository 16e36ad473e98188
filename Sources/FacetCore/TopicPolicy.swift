/// Who may listen to what. Ownership of searches, quotes and orders is looked up by
/// the caller (the store knows it); this type holds the rule, not the data.
public struct Viewer: Sendable, Equatable {
    public let userId: String
    public let role: Role
    public let verified: Bool

    public init(userId: String, role: Role, verified: Bool) {
        self.userId = userId
        self.role = role
        self.verified = verified
    }
}

public enum TopicAccess: Equatable, Sendable {
    case allowed
    case forbidden(String)
    /// The topic names a resource whose owner must be looked up before deciding.
    case needsOwner(Topic.Kind, String)
}

public enum TopicPolicy {
    public static func access(_ viewer: Viewer, to topic: Topic) -> TopicAccess {
        if viewer.role.isStaff { return .allowed }
        guard viewer.verified else {
            return .forbidden("Verify your e-mail address before subscribing to updates.")
        }
        switch topic.name {
        case .admin:
            return .forbidden("Only staff may subscribe to admin.")
        case .buyers:
            return .allowed
        case let .owned(.buyer, id):
            return id == viewer.userId ? .allowed : .forbidden("You may only subscribe to your own topics.")
        case let .owned(kind, id):
            return .needsOwner(kind, id)
        }
    }
}
