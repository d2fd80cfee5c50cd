import NachweisJSON

/// An OB 2.0 BadgeClass.
public struct BadgeClass: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var name: String? { get { string("name") } set { setString("name", newValue) } }
    public var description: String? { get { string("description") } set { setString("description", newValue) } }
    /// The image IRI (often a data: URI), embedded object or not.
    public var imageIRI: String? { json["image"]?.stringValue ?? json["image"]?["id"]?.stringValue }
    public var criteriaIRI: String? { json["criteria"]?.stringValue ?? json["criteria"]?["id"]?.stringValue }
    public var criteriaNarrative: String? { json["criteria"]?["narrative"]?.stringValue }
    /// The issuer, when embedded (else see ``issuerIRI``).
    public var issuer: OB2Issuer? { model("issuer") }
    public var issuerIRI: String? { json["issuer"]?.stringValue ?? issuer?.id }
    public var tags: [String] { strings("tags") }
    public var alignments: [JSONValue] { json["alignment"]?.arrayValue ?? json["alignment"].map { [$0] } ?? [] }
}

/// An OB 2.0 Issuer (or Profile).
public struct OB2Issuer: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var name: String? { get { string("name") } set { setString("name", newValue) } }
    public var url: String? { string("url") }
    public var email: String? { string("email") }
    public var publicKeyIRIs: [String] { strings("publicKey") }
    public var revocationListIRI: String? { string("revocationList") }
    public var verification: VerificationObject? { model("verification") }
}

/// An OB 2.0 CryptographicKey: a PEM public key and its owner.
public struct CryptographicKey: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var owner: String? { string("owner") }
    public var publicKeyPem: String? { string("publicKeyPem") }
}

/// An OB 2.0 RevocationList: revoked assertion ids, optionally with reasons.
public struct RevocationList: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    /// Revoked assertions by id, with their reason when given.
    public var revoked: [(id: String, reason: String?)] {
        (json["revokedAssertions"]?.arrayValue ?? []).compactMap { entry in
            if let id = entry.stringValue { return (id, nil) }
            guard let id = entry["id"]?.stringValue ?? entry["uid"]?.stringValue else { return nil }
            return (id, entry["revocationReason"]?.stringValue)
        }
    }

    public func isRevoked(_ assertionID: String) -> Bool { revoked.contains { $0.id == assertionID } }

    public static func == (a: RevocationList, b: RevocationList) -> Bool { a.json == b.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(json) }
}
