import ArgumentParser
import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData

struct CanonicalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canonicalize",
        abstract: "Print the RDFC-1.0 canonical N-Quads of a JSON-LD document or an N-Quads dataset (.nq).",
        discussion: """
            JSON-LD contexts come from the ones Nachweis ships (W3C VC 1.1 and 2.0, Data Integrity, Multikey, status lists, \
            DID, Open Badges 2.0 and 3.0, Europass ELM), checked against their pinned digests, plus an optional context \
            map (--contexts PATH, or NACHWEIS_CONTEXTS): a JSON object from further context URLs to local files, or a folder \
            holding such a contexts.json. \
            Nothing is fetched. Members that no context defines are refused.
            Exit status: 0 printed; 1 canonicalization stopped at its work bound (a poison graph) or the document is \
            refused; 2 unreadable input or context map.
            """
    )

    enum HashOption: String, ExpressibleByArgument { case sha256, sha384 }

    @Argument(help: "A JSON-LD document, or an N-Quads file ending in .nq.") var path: String
    @Option(help: "Hash algorithm of the canonicalization: sha256 or sha384.") var hash: HashOption = .sha256
    @Option(help: "Context map file, or folder with contexts.json, adding contexts to the shipped ones (default: NACHWEIS_CONTEXTS).")
    var contexts: String?

    func run() throws {
        var code: Int32 = 0
        try exitingOnUsageFailure {
            let bytes = try CLIIO.readFile(path)
            let canonicalizer = RDFCanonicalizer(hash: hash == .sha384 ? .sha384 : .sha256)
            do {
                let quads: [RDFQuad]
                if path.hasSuffix(".nq") {
                    quads = try NQuads.parse(String(decoding: bytes, as: UTF8.self))
                } else {
                    let document: JSONValue
                    do { document = try JSONParser().parse(bytes) } catch { throw UsageFailure("\(path): \(error)") }
                    let mapPath = contexts ?? ProcessInfo.processInfo.environment["NACHWEIS_CONTEXTS"]
                    let loader: OfflineDocumentLoader
                    do { loader = try ShippedContexts.loader(adding: mapPath.map { URL(fileURLWithPath: $0) }) } catch {
                        throw UsageFailure("contexts: \(error)")
                    }
                    quads = try JSONLDProcessor(loader: loader).toRDF(document)
                }
                CLIIO.write(try canonicalizer.canonicalize(quads).nquads)
            } catch let error as LinkedDataError {
                if error.code == .invalidNQuads { throw UsageFailure("\(path): \(error)") }
                CLIIO.error("\(path): \(error)")
                code = 1
            }
        }
        if code != 0 { throw ExitCode(code) }
    }
}
