import ArgumentParser
import Foundation
import NachweisDocuments

struct BakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bake",
        abstract: "Bake a credential into a PNG or SVG badge image (Open Badges baking).",
        discussion: """
            OB 3.0 credentials go in an iTXt chunk `openbadgecredential` (PNG) or an `openbadges:credential` element \
            (SVG); OB 2.0 assertions in `openbadges` / `openbadges:assertion`. JSON is embedded as given (trailing \
            white space dropped); a compact JWS goes in the SVG element's verify attribute. A credential already \
            baked into the image is replaced.
            """
    )

    @Option(help: "The badge image (PNG or SVG).") var image: String
    @Option(help: "The credential: OB 3.0 JSON or VC-JWT, OB 2.0 assertion JSON or signed JWS.") var credential: String
    @Option(help: "Where to write the baked image.") var out: String

    func run() throws {
        try exitingOnUsageFailure {
            let imageBytes = try CLIIO.readFile(image)
            let credentialBytes = try CLIIO.readFile(credential)
            let text = String(decoding: credentialBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let detected: DetectedCredential
            do { detected = try FormatDetector().detect(Array(text.utf8)) } catch { throw UsageFailure("\(credential): \(error)") }
            guard detected.container == nil else { throw UsageFailure("\(credential) is itself a baked image; unbake it first") }
            let isOB3: Bool
            switch detected.format {
            case .ob3JSONLD, .ob3JWT: isOB3 = true
            case .ob2Hosted, .ob2Signed: isOB3 = false
            case .edcJAdES, .edcJSONLD: throw UsageFailure("Europass credentials are not baked into images")
            }
            let isJWS = detected.jws != nil
            let baked: [UInt8]
            do {
                if PNGImage.hasSignature(imageBytes) {
                    baked = try PNGBaking.bake(text, keyword: isOB3 ? PNGBaking.ob3Keyword : PNGBaking.ob2Keyword, into: imageBytes)
                } else {
                    baked = try SVGBaking.bake(text, ob3: isOB3, inVerifyAttribute: isJWS, into: imageBytes)
                }
            } catch { throw UsageFailure("\(image): \(error)") }
            guard FileManager.default.createFile(atPath: out, contents: Data(baked)) else { throw UsageFailure("cannot write \(out)") }
            CLIIO.write("baked \(detected.format.rawValue) into \(out)\n")
        }
    }
}

struct UnbakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unbake",
        abstract: "Print the credential baked into a PNG or SVG badge, exactly as embedded."
    )

    @Argument(help: "The badge image (PNG or SVG).") var image: String

    func run() throws {
        try exitingOnUsageFailure {
            let bytes = try CLIIO.readFile(image)
            do {
                if PNGImage.hasSignature(bytes) {
                    CLIIO.write(try PNGBaking.unbake(bytes).text)
                } else {
                    CLIIO.write(try SVGBaking.unbake(bytes).text)
                }
            } catch { throw UsageFailure("\(image): \(error)") }
        }
    }
}
