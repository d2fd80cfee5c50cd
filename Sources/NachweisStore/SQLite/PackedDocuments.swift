import CZlib
import Foundation
import GRDB
import NachweisCrypto
import Synchronization

/// Issued documents at rest, stored as their differences from a dictionary: an earlier document of the same
/// achievement and format.
///
/// Credentials of one achievement repeat each other almost entirely — contexts, the issuer's profile, the achievement,
/// the status list URLs — and differ in ids, dates, the salted recipient hash, status indexes and the signature. As
/// copies from an earlier one plus what is new, a VC-JWT of 2.5 KB keeps about 400 bytes, so several rows share a 4 KiB
/// page where one row filled a page alone: fewer pages written to the log and checkpointed per credential, which is
/// most of what a credential costs after its signature (docs/benchmarks.md). A compact JWS is packed with its payload
/// decoded (the JSON lines up with the dictionary's; base64url shifts with every byte before it) and given back byte
/// for byte: our base64url decoder takes only the canonical form, so encoding the decoded payload again gives the very
/// segment that was signed.
///
/// Deflate (zlib, level 1, with the dictionary preset) packs to half that size but cost 15–20 µs a credential under
/// load — more than the pages it saved; this byte-level copy encoding costs about a microsecond.
///
/// The packed value: a layout byte, the plain length (LEB128), the Adler-32 of the layout byte and the plain bytes (so
/// a wrong dictionary or a damaged row is an error, never a different document), then runs: a literal length (LEB128) and that many bytes,
/// then — unless the plain bytes are complete — a copy length and a dictionary offset (LEB128 each).
enum DocumentPacking {
    /// How the plain bytes were made from the document's text.
    enum Layout: UInt8 {
        /// The text's UTF-8.
        case text = 0
        /// A compact JWS: the header segment, the decoded payload and the signature segment, the first two with
        /// their lengths (LEB128).
        case compactJWS = 1
    }

    /// The largest document stored (the store refuses larger ones); a plain length read back is checked against it.
    static let maximumPlain = 64 << 20
    /// The longest dictionary (the end of a longer first document): an achievement's documents are a few KiB, a
    /// Europass credential some tens.
    static let maximumDictionary = 64 << 10

    /// The bytes that are packed: a compact JWS (when `jws`) with its payload decoded, otherwise the UTF-8.
    static func plain(_ document: String, jws: Bool) -> (Layout, [UInt8]) {
        guard jws else { return (.text, Array(document.utf8)) }
        var document = document
        return document.withUTF8 { utf8 -> (Layout, [UInt8]) in
            // The dots found with memchr: a loop over each byte of the 2.4 KB of a VC-JWT was half the cost of this.
            func dot(after start: Int) -> Int? {
                guard start < utf8.count, let base = utf8.baseAddress,
                      let found = memchr(base + start, Int32(UInt8(ascii: ".")), utf8.count - start) else { return nil }
                return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            guard let first = dot(after: 0), let second = dot(after: first + 1), dot(after: second + 1) == nil,
                  let payload = try? Base64URL.decode(utf8: UnsafeBufferPointer(rebasing: utf8[(first + 1) ..< second])) else {
                return (.text, Array(utf8))
            }
            let dots = (first: first, second: second)
            var plain: [UInt8] = []
            plain.reserveCapacity(utf8.count)
            appendLength(dots.first, to: &plain)
            plain += utf8[..<dots.first]
            appendLength(payload.count, to: &plain)
            plain += payload
            plain += utf8[(dots.second + 1)...]
            return (.compactJWS, plain)
        }
    }

    /// The document's text from its plain bytes.
    static func document(_ layout: Layout, _ plain: [UInt8]) throws(StoreError) -> String {
        switch layout {
        case .text:
            return String(decoding: plain, as: UTF8.self)
        case .compactJWS:
            var position = 0
            let headerCount = try readLength(plain, &position)
            guard headerCount <= plain.count - position else { throw damaged("a JWS header longer than the document") }
            let header = plain[position ..< position + headerCount]
            position += headerCount
            let payloadCount = try readLength(plain, &position)
            guard payloadCount <= plain.count - position else { throw damaged("a JWS payload longer than the document") }
            let payload = plain[position ..< position + payloadCount]
            let signature = plain[(position + payloadCount)...]
            return String(decoding: header, as: UTF8.self) + "." + Base64URL.encode(payload) + "." + String(decoding: signature, as: UTF8.self)
        }
    }

    /// Set in the layout byte of values whose checksum covers the layout byte too (all written since the layout byte
    /// alone, changed from JWS to text, read as a different document whose checksum held); values without it are rows
    /// written before, checked over the plain bytes only.
    static let checkedLayout: UInt8 = 2

    static func checksum(_ layoutByte: UInt8, _ plain: [UInt8]) -> UInt32 {
        var start: UInt = 1
        if layoutByte & checkedLayout != 0 { start = withUnsafePointer(to: layoutByte) { adler32_z(1, $0, 1) } }
        return plain.withUnsafeBufferPointer { UInt32(adler32_z(start, $0.baseAddress, $0.count)) }
    }

    /// The packed value of `plain` against `dictionary` (indexed by ``index(_:)``).
    static func pack(_ layout: Layout, _ plain: [UInt8], dictionary: [UInt8], index: [Int32]) -> [UInt8] {
        let layoutByte = layout.rawValue | checkedLayout
        var packed: [UInt8] = [layoutByte]
        packed.reserveCapacity(plain.count / 4 + 64)
        appendLength(plain.count, to: &packed)
        let checksum = checksum(layoutByte, plain)
        packed += [UInt8(truncatingIfNeeded: checksum >> 24), UInt8(truncatingIfNeeded: checksum >> 16),
                   UInt8(truncatingIfNeeded: checksum >> 8), UInt8(truncatingIfNeeded: checksum)]
        plain.withUnsafeBytes { input in
            dictionary.withUnsafeBytes { dictionary in
                index.withUnsafeBufferPointer { index in encode(input, dictionary, index, into: &packed) }
            }
        }
        return packed
    }

    /// The document a packed value holds; `dictionary` must be the one it was packed against (checked).
    static func unpack(_ packed: [UInt8], dictionary: [UInt8]) throws(StoreError) -> String {
        guard let first = packed.first, first & ~(checkedLayout | 1) == 0, let layout = Layout(rawValue: first & 1) else {
            throw damaged("an unknown layout")
        }
        var position = 1
        let count = try readLength(packed, &position)
        guard packed.count - position >= 4 else { throw damaged("no checksum") }
        let checksum = packed[position ..< position + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        position += 4
        var plain: [UInt8] = []
        plain.reserveCapacity(count)
        while true {
            let literals = try readLength(packed, &position)
            guard literals <= packed.count - position, literals <= count - plain.count else { throw damaged("a run past the end") }
            plain += packed[position ..< position + literals]
            position += literals
            if plain.count == count { break }
            let length = try readLength(packed, &position)
            let offset = try readLength(packed, &position)
            guard length > 0, length <= count - plain.count, offset <= dictionary.count, length <= dictionary.count - offset else {
                throw damaged("a copy outside the dictionary or past the end")
            }
            plain += dictionary[offset ..< offset + length]
        }
        guard position == packed.count else { throw damaged("bytes after the end") }
        guard Self.checksum(first, plain) == checksum else {
            throw damaged("the checksum differs (not the dictionary it was packed against, or a damaged row)")
        }
        return try document(layout, plain)
    }

    /// Where 8-byte sequences of a dictionary start, by hash (the first occurrence; −1 where none).
    static func index(_ dictionary: [UInt8]) -> [Int32] {
        var index = [Int32](repeating: -1, count: 1 << hashBits)
        dictionary.withUnsafeBytes { bytes in
            guard bytes.count >= 8 else { return }
            for offset in stride(from: bytes.count - 8, through: 0, by: -1) {
                index[hash(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))] = Int32(offset)
            }
        }
        return index
    }

    private static let hashBits = 13

    @inline(__always)
    private static func hash(_ word: UInt64) -> Int {
        Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - hashBits))
    }

    /// Greedy runs: where 8 bytes of the input equal 8 of the dictionary — first where the previous copy would
    /// continue (documents of one achievement line up), else where the index says — the copy is stretched both ways.
    private static func encode(_ input: UnsafeRawBufferPointer, _ dictionary: UnsafeRawBufferPointer, _ index: UnsafeBufferPointer<Int32>,
                               into packed: inout [UInt8]) {
        var literalStart = 0
        var position = 0
        var expected = 0  // the dictionary offset that lines up with `position` after the previous copy
        let end = input.count - 8
        while position <= end {
            let word = input.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            var match = -1
            if expected <= dictionary.count - 8, dictionary.loadUnaligned(fromByteOffset: expected, as: UInt64.self) == word {
                match = expected
            } else {
                let candidate = Int(index[hash(word)])
                if candidate >= 0, dictionary.loadUnaligned(fromByteOffset: candidate, as: UInt64.self) == word { match = candidate }
            }
            guard match >= 0 else {
                position += 1
                expected += 1
                continue
            }
            var start = position, from = match
            while start > literalStart, from > 0, input[start - 1] == dictionary[from - 1] { start -= 1; from -= 1 }
            var stop = position + 8, to = match + 8
            while stop <= input.count - 8, to <= dictionary.count - 8 {
                let difference = input.loadUnaligned(fromByteOffset: stop, as: UInt64.self) ^ dictionary.loadUnaligned(fromByteOffset: to, as: UInt64.self)
                if difference != 0 {
                    let same = difference.trailingZeroBitCount / 8
                    stop += same; to += same
                    break
                }
                stop += 8; to += 8
            }
            while stop < input.count, to < dictionary.count, input[stop] == dictionary[to] { stop += 1; to += 1 }
            appendLength(start - literalStart, to: &packed)
            packed += input[literalStart ..< start]
            appendLength(stop - start, to: &packed)
            appendLength(from, to: &packed)
            literalStart = stop
            position = stop
            expected = to
        }
        appendLength(input.count - literalStart, to: &packed)
        packed += input[literalStart...]
    }

    static func damaged(_ what: String) -> StoreError {
        StoreError(.database, "a stored document cannot be unpacked: \(what)")
    }

    static func appendLength(_ value: Int, to bytes: inout [UInt8]) {
        Varint.append(UInt64(value), to: &bytes)
    }

    static func readLength(_ bytes: [UInt8], _ position: inout Int) throws(StoreError) -> Int {
        guard let (value, count) = Varint.decode(bytes, at: position), value <= UInt64(maximumPlain) else {
            throw damaged("a length cut short, not minimal or over \(maximumPlain)")
        }
        position += count
        return Int(value)
    }
}

/// The dictionaries documents are packed against: for each achievement and format the one new documents use, and
/// every dictionary by id, for reading. A dictionary is made from a credential that has been stored — the first one
/// of its achievement and format in this process (or the newest dictionary stored for them is taken up), and later one
/// that packed poorly (an achievement or issuer profile changed) — never from a request that might yet be refused:
/// what a refused request sent leaves nothing behind. Until the first dictionary of a key exists its documents are
/// stored as text. Dictionaries are rows of their own, never changed or removed while a credential names them.
final class DocumentDictionaries: Sendable {
    struct Key: Hashable, Sendable {
        let achievementID: UUID
        let format: IssuedCredential.Format
    }

    struct Dictionary: Sendable {
        let id: Int64
        let bytes: [UInt8]
        /// Where its 8-byte sequences start (``DocumentPacking/index(_:)``), made once.
        let index: [Int32]

        init(id: Int64, bytes: [UInt8]) {
            self.id = id
            self.bytes = bytes
            index = DocumentPacking.index(bytes)
        }
    }

    /// How a document is to be stored, and whether its credential, once stored, makes the key's next dictionary.
    struct Packing: Sendable {
        /// Nil: as text.
        let packed: (bytes: [UInt8], dictionaryID: Int64)?
        /// The plain bytes of a document whose stored credential makes the next dictionary.
        let maker: [UInt8]?
    }

    private enum Slot {
        /// In use, with how many documents were packed against it since it was chosen, and whether a credential
        /// packed poorly against it is on its way to making the next.
        case ready(Dictionary, packed: Int, replacing: Bool)
        /// None yet: a credential on its way is to make the first.
        case awaitingFirst
    }

    /// A dictionary is replaced when a document packs to more than half its plain size (a VC-JWT of an unchanged
    /// achievement packs to a fifth, an RS256 OB 2.0 assertion — a long signature — to about a third), and only after
    /// this many documents used it (so that documents unlike each other make at most one dictionary per that many).
    static let replacementAfter = 100

    private let writer: any DatabaseWriter
    private let current = Mutex<[Key: Slot]>([:])
    private let byID = Mutex<[Int64: [UInt8]]>([:])

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// How to store a document: packed against its key's dictionary, or as text while there is none.
    func pack(_ document: String, key: Key) throws(StoreError) -> Packing {
        let (layout, plain) = DocumentPacking.plain(document, jws: !key.format.isJSON)
        guard plain.count <= DocumentPacking.maximumPlain else {
            throw StoreError(.constraint, "a document of \(plain.count) bytes is larger than the store keeps (\(DocumentPacking.maximumPlain))")
        }
        let (dictionary, first) = current.withLock { slots -> (Dictionary?, Bool) in
            switch slots[key] {
            case .ready(let dictionary, let packed, let replacing):
                slots[key] = .ready(dictionary, packed: packed + 1, replacing: replacing)
                return (dictionary, false)
            case .awaitingFirst:
                return (nil, false)
            case nil:
                slots[key] = .awaitingFirst
                return (nil, true)
            }
        }
        guard let dictionary else { return Packing(packed: nil, maker: first ? plain : nil) }
        let packed = DocumentPacking.pack(layout, plain, dictionary: dictionary.bytes, index: dictionary.index)
        var maker: [UInt8]?
        if packed.count * 2 > plain.count {
            maker = current.withLock { slots -> [UInt8]? in
                guard case .ready(let held, let count, false) = slots[key], held.id == dictionary.id, count >= Self.replacementAfter else { return nil }
                slots[key] = .ready(held, packed: count, replacing: true)
                return plain
            }
        }
        return Packing(packed: (packed, dictionary.id), maker: maker)
    }

    /// After the credential was stored (`stored`) or refused: a maker's stored document becomes the key's dictionary
    /// (the newest stored one is taken up instead when this process has none yet); a refused maker leaves the
    /// making to the next document.
    func settle(maker plain: [UInt8], of packing: Packing, key: Key, stored: Bool) async {
        let first = packing.packed == nil
        if stored {
            do {
                let dictionary = try await SQLiteErrors.write(writer, "storing a document dictionary") { db in
                    try Self.store(key, plain: plain, reuseStored: first, db)
                }
                remember(dictionary.id, dictionary.bytes)
                current.withLock { $0[key] = .ready(dictionary, packed: 0, replacing: false) }
                return
            } catch {}  // documents keep what they had; the next one tries again
        }
        current.withLock { slots in
            switch slots[key] {
            case .awaitingFirst: slots[key] = nil
            case .ready(let held, let count, true): slots[key] = .ready(held, packed: count, replacing: false)
            default: break
            }
        }
    }

    /// The dictionary with that id (in the caller's transaction when not held).
    func bytes(id: Int64, _ db: Database) throws -> [UInt8] {
        if let bytes = byID.withLock({ $0[id] }) { return bytes }
        guard let data = try Data.fetchOne(db, sql: "SELECT bytes FROM documentDictionary WHERE id = ?", arguments: [id]) else {
            throw StoreError(.database, "a stored document names dictionary \(id), which is not stored")
        }
        let bytes = Array(data)
        remember(id, bytes)
        return bytes
    }

    private func remember(_ id: Int64, _ bytes: [UInt8]) {
        byID.withLock { held in
            if held.count >= 256 { held.removeAll(keepingCapacity: true) }
            held[id] = bytes
        }
    }

    private static func store(_ key: Key, plain: [UInt8], reuseStored: Bool, _ db: Database) throws -> Dictionary {
        if reuseStored, let row = try Row.fetchOne(db, sql: """
            SELECT id, bytes FROM documentDictionary WHERE achievementID = ? AND format = ? ORDER BY id DESC LIMIT 1
            """, arguments: [key.achievementID, key.format.rawValue]) {
            return Dictionary(id: row["id"], bytes: Array(row["bytes"] as Data))
        }
        let bytes = Array(plain.suffix(DocumentPacking.maximumDictionary))
        try db.execute(sql: "INSERT INTO documentDictionary (achievementID, format, bytes, createdAt) VALUES (?, ?, ?, ?)",
                       arguments: [key.achievementID, key.format.rawValue, Data(bytes), Date().storageMilliseconds])
        return Dictionary(id: db.lastInsertedRowID, bytes: bytes)
    }
}
