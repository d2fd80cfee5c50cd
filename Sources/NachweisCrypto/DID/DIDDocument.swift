import NachweisJSON

/// A DID document as DID Core 1.0 writes it, read for one question: which key, if any, the DID's controller
/// authorises for a verification relationship (`assertionMethod` for credentials).
///
/// - Verification methods are found where DID Core allows them: referenced from the relationship by id (absolute, or
///   relative to the DID, `#key-1`) and defined in `verificationMethod`, or embedded in the relationship itself.
/// - A document without the relationship authorises nothing for it; a method's `controller` must be the DID.
/// - Key material by method type: `Multikey` and `Ed25519VerificationKey2020` (`publicKeyMultibase`),
///   `JsonWebKey` and `JsonWebKey2020` (`publicKeyJwk`, public members only), `Ed25519VerificationKey2018`
///   (`publicKeyBase58`, the raw 32 bytes).
public struct DIDDocument: Sendable {
    public let document: JSONValue
    public let did: String

    /// `did` is the DID the document was resolved for; the document must name itself so.
    public init(_ document: JSONValue, did: String) throws(CryptoError) {
        guard document.objectValue != nil else { throw CryptoError(.invalidDID, "the DID document of \(did) is not a JSON object") }
        guard let id = document["id"]?.stringValue else { throw CryptoError(.invalidDID, "the DID document of \(did) has no id") }
        guard id.hasSameCodePoints(as: did) else { throw CryptoError(.invalidDID, "the DID document of \(did) names itself \(id)") }
        self.document = document
        self.did = did
    }

    /// The verification method `method` (a DID URL) as authorised for `relationship`, with its public key. Throws
    /// `did.invalid` naming what is missing or wrong.
    public func key(_ method: String, for relationship: String = "assertionMethod") throws(CryptoError) -> PublicKey {
        guard let listed = document[relationship] else {
            throw CryptoError(.invalidDID, "\(did) lists no \(relationship): its document authorises no key for it")
        }
        let entries = listed.arrayValue ?? [listed]
        var found: JSONObject?
        for entry in entries {
            switch entry {
            case .string(let reference) where absolute(reference) == method:
                guard let defined = definedMethod(method) else {
                    throw CryptoError(.invalidDID, "\(did) lists \(reference) for \(relationship) but defines no such verification method")
                }
                found = defined
            case .object(let embedded) where embedded["id"]?.stringValue.map(absolute) == method:
                found = embedded
            default:
                continue
            }
            break
        }
        guard let found else {
            if definedMethod(method) != nil { throw CryptoError(.invalidDID, "\(method) is a key of \(did) but not listed for \(relationship)") }
            throw CryptoError(.invalidDID, "\(method) is not a key of \(did)")
        }
        return try Self.publicKey(found, method: method, controller: did)
    }

    /// A method defined in `verificationMethod` by id.
    func definedMethod(_ method: String) -> JSONObject? {
        for entry in document["verificationMethod"]?.arrayValue ?? [] {
            if let object = entry.objectValue, let id = object["id"]?.stringValue, absolute(id) == method { return object }
        }
        return nil
    }

    /// A DID URL relative to the DID (`#key-1`, `?service=…`) made absolute; others as they are.
    func absolute(_ reference: String) -> String {
        reference.hasPrefix("#") || reference.hasPrefix("?") || reference.hasPrefix("/") ? did + reference : reference
    }

    /// The public key of a verification method object, checked against its type and controller.
    static func publicKey(_ method: JSONObject, method id: String, controller: String) throws(CryptoError) -> PublicKey {
        guard let owner = method["controller"]?.stringValue else {
            throw CryptoError(.invalidDID, "\(id) names no controller (DID Core requires one)")
        }
        guard owner.hasSameCodePoints(as: controller) else {
            throw CryptoError(.invalidDID, "\(id) is controlled by \(owner), not \(controller)")
        }
        guard let type = method["type"]?.stringValue else { throw CryptoError(.invalidDID, "\(id) has no type") }
        func only(_ property: String) throws(CryptoError) -> JSONValue {
            let materials = ["publicKeyMultibase", "publicKeyJwk", "publicKeyBase58"].filter { method[$0] != nil }
            guard materials == [property], let value = method[property] else {
                throw CryptoError(.invalidDID, "\(id) is a \(type), whose key is given as \(property) alone (found: \(materials.joined(separator: ", ")))")
            }
            return value
        }
        switch type {
        case "Multikey", "Ed25519VerificationKey2020":
            guard let text = try only("publicKeyMultibase").stringValue else { throw CryptoError(.invalidDID, "\(id): publicKeyMultibase is not a string") }
            let key = try Multikey.decodePublicKey(text)
            if type == "Ed25519VerificationKey2020", key.kind != .ed25519 {
                throw CryptoError(.invalidDID, "\(id) is an Ed25519VerificationKey2020 holding another kind of key")
            }
            return key
        case "JsonWebKey", "JsonWebKey2020":
            let jwk = try only("publicKeyJwk")
            if let object = jwk.objectValue, object.keys.contains(where: JWK.privateMembers.contains) {
                throw CryptoError(.invalidDID, "\(id) publishes private key members")
            }
            return try JWK(jwk).publicKey
        case "Ed25519VerificationKey2018":
            guard let text = try only("publicKeyBase58").stringValue else { throw CryptoError(.invalidDID, "\(id): publicKeyBase58 is not a string") }
            return try PublicKey(ed25519: try Base58.decode(text))
        default:
            throw CryptoError(.invalidDID, "\(id) is a \(type): Nachweis reads Multikey, JsonWebKey, JsonWebKey2020, Ed25519VerificationKey2018 and 2020")
        }
    }
}

/// `did:jwk` (the did:jwk method specification): the DID is the base64url of a public JWK, and its document is made
/// from it, with the one verification method `#0`.
public enum DIDJWK {
    /// The document of a `did:jwk` DID (a DID URL's fragment is ignored). A key marked `"use": "enc"` is for key
    /// agreement only; any other is also for assertions and authentication.
    public static func document(_ text: String) throws(CryptoError) -> JSONValue {
        let did = String(text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
        guard did.hasPrefix("did:jwk:") else { throw CryptoError(.invalidDID, "not a did:jwk identifier") }
        let bytes = try Base64URL.decode(did.dropFirst("did:jwk:".count))
        let jwk: JSONValue
        do { jwk = try JSONParser(limits: .init(maxBytes: 1 << 16, maxDepth: 4)).parse(bytes) } catch {
            throw CryptoError(.invalidDID, "\(did) does not encode a JSON object: \(error.message)")
        }
        guard let members = jwk.objectValue else { throw CryptoError(.invalidDID, "\(did) does not encode a JSON object") }
        guard !members.keys.contains(where: JWK.privateMembers.contains) else { throw CryptoError(.invalidDID, "\(did) encodes private key members") }
        let method = did + "#0"
        var document: JSONObject = [
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"], "id": .string(did),
            "verificationMethod": [["id": .string(method), "type": "JsonWebKey2020", "controller": .string(did), "publicKeyJwk": jwk]],
        ]
        let use = members["use"]?.stringValue
        if use != "enc" {
            for relationship in ["assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation"] {
                document[relationship] = [.string(method)]
            }
        }
        if use != "sig" { document["keyAgreement"] = [.string(method)] }
        return .object(document)
    }
}
