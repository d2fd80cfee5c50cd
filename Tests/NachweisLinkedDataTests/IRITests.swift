import NachweisLinkedData
import Testing

@Suite("IRIs (RFC 3986, RFC 3987)")
struct IRITests {
    /// RFC 3986 §5.4.1 and §5.4.2: every example, against the base `http://a/b/c/d;p?q`.
    static let examples: [(String, String)] = [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
        ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
        ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"), (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"),
        ("g;x?y#s", "http://a/b/c/g;x?y#s"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"),
        ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"),
        ("../../g", "http://a/g"),
        // Abnormal examples
        ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"), ("/../g", "http://a/g"),
        ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."), ("..g", "http://a/b/c/..g"),
        ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"), ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"),
        ("g;x=1/./y", "http://a/b/c/g;x=1/y"), ("g;x=1/../y", "http://a/b/c/y"), ("g?y/./x", "http://a/b/c/g?y/./x"),
        ("g?y/../x", "http://a/b/c/g?y/../x"), ("g#s/./x", "http://a/b/c/g#s/./x"), ("g#s/../x", "http://a/b/c/g#s/../x"),
        ("http:g", "http:g"),
    ]

    @Test("RFC 3986 §5.4 reference resolution examples", arguments: examples)
    func resolution(reference: String, target: String) {
        #expect(IRI.resolve(reference, against: "http://a/b/c/d;p?q") == target)
    }

    @Test("resolution keeps the text: no percent-encoding added, none removed, non-ASCII as is; dot segments in network paths")
    func textKept() {
        #expect(IRI.resolve("a b%zz/ü", against: "http://x/y/") == "http://x/y/a b%zz/ü")
        #expect(IRI.resolve("//h/a/./b/../c", against: "http://x/y/") == "http://h/a/c")
        #expect(IRI.resolve("", against: "http://x/y?q#f") == "http://x/y?q")
        #expect(IRI.resolve("#", against: "http://x/y") == "http://x/y#")
        #expect(IRI.resolve("?", against: "http://x/y?q") == "http://x/y?")
        #expect(IRI.resolve("x", against: "tag:example.org,2026:a/b") == "tag:example.org,2026:a/x")
    }

    @Test("well-formed absolute IRIs", arguments: [
        "http://example.org/a/b?c=d#e", "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6Mk",
        "did:web:uni.example:issuers:42", "https://münchen.example/straße?q=ä", "http://[::1]:8080/", "http://user:pw@host:1/%20x",
        "mailto:ada@example.org", "tag:example.org,2026:x", "http://example.com/vocabulary/./rel2#../parent", "https://a/b?\u{E000}",
    ])
    func wellFormed(_ iri: String) {
        #expect(IRI.isWellFormed(iri))
    }

    @Test("not well formed: what could break an N-Quads line or is not an IRI at all", arguments: [
        "relative/path", "", "urn:a> .\n<urn:b", "http://a b", "http://a/<x>", "http://a/\"", "http://a/{x}", "http://a/|",
        "http://a/^", "http://a/`", "http://a/\\", "http://a/%zz", "http://a/%2", "http://a/#x#y", "http://[::1/", "http://h:8o/",
        "1http://a", "http://a/\u{0}", "http://a/\u{7F}", "http://a/\u{E000}", "http:///\u{FFFF}", "//no-scheme",
    ])
    func notWellFormed(_ iri: String) {
        #expect(!IRI.isWellFormed(iri))
    }

    @Test("language tags: BCP 47's shape")
    func languageTags() {
        for tag in ["en", "de-DE", "en-US-x-private", "zh-Hant-TW", "i-klingon", "sgn-BE-FR", "x-whatever"] { #expect(LanguageTag.isWellFormed(tag), "\(tag)") }
        for tag in ["", "en US", "en-", "-en", "en--us", "toolongtag", "en-123456789", "1en", "en\n", "ü"] { #expect(!LanguageTag.isWellFormed(tag), "\(tag)") }
    }
}
