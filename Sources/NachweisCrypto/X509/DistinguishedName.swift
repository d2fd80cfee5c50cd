/// A subject or issuer name: its attributes in order.
public struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    public struct Attribute: Sendable, Hashable {
        /// Dotted OID, e.g. `2.5.4.97` for organizationIdentifier.
        public let oid: String
        /// OpenSSL's short name (`CN`, `O`, `C`, `organizationIdentifier`), when it knows one.
        public let shortName: String?
        public let value: String
    }

    public let attributes: [Attribute]

    /// The first value of an attribute by OID.
    public func value(oid: String) -> String? { attributes.first { $0.oid == oid }?.value }

    public var commonName: String? { value(oid: "2.5.4.3") }
    public var organization: String? { value(oid: "2.5.4.10") }
    public var country: String? { value(oid: "2.5.4.6") }
    /// ETSI EN 319 412-1 organization identifier (e.g. `VATBE-0123456789`), OID 2.5.4.97.
    public var organizationIdentifier: String? { value(oid: "2.5.4.97") }

    /// `CN=…, O=…` in certificate order.
    public var description: String {
        attributes.map { "\($0.shortName ?? $0.oid)=\($0.value)" }.joined(separator: ", ")
    }
}
