/// Open Badges baking in SVG: an `assertion` element in the `http://openbadges.org` namespace (OB 2.0) or a
/// `credential` element in `https://purl.imsglobal.org/ob/v3p0` (OB 3.0), first inside the root `svg`,
/// holding the credential as CDATA (JSON) or in its `verify` attribute (a compact JWS or an assertion URL).
public enum SVGBaking {
    public static let ob2Namespace = "http://openbadges.org"
    public static let ob3Namespace = "https://purl.imsglobal.org/ob/v3p0"
    /// Largest SVG accepted by default (8 MiB).
    public static let defaultMaxBytes = 8 << 20

    public struct Baked: Sendable, Hashable {
        /// `ob2` (assertion element) or `ob3` (credential element).
        public let isOB3: Bool
        /// The credential exactly as embedded: the element's CDATA/text, or its `verify` attribute.
        public let text: String
        /// Whether it came from the `verify` attribute.
        public let fromVerifyAttribute: Bool

        public init(isOB3: Bool, text: String, fromVerifyAttribute: Bool) {
            self.isOB3 = isOB3
            self.text = text
            self.fromVerifyAttribute = fromVerifyAttribute
        }
    }

    /// Reads the one credential element. Refuses DTDs and entities (`svg.dtd_refused`, `svg.entity_refused`),
    /// malformed XML (`svg.invalid`), none or several credentials.
    public static func unbake(_ bytes: [UInt8], maxBytes: Int = defaultMaxBytes) throws(DocumentError) -> Baked {
        guard bytes.count <= maxBytes else { throw DocumentError(.tooLarge, "SVG of \(bytes.count) bytes exceeds the limit of \(maxBytes)") }
        let scanner = try XMLScanner(bytes)
        guard let root = scanner.elements.first, root.localName == "svg" else { throw DocumentError(.invalidSVG, "the root element is not svg") }
        let found = credentialElements(scanner)
        guard found.count <= 1 else { throw DocumentError(.multipleCredentials, "the SVG holds \(found.count) credential elements; at most one is allowed") }
        guard let element = found.first else { throw DocumentError(.noCredential, "the SVG holds no openbadges assertion or credential element") }
        let isOB3 = element.namespace == ob3Namespace
        let content = element.text.trimmingWhitespace()
        if !content.isEmpty { return Baked(isOB3: isOB3, text: content, fromVerifyAttribute: false) }
        if let verify = element.attributes["verify"], !verify.isEmpty { return Baked(isOB3: isOB3, text: verify, fromVerifyAttribute: true) }
        throw DocumentError(.noCredential, "the credential element is empty")
    }

    static func credentialElements(_ scanner: XMLScanner) -> [XMLScanner.Element] {
        scanner.elements.filter {
            ($0.namespace == ob2Namespace && $0.localName == "assertion") || ($0.namespace == ob3Namespace && $0.localName == "credential")
        }
    }

    /// Bakes a credential into an SVG, replacing any credential element already there. JSON goes in CDATA;
    /// a compact JWS (or OB 2.0 hosted URL) in the `verify` attribute.
    public static func bake(_ text: String, ob3: Bool, inVerifyAttribute: Bool, into bytes: [UInt8]) throws(DocumentError) -> [UInt8] {
        let scanner = try XMLScanner(bytes)
        guard let root = scanner.elements.first, root.localName == "svg" else { throw DocumentError(.invalidSVG, "the root element is not svg") }
        let namespace = ob3 ? ob3Namespace : ob2Namespace
        // Remove old credential elements, last first so earlier offsets stay valid.
        var out = bytes
        for element in credentialElements(scanner).sorted(by: { $0.whole.lowerBound > $1.whole.lowerBound }) {
            out.removeSubrange(element.whole)
        }
        let prefix = root.attributes.first { $0.key.hasPrefix("xmlns:") && $0.value == namespace }.map { String($0.key.dropFirst(6)) } ?? "openbadges"
        let name = ob3 ? "credential" : "assertion"
        let element: String
        if inVerifyAttribute {
            element = "<\(prefix):\(name) verify=\"\(escapeAttribute(text))\"></\(prefix):\(name)>"
        } else {
            element = "<\(prefix):\(name)><![CDATA[\(text.replacing("]]>", with: "]]]]><![CDATA[>"))]]></\(prefix):\(name)>"
        }
        var startTag = String(decoding: bytes[root.startTag], as: UTF8.self)
        let declared = root.attributes["xmlns:\(prefix)"] == namespace
        if !declared {
            if root.attributes["xmlns:\(prefix)"] != nil { throw DocumentError(.invalidSVG, "prefix \(prefix) is bound to another namespace") }
            let insertAt = startTag.index(startTag.endIndex, offsetBy: startTag.hasSuffix("/>") ? -2 : -1)
            startTag.insert(contentsOf: " xmlns:\(prefix)=\"\(namespace)\"", at: insertAt)
        }
        if startTag.hasSuffix("/>") { throw DocumentError(.invalidSVG, "the svg element is empty (self-closing)") }
        out.replaceSubrange(root.startTag, with: Array((startTag + element).utf8))
        return out
    }

    static func escapeAttribute(_ s: String) -> String {
        s.replacing("&", with: "&amp;").replacing("\"", with: "&quot;").replacing("<", with: "&lt;")
    }
}
