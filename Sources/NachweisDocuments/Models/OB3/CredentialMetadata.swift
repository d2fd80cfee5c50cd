import Foundation
import NachweisJSON

/// Where a credential's status (revocation, suspension) is published.
public struct CredentialStatus: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    /// `BitstringStatusListEntry` members.
    public var statusPurpose: String? { string("statusPurpose") }
    public var statusListIndex: String? { json["statusListIndex"]?.stringValue ?? json["statusListIndex"]?.numberValue?.text }
    public var statusListCredential: String? { string("statusListCredential") }
}

/// A schema the credential declares it conforms to.
public struct CredentialSchema: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
}

/// Where a fresh copy of the credential can be had.
public struct RefreshService: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
}

/// An embedded proof (`DataIntegrityProof`, `Ed25519Signature2020`, …).
public struct DataIntegrityProofModel: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var cryptosuite: String? { string("cryptosuite") }
    public var verificationMethod: String? { string("verificationMethod") }
    public var proofPurpose: String? { string("proofPurpose") }
    public var proofValue: String? { string("proofValue") }
    public var created: Date? { date("created") }
    public var expires: Date? { date("expires") }
    public var challenge: String? { string("challenge") }
    public var domain: String? { string("domain") }
}
