import Foundation
/// A JSON object: members in the order they were received or added; keys are unique.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One member of an object.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }

        /// Names by code points (see `String.hasSameCodePoints(as:)`).
        public static func == (a: Member, b: Member) -> Bool { a.key.hasSameCodePoints(as: b.key) && a.value == b.value }

        public func hash(into hasher: inout Hasher) {
            key.hashCodePoints(into: &hasher)
            hasher.combine(value)
        }
    }

    public private(set) var members: [Member]

    public init() { members = [] }

    /// Builds an object from members; a later duplicate key replaces the earlier value in place.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        members = []
        for (key, value) in pairs { self[key] = value }
    }

    /// Builds an object from members already known to have unique keys (the parser checks).
    init(uniqueMembers: [Member]) { members = uniqueMembers }

    public var count: Int { members.count }
    public var keys: [String] { members.map(\.key) }

    /// The value of a member; setting nil removes it, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = index(of: key) else { return nil }
            return members[index].value
        }
        set {
            let index = index(of: key)
            switch (index, newValue) {
            case (let i?, let v?): members[i].value = v
            case (let i?, nil): members.remove(at: i)
            case (nil, let v?): members.append(Member(key: key, value: v))
            case (nil, nil): break
            }
        }
    }

    /// Whether a member has this name (nothing copied out of the object to tell).
    public func contains(key: String) -> Bool { index(of: key) != nil }

    /// Where the member with this name is. Read in place by position: a loop binding each member copied its name and
    /// value (a retain and a release of each) only to compare the name. Lengths first: most members differ in length,
    /// and comparing two long strings costs more than that. Names are compared by code points (JSON has no canonical
    /// equivalence).
    func index(of key: String) -> Int? {
        let length = key.utf8.count
        for index in members.indices where members[index].key.utf8.count == length && members[index].key.hasSameCodePoints(as: key) {
            return index
        }
        return nil
    }

    /// Whether both are copies of one value — the same storage, not only equal members. A test in constant time for
    /// objects a caller knows to be shared (see `SchemaMemo`); false for empty objects, which all look alike.
    public func isIdentical(to other: JSONObject) -> Bool {
        members.withUnsafeBufferPointer { a in
            other.members.withUnsafeBufferPointer { b in a.count > 0 && a.count == b.count && a.baseAddress == b.baseAddress }
        }
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// `["a": 1, "b": "x"]`, in the written order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}

extension String {
    /// Equality by code points, as JSON and JSON-LD compare names: Swift's `==` takes canonically equivalent strings as
    /// equal ("é" and "e\u{301}"), which JSON does not. Compares the UTF-8 bytes in place.
    @inlinable
    public func hasSameCodePoints(as other: String) -> Bool {
        let a = utf8, b = other.utf8
        // Byte-equal strings are equal to Swift too, so Swift's comparison (memcmp for ASCII) rules out most pairs;
        // only a pair it takes as equal has its bytes compared.
        guard a.count == b.count, self == other else { return false }
        if let equal = a.withContiguousStorageIfAvailable({ x in
            b.withContiguousStorageIfAvailable { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }), let equal { return equal }
        return a.elementsEqual(b)
    }
}
