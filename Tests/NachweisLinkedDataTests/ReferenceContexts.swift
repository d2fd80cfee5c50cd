import Foundation
import NachweisLinkedData
import NachweisTestSupport

/// An offline loader over the reference copies of the contexts in ../shared/reference (tests only: the shipped
/// contexts are the project's own).
enum ReferenceContexts {
    static let files: [String: String] = [
        "https://www.w3.org/ns/credentials/v2": "w3c/contexts/credentials-v2.jsonld",
        "https://www.w3.org/2018/credentials/v1": "w3c/contexts/credentials-v1.jsonld",
        "https://www.w3.org/ns/credentials/examples/v2": "w3c/contexts/credentials-examples-v2.jsonld",
        "https://www.w3.org/2018/credentials/examples/v1": "w3c/contexts/credentials-examples-v1.jsonld",
        "https://w3id.org/security/data-integrity/v2": "w3c/contexts/data-integrity-v2.jsonld",
        "https://w3id.org/security/data-integrity/v1": "w3c/contexts/data-integrity-v1.jsonld",
        "https://w3id.org/security/multikey/v1": "w3c/contexts/multikey-v1.jsonld",
        "https://w3id.org/security/jwk/v1": "w3c/contexts/jwk-v1.jsonld",
        "https://w3id.org/security/suites/ed25519-2020/v1": "w3c/contexts/ed25519-signature-2020-v1.jsonld",
        "https://www.w3.org/ns/credentials/status/v1": "w3c/contexts/bitstring-status-list-v1.jsonld",
        "https://w3id.org/vc/status-list/2021/v1": "w3c/contexts/status-list-2021-v1.jsonld",
        "https://www.w3.org/ns/did/v1": "w3c/contexts/did-v1.jsonld",
        "https://w3id.org/security/v1": "w3c/contexts/security-v1.jsonld",
        "https://w3id.org/security/v2": "w3c/contexts/security-v2.jsonld",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "openbadges/ob3/contexts/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "openbadges/ob3/contexts/context-3.0.2.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "openbadges/ob3/contexts/context-3.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "openbadges/ob3/contexts/context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "openbadges/ob3/contexts/extensions.json",
        "https://w3id.org/openbadges/v2": "openbadges/ob2/contexts/v2-context.spec-repo.json",
        "http://data.europa.eu/snb/model/context/edc-ap": "europass/elm-v3/context/edc-ap-context.jsonld",
    ]

    static func loader() throws -> OfflineDocumentLoader {
        var map: [String: URL] = [:]
        for (url, path) in files { map[url] = try TestEnvironment.reference(path) }
        return OfflineDocumentLoader(files: map)
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: try TestEnvironment.reference(path), encoding: .utf8)
    }
}
