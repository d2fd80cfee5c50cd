import Foundation
import NachweisStatus
import NachweisTestSupport
import Testing

@Suite("Bitstring status lists")
struct BitstringTests {
    @Test("bit order: index 0 is the most significant bit of the first byte")
    func bitOrder() {
        var bits = Bitstring(size: 16)
        bits[0] = true
        bits[9] = true
        #expect(bits.bytes == [0x80, 0x40])
        bits[0] = false
        #expect(bits.bytes == [0x00, 0x40] && bits.setIndices == [9])
    }

    @Test("encodedList round-trips and an independent Python decoder reads exactly the set bits")
    func interop() throws {
        var bits = Bitstring(size: Bitstring.minimumSize)
        let set = [0, 7, 8, 42, 65_535, 131_071]
        for index in set { bits[index] = true }
        let encoded = bits.encoded
        #expect(encoded.hasPrefix("u") && encoded.count < 400)
        #expect(try Bitstring(encoded: encoded) == bits)
        let request = #"{"encodedList": "\#(encoded)", "indices": [0, 1, 7, 8, 42, 43, 65535, 131071]}"#
        let result = try runProcess(try TestEnvironment.python(), [TestEnvironment.interopScript("status_peer.py")], input: Data(request.utf8))
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.output == #"{"size": 131072, "set": [0, 7, 8, 42, 65535, 131071], "all": [0, 7, 8, 42, 65535, 131071]}"# + "\n")
    }

    @Test("hostile or broken encodedLists are refused: no multibase prefix, bad base64url, not gzip, truncated, a gzip bomb")
    func hostile() throws {
        let good = Bitstring(size: 1024).encoded
        let bomb = Bitstring(size: 8 * (Bitstring.maximumBytes + 1))  // 16 MiB of zeros: compresses to ~16 KiB
        for encoded in [String(good.dropFirst()), "z" + good.dropFirst(), "u!!!", "u" + "AAAA", String(good.prefix(good.count - 6)), bomb.encoded] {
            #expect(throws: StatusError.self, "\(encoded.prefix(40))") { try Bitstring(encoded: encoded) }
        }
    }
}
