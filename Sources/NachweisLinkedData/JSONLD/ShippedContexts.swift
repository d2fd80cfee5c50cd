import Foundation
import NachweisSchemas

/// The JSON-LD context documents Nachweis ships (`Schemas/json/contexts`), written for the project from the published
/// term definitions and proven equivalent to the originals by tests. Each file's SHA-256 is pinned here: a changed
/// context changes what every signature over it means, so changing one is a deliberate edit of this table.
public enum ShippedContexts {
    /// Published URL → (file in `Schemas/json/contexts`, SHA-256 of that file).
    public static let entries: [String: (file: String, sha256: String)] = [
        "https://www.w3.org/ns/credentials/v2": ("credentials-v2.jsonld", "6685a3fefe4e028f978fb1f1b35b4ce5b5c0a8e224d68310e6e923fef70b56cf"),
        "https://www.w3.org/2018/credentials/v1": ("credentials-v1.jsonld", "cf37d1d333c0543858912bc1d221702cecd0310aea2e892d2be225364d22b2c0"),
        "https://www.w3.org/ns/credentials/examples/v2": ("credentials-examples-v2.jsonld", "895d705429f42934c1568b13376dfcb1aec71e5a42add2b9bb0855dfb3bc2ff4"),
        "https://w3id.org/security/data-integrity/v1": ("data-integrity-v1.jsonld", "6cc0ae9944ee8eafc60fd00db867d7d001fef157fc78b77f9161f22511f5d1f2"),
        "https://w3id.org/security/data-integrity/v2": ("data-integrity-v2.jsonld", "21ae0e2cf5f54f8e7c570c36431561d03fb009b6105045f32ba562afb272113c"),
        "https://w3id.org/security/multikey/v1": ("multikey-v1.jsonld", "20948da17382373b212b4bec7c020e1446636003b40e2f60d41ac1b642927196"),
        "https://w3id.org/security/jwk/v1": ("jwk-v1.jsonld", "97505d09996da3e7ff8de78f8d88521580867affc0a2f3f407dbbc363850412b"),
        "https://w3id.org/security/suites/ed25519-2020/v1": ("ed25519-signature-2020-v1.jsonld", "5d7813f72761a89e391fa440e3d9b5ec371938363825d378fb432fa087aea718"),
        "https://www.w3.org/ns/credentials/status/v1": ("bitstring-status-list-v1.jsonld", "3c23a54756927872a9419115bf7c5c52279e6b9b5cae1ba855430cac3cab7d2f"),
        "https://w3id.org/vc/status-list/2021/v1": ("status-list-2021-v1.jsonld", "3bc7a95f2025d97a4ddd54ab8985da5616202d5c211bb6a47e24f4135eb67b81"),
        "https://www.w3.org/ns/did/v1": ("did-v1.jsonld", "5cbebe30e109a20d0406f096e133719c1637f2460d5b0bddac1978e8692d6980"),
        "https://w3id.org/security/v1": ("security-v1.jsonld", "a0a1394ddb362fed155cf4de59815afb31059fd639305a00673d88cbb60c9df6"),
        "https://w3id.org/security/v2": ("security-v2.jsonld", "3df0275a90d9deb38fc1990d67fc0c6c3ef21be43333220e59ee70751107fa0a"),
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": ("ob-v3p0-context-3.0.3.jsonld", "3206ef06c58e0aabe6a13b7287e1ab44ee4c390dc612742e7c573ae8cc59af53"),
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": ("ob-v3p0-context-3.0.2.jsonld", "7a89e09627ce8e5c2194d5df833e940bf2c2a0cbd0227565f95601788e6d977a"),
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": ("ob-v3p0-context-3.0.1.jsonld", "3d75b7b90f7a0d4f7295085d3f46b99bce2ef83c674b2f3eda311cf307a791a9"),
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json": ("ob-v3p0-context-3.0.0.jsonld", "645abd7a18ec7a2d35ca3e2e5abdade3271eb756b1e3c55b6209993e6876fa3f"),
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": ("ob-v3p0-extensions.jsonld", "df37641c538a41a90378bc467a1423aba05d6f8ba3025b113605e48646276d7f"),
        "https://w3id.org/openbadges/v2": ("openbadges-v2.jsonld", "dcb1ea0b979163e83c1584c7c9eb98033bae336ec05225ca7737af76d5f1396d"),
        "http://data.europa.eu/snb/model/context/edc-ap": ("elm-edc-ap.jsonld", "3fa43fc59a28a2c66e37849193c949ba167effe07738987ee8246e65dd2b9cc2"),
    ]

    /// The folder holding the context files.
    public static var directory: URL { SchemaFiles.directory.appendingPathComponent("contexts") }

    /// A loader over the shipped contexts, and the operator's own map (a file, or a directory holding `contexts.json`)
    /// when given; its integrity is checked. Throws `jsonld.loading_document_failed` when a shipped file does not match
    /// its pinned digest, or the map is unusable or lists a URL Nachweis ships.
    public static func loader(adding operatorMap: URL? = nil) throws(LinkedDataError) -> OfflineDocumentLoader {
        var files: [String: URL] = [:]
        var digests: [String: String] = [:]
        for (url, entry) in entries {
            files[url] = directory.appendingPathComponent(entry.file)
            digests[url] = entry.sha256
        }
        if let operatorMap {
            let extra = try ContextMap.files(mapFile: operatorMap)
            for (url, file) in extra {
                guard files[url] == nil else {
                    throw LinkedDataError(.loadingDocumentFailed, "the context map lists \(url), which Nachweis ships pinned; remove it from the map")
                }
                files[url] = file
            }
        }
        let loader = OfflineDocumentLoader(files: files, digests: digests)
        try loader.checkIntegrity()
        return loader
    }
}
