import NachweisJSON

/// An OB 3.0 Profile: the issuer, a creator, or a source organisation.
public struct Profile: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var name: String? { get { string("name") } set { setString("name", newValue) } }
    public var url: String? { string("url") }
    public var email: String? { string("email") }
    public var phone: String? { string("phone") }
    public var description: String? { string("description") }
    public var image: OB3Image? { model("image") }
    public var address: Address? { model("address") }
    public var otherIdentifiers: [IdentifierEntry] { models("otherIdentifier") }
    public var parentOrg: Profile? { model("parentOrg") }
    public var official: String? { string("official") }
    public var endorsements: [EndorsementCredential] { models("endorsement") }
}

/// A postal address; `addressCountryCode` is ISO 3166-1 alpha-2.
public struct Address: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var addressCountry: String? { string("addressCountry") }
    public var addressCountryCode: String? { string("addressCountryCode") }
    public var addressLocality: String? { string("addressLocality") }
    public var postalCode: String? { string("postalCode") }
    public var streetAddress: String? { string("streetAddress") }
}

/// An identifier of a profile or achievement in another system (e.g. `ext:eIDASIdentifier`).
public struct IdentifierEntry: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var identifier: String? { string("identifier") }
    public var identifierType: String? { string("identifierType") }
}

/// An image by IRI (often a data: URI) with an optional caption.
public struct OB3Image: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var caption: String? { string("caption") }
}

/// Evidence of the work done.
public struct Evidence: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var name: String? { string("name") }
    public var narrative: String? { string("narrative") }
    public var description: String? { string("description") }
    public var genre: String? { string("genre") }
}
