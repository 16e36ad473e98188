import FacetCore
import Foundation
import GRDB

public struct UserRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "user"

    public var id: String
    public var email: String
    public var passwordHash: String
    public var role: Role
    public var verifiedAt: Date?
    public var companyName: String
    public var businessLicense: String
    public var contactName: String
    public var phone: String
    public var country: String
    public var businessType: BusinessType
    public var typicalOrderVolume: OrderVolume
    public var preferredCategories: [Category]
    public var createdAt: Date
    public var updatedAt: Date

    public var isVerified: Bool { verifiedAt != nil }
    public var viewer: Viewer { Viewer(userId: id, role: role, verified: isVerified) }

    public init(id: String, email: String, passwordHash: String, role: Role, verifiedAt: Date?,
                companyName: String, businessLicense: String, contactName: String, phone: String,
                country: String, businessType: BusinessType, typicalOrderVolume: OrderVolume,
                preferredCategories: [Category], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.verifiedAt = verifiedAt
        self.companyName = companyName
        self.businessLicense = businessLicense
        self.contactName = contactName
        self.phone = phone
        self.country = country
        self.businessType = businessType
        self.typicalOrderVolume = typicalOrderVolume
        self.preferredCategories = preferredCategories
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
