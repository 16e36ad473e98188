import FacetCore
import FacetStore
import FacetHTTP
import Foundation

/// The account as the API shows it: never the password hash.
struct UserView: Encodable {
    let id: String
    let email: String
    let role: Role
    let verified: Bool
    let companyName: String
    let businessLicense: String
    let contactName: String
    let phone: String
    let country: String
    let businessType: BusinessType
    let typicalOrderVolume: OrderVolume
    let preferredCategories: [Category]
    let createdAt: Date

    init(_ user: UserRecord) {
        id = user.id
        email = user.email
        role = user.role
        verified = user.isVerified
        companyName = user.companyName
        businessLicense = user.businessLicense
        contactName = user.contactName
        phone = user.phone
        country = user.country
        businessType = user.businessType
        typicalOrderVolume = user.typicalOrderVolume
        preferredCategories = user.preferredCategories
        createdAt = user.createdAt
    }
}

struct UserEnvelope: Encodable {
    let user: UserView
    init(_ user: UserRecord) { self.user = UserView(user) }
}

struct Empty: Codable {}
