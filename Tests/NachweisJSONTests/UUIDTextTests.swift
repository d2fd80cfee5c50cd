import Foundation
import NachweisJSON
import Testing

@Suite("UUID text")
struct UUIDTextTests {
    @Test("lower-case text equals Foundation's uuidString lower-cased: 10 000 random ids, all zeros, all ones, each nibble value")
    func lowercased() {
        var ids = (0..<10_000).map { _ in UUID() }
        ids.append(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        ids.append(UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)))
        for nibble in UInt8(0)...15 {
            let byte = nibble << 4 | nibble
            ids.append(UUID(uuid: (byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte)))
        }
        for id in ids { #expect(id.lowercasedText == id.uuidString.lowercased()) }
        #expect(UUID(uuidString: "6FA459EA-EE8A-3CA4-894E-DB77E160355E")?.lowercasedText == "6fa459ea-ee8a-3ca4-894e-db77e160355e")
    }
}
