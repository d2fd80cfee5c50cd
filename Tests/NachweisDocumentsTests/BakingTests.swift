import Foundation
import NachweisDocuments
import NachweisJSON
import NachweisTestSupport
import Testing

@Suite("Badge baking")
struct BakingTests {
    /// A valid 2×2 RGBA PNG, built here: IHDR, one stored-deflate IDAT, IEND.
    static func basePNG() -> [UInt8] {
        let ihdr: [UInt8] = [0, 0, 0, 2, 0, 0, 0, 2, 8, 6, 0, 0, 0]
        let raw: [UInt8] = [0, 255, 0, 0, 255, 0, 0, 255, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        let adler = (b << 16) | a
        let length = UInt16(raw.count)
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            + raw + [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
        return PNGImage(chunks: [.init(type: "IHDR", data: ihdr), .init(type: "IDAT", data: zlib), .init(type: "IEND", data: [])]).bytes
    }

    static let baseSVG = Array(##"<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4" fill="#06c"/></svg>"##.utf8)

    static let ob3JSON = #"{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"type":["VerifiableCredential","OpenBadgeCredential"],"name":"A ]]> B & <c>","id":"urn:uuid:1"}"#
    static let jwt = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    static let ob2JSON = #"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://example.org/a/1","recipient":{"type":"email","hashed":false,"identity":"a@example.org"},"badge":"https://example.org/b","verification":{"type":"hosted"},"issuedOn":"2026-01-01T00:00:00Z"}"#

    @Test("PNG: bake and unbake OB 3.0 and OB 2.0, exactly; baking again replaces the credential")
    func png() throws {
        let baked = try PNGBaking.bake(Self.ob3JSON, keyword: PNGBaking.ob3Keyword, into: Self.basePNG())
        #expect(try PNGBaking.unbake(baked) == .init(keyword: "openbadgecredential", text: Self.ob3JSON))
        let chunks = try PNGImage(bytes: baked).chunks.map(\.type)
        #expect(chunks == ["IHDR", "IDAT", "iTXt", "IEND"])
        let again = try PNGBaking.bake(Self.jwt, keyword: PNGBaking.ob3Keyword, into: baked)
        #expect(try PNGBaking.unbake(again).text == Self.jwt)
        #expect(try PNGImage(bytes: again).chunks.filter { $0.type == "iTXt" }.count == 1)
        let ob2 = try PNGBaking.bake(Self.ob2JSON, keyword: PNGBaking.ob2Keyword, into: Self.basePNG())
        #expect(try PNGBaking.unbake(ob2) == .init(keyword: "openbadges", text: Self.ob2JSON))
    }

    @Test("SVG: JSON as CDATA (with ]]> inside), a JWS in verify, replacement, prefix declared once")
    func svg() throws {
        let baked = try SVGBaking.bake(Self.ob3JSON, ob3: true, inVerifyAttribute: false, into: Self.baseSVG)
        #expect(try SVGBaking.unbake(baked) == .init(isOB3: true, text: Self.ob3JSON, fromVerifyAttribute: false))
        let text = String(decoding: baked, as: UTF8.self)
        #expect(text.contains(#"xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0""#))
        let jwt = try SVGBaking.bake(Self.jwt, ob3: true, inVerifyAttribute: true, into: baked)
        #expect(try SVGBaking.unbake(jwt) == .init(isOB3: true, text: Self.jwt, fromVerifyAttribute: true))
        #expect(String(decoding: jwt, as: UTF8.self).components(separatedBy: "xmlns:openbadges=").count == 2)
        let ob2 = try SVGBaking.bake(Self.ob2JSON, ob3: false, inVerifyAttribute: false, into: Self.baseSVG)
        #expect(try SVGBaking.unbake(ob2).text == Self.ob2JSON)
        #expect(try FormatDetector().detect(ob2).format == .ob2Hosted)
    }

    @Test("the baked samples in the reference folder unbake", arguments: [
        "openbadges/ob3/validator-samples/simple-json.png", "openbadges/ob3/validator-samples/simple-json.svg",
        "openbadges/ob3/validator-samples/simple-jwt.png", "openbadges/ob3/validator-samples/simple-jwt.svg",
        "openbadges/ob3/validator-samples/simple-jwt_v1.png", "openbadges/ob3/validator-samples/simple-jwt_v1.svg",
        "openbadges/ob2/validator-samples/simple-badge.png",
    ])
    func referenceImages(path: String) throws {
        let bytes = try Docs.reference(path)
        let text = PNGImage.hasSignature(bytes) ? try PNGBaking.unbake(bytes).text : try SVGBaking.unbake(bytes).text
        #expect(!text.isEmpty)
        _ = try FormatDetector().detect(Array(text.utf8))
    }

    // MARK: Interop

    static func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test("images baked by Nachweis unbake in openbadges-bakery (OB 2.0) and openbadgeslib (OB 3.0)")
    func ourImagesInPeers() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let files = [
            try Self.write(try PNGBaking.bake(Self.ob2JSON, keyword: PNGBaking.ob2Keyword, into: Self.basePNG()), "ob2.png", in: dir),
            try Self.write(try SVGBaking.bake(Self.ob2JSON, ob3: false, inVerifyAttribute: false, into: Self.baseSVG), "ob2.svg", in: dir),
            try Self.write(try PNGBaking.bake(Self.ob3JSON, keyword: PNGBaking.ob3Keyword, into: Self.basePNG()), "ob3.png", in: dir),
            try Self.write(try SVGBaking.bake(Self.jwt, ob3: true, inVerifyAttribute: true, into: Self.baseSVG), "ob3-jwt.svg", in: dir),
            try Self.write(try SVGBaking.bake(Self.ob3JSON, ob3: true, inVerifyAttribute: false, into: Self.baseSVG), "ob3-json.svg", in: dir),
        ]
        let results = try Docs.peer("baking_peer.py", ["tasks": [
            ["op": "bakery_unbake", "path": .string(files[0])], ["op": "bakery_unbake", "path": .string(files[1])],
            ["op": "obl_unbake", "path": .string(files[2])], ["op": "obl_unbake", "path": .string(files[3])],
            ["op": "obl_unbake", "path": .string(files[4])],
        ]])
        try #require(results.count == 5)
        #expect(results[0]["text"] == .string(Self.ob2JSON), "\(results[0])")
        #expect(results[1]["text"] == .string(Self.ob2JSON), "\(results[1])")
        #expect(results[2]["text"] == .string(Self.ob3JSON), "\(results[2])")
        #expect(results[3]["text"] == .string(Self.jwt), "\(results[3])")
        #expect(results[4]["text"] == .string(Self.ob3JSON), "\(results[4])")
    }

    @Test("images baked by the peers unbake in Nachweis")
    func peerImagesInNachweis() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let png = try Self.write(Self.basePNG(), "base.png", in: dir), svg = try Self.write(Self.baseSVG, "base.svg", in: dir)
        let out = (0..<4).map { dir.appendingPathComponent("peer-\($0)").path }
        let results = try Docs.peer("baking_peer.py", ["tasks": [
            ["op": "bakery_bake", "image": .string(png), "text": .string(Self.ob2JSON), "out": .string(out[0])],
            ["op": "bakery_bake", "image": .string(svg), "text": .string(Self.ob2JSON), "out": .string(out[1])],
            ["op": "obl_bake", "image": .string(png), "text": .string(Self.jwt), "out": .string(out[2])],
            ["op": "obl_bake", "image": .string(svg), "text": .string(Self.jwt), "out": .string(out[3])],
        ]])
        #expect(results.allSatisfy { $0["ok"] == true }, "\(results)")
        let texts = try out.map { path -> String in
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            return PNGImage.hasSignature(bytes) ? try PNGBaking.unbake(bytes).text : try SVGBaking.unbake(bytes).text
        }
        #expect(texts[0] == Self.ob2JSON)
        // openbadges-bakery puts the assertion id in `verify` and the JSON in CDATA: the CDATA is the credential.
        #expect(texts[1] == Self.ob2JSON)
        #expect(texts[2] == Self.jwt)
        #expect(texts[3] == Self.jwt)
    }

    // MARK: Hostile images

    @Test("truncated PNGs are typed errors wherever they are cut")
    func truncated() throws {
        let baked = try PNGBaking.bake(Self.ob3JSON, keyword: PNGBaking.ob3Keyword, into: Self.basePNG())
        for length in stride(from: 0, to: baked.count, by: 7) {
            let error = #expect(throws: DocumentError.self) { try PNGBaking.unbake(Array(baked.prefix(length))) }
            #expect([.pngTruncated, .invalidPNG].contains(error?.code), "cut at \(length): \(String(describing: error))")
        }
    }

    @Test("a wrong CRC is png.crc_mismatch")
    func wrongCRC() throws {
        var baked = try PNGBaking.bake(Self.ob3JSON, keyword: PNGBaking.ob3Keyword, into: Self.basePNG())
        baked[baked.count - 20] ^= 0x01  // inside the iTXt text
        #expect((#expect(throws: DocumentError.self) { try PNGBaking.unbake(baked) })?.code == .pngCRC)
    }

    @Test("two credential chunks are baking.multiple_credentials")
    func twoChunks() throws {
        var png = try PNGImage(bytes: try PNGBaking.bake(Self.ob3JSON, keyword: PNGBaking.ob3Keyword, into: Self.basePNG()))
        png.chunks.insert(.init(type: "iTXt", data: Array("openbadges".utf8) + [0, 0, 0, 0, 0] + Array(Self.ob2JSON.utf8)), at: 1)
        #expect((#expect(throws: DocumentError.self) { try PNGBaking.unbake(png.bytes) })?.code == .multipleCredentials)
        var svg = String(decoding: try SVGBaking.bake(Self.jwt, ob3: true, inVerifyAttribute: true, into: Self.baseSVG), as: UTF8.self)
        svg = svg.replacing("</svg>", with: #"<openbadges:credential verify="a.b.c"></openbadges:credential></svg>"#)
        #expect((#expect(throws: DocumentError.self) { try SVGBaking.unbake(Array(svg.utf8)) })?.code == .multipleCredentials)
    }

    @Test("a compressed credential chunk, a chunk before IHDR and a bad signature are png.invalid")
    func oddPNGs() throws {
        var png = try PNGImage(bytes: Self.basePNG())
        png.chunks.insert(.init(type: "iTXt", data: Array("openbadgecredential".utf8) + [0, 1, 0, 0, 0, 0x78, 0x9C]), at: 1)
        #expect((#expect(throws: DocumentError.self) { try PNGBaking.unbake(png.bytes) })?.code == .invalidPNG)
        png.chunks.insert(.init(type: "tEXt", data: Array("a".utf8) + [0]), at: 0)
        #expect((#expect(throws: DocumentError.self) { try PNGImage(bytes: png.bytes) })?.code == .invalidPNG)
        #expect((#expect(throws: DocumentError.self) { try PNGImage(bytes: [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0]) })?.code == .invalidPNG)
    }

    @Test("SVGs with a DTD, an internal subset, a SYSTEM DOCTYPE or entities are refused", arguments: [
        (#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>"#, DocumentError.Code.svgDTD),
        (#"<!DOCTYPE svg SYSTEM "http://evil.example/x.dtd"><svg xmlns="http://www.w3.org/2000/svg"/>"#, .svgDTD),
        (#"<!DOCTYPE html><svg xmlns="http://www.w3.org/2000/svg"/>"#, .svgDTD),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>"#, .svgEntity),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><!ENTITY lol "lol"></svg>"#, .svgEntity),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><g></svg>"#, .invalidSVG),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><g a="1" a="2"/></svg>"#, .invalidSVG),
        (#"<svg xmlns="http://www.w3.org/2000/svg"></svg>"#, .noCredential),
    ])
    func hostileSVG(text: String, code: DocumentError.Code) {
        #expect((#expect(throws: DocumentError.self) { try SVGBaking.unbake(Array(text.utf8)) })?.code == code)
    }

    @Test("the standard SVG 1.1 DOCTYPE (no internal subset) is accepted and never fetched")
    func standardDoctype() throws {
        let text = #"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="a.b.c"/></svg>"#
        #expect(try SVGBaking.unbake(Array(text.utf8)).text == "a.b.c")
    }

    @Test("seeded random damage to baked PNGs and SVGs never crashes")
    func randomDamage() throws {
        var rng = SeededGenerator(seed: 0xBA4E)
        let png = try PNGBaking.bake(Self.ob3JSON, keyword: PNGBaking.ob3Keyword, into: Self.basePNG())
        let svg = try SVGBaking.bake(Self.ob3JSON, ob3: true, inVerifyAttribute: false, into: Self.baseSVG)
        for i in 0..<10_000 {
            let input = rng.mutate(i % 2 == 0 ? png : svg)
            // detect throws only DocumentError (typed throws): reaching the end of the loop is the property.
            _ = try? FormatDetector().detect(input)
        }
    }
}

@Suite("Bad input")
struct BadInputTests {
    @Test("a 50 MB body is document.too_large before anything is parsed")
    func huge() {
        let body = [UInt8](repeating: UInt8(ascii: " "), count: 50 << 20)
        #expect((#expect(throws: DocumentError.self) { try FormatDetector().detect(body) })?.code == .tooLarge)
        var png = PNGImage.signature
        png += [UInt8](repeating: 0, count: 50 << 20)
        #expect((#expect(throws: DocumentError.self) { try FormatDetector().detect(png) })?.code == .tooLarge)
    }

    @Test("JSON nested 100 000 deep is a typed error, not a stack overflow")
    func deep() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: DocumentError.self) { try FormatDetector().detect(Array(("{\"a\":" + text + "}").utf8)) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("deeper") ?? false)
    }

    @Test("duplicate member names are document.malformed_json with the offset")
    func duplicateKeys() {
        let error = #expect(throws: DocumentError.self) {
            try FormatDetector().detect(Array(#"{"type":["VerifiableCredential"],"type":"x"}"#.utf8))
        }
        #expect(error?.code == .malformedJSON)
        #expect(error?.message.contains("byte 33") ?? false, "\(String(describing: error))")
    }

    @Test("a JWS with three hundred segments is refused as not a credential")
    func manySegments() {
        let token = Array(repeating: "eyJhbGciOiJFZERTQSJ9", count: 300).joined(separator: ".")
        let error = #expect(throws: DocumentError.self) { try FormatDetector().detect(Array(token.utf8)) }
        #expect(error?.code == .notACredential)
        #expect(error?.message.contains("after the JWS signature") ?? false, "\(String(describing: error))")
    }

    @Test("empty input, a bare URL, and plain text are refused with the reason")
    func notCredentials() {
        for (input, reason) in [("", "empty"), ("  https://example.org/badge  ", "URL"), ("hello world", "expected JSON")] {
            let error = #expect(throws: DocumentError.self) { try FormatDetector().detect(Array(input.utf8)) }
            #expect(error?.code == .notACredential)
            #expect(error?.message.contains(reason) ?? false, "\(String(describing: error))")
        }
    }
}
