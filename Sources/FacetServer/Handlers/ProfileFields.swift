import FacetCore
import FacetHTTP
import Foundation

/// Parsing of the business profile fields shared by sign-up, profile edits and
/// staff-created accounts. Enum fields are decoded as strings so a bad value gets a
/// message naming the field and the accepted values.
struct ProfileInput: Decodable, InlineMembers {
    var companyName: String?
    var businessLicense: String?
    var contactName: String?
    var phone: String?
    var country: String?
    var businessType: String?
    var typicalOrderVolume: String?
    var preferredCategories: [String]?

    func businessTypeValue() throws -> BusinessType? {
        try businessType.map { raw in
            guard let value = BusinessType(rawValue: raw) else {
                throw ValidationFailure(field: "businessType", message: "businessType must be one of \(BusinessType.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return value
        }
    }

    func orderVolumeValue() throws -> OrderVolume? {
        try typicalOrderVolume.map { raw in
            guard let value = OrderVolume(rawValue: raw) else {
                throw ValidationFailure(field: "typicalOrderVolume", message: "typicalOrderVolume must be one of \(OrderVolume.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return value
        }
    }

    func categoriesValue() throws -> [Category]? {
        try preferredCategories.map { raw in
            var seen: [Category] = []
            for name in raw {
                guard let category = Category(rawValue: name) else {
                    throw ValidationFailure(field: "preferredCategories", message: "preferredCategories: unknown category \(name); use \(Category.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                if !seen.contains(category) { seen.append(category) }
            }
            return seen
        }
    }

    func phoneValue() throws -> String? {
        try phone.map { raw in
            let phone = try AccountRules.requiredText(raw, field: "phone", maxLength: 40)
            guard phone.allSatisfy({ ($0.isASCII && $0.isNumber) || " +-().".contains($0) }), phone.filter(\.isNumber).count >= 6 else {
                throw ValidationFailure(field: "phone", message: "phone must be a telephone number with at least 6 digits.")
            }
            return phone
        }
    }
}

/// An account as submitted: sign-up sends a password, staff onboarding may ask for an invite
/// instead. The profile fields sit at the same level as the e-mail in the JSON.
struct AccountInput: Decodable {
    var email: String?
    var password: String?
    var sendInvite: Bool?
    var profile: ProfileInput

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        password = try container.decodeIfPresent(String.self, forKey: .password)
        sendInvite = try container.decodeIfPresent(Bool.self, forKey: .sendInvite)
        profile = try ProfileInput(from: decoder)
    }

    enum Keys: String, CodingKey { case email, password, sendInvite }
}
