import Foundation
import NachweisJSON

/// A context map file: a JSON object from context URLs to local files (paths relative to the map's folder), e.g.
/// `{"https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld"}`. Operators list the contexts they accept
/// here; nothing else is ever loaded. A directory stands for the `contexts.json` map inside it, so an operator can keep
/// a folder of context files next to their map.
public enum ContextMap {
    /// The loader for a map file. Throws `jsonld.loading_document_failed` when the map or a listed file is unusable.
    public static func loader(mapFile: URL) throws(LinkedDataError) -> OfflineDocumentLoader {
        OfflineDocumentLoader(files: try files(mapFile: mapFile))
    }

    /// The URL → file table of a map file.
    public static func files(mapFile given: URL) throws(LinkedDataError) -> [String: URL] {
        var isDirectory: ObjCBool = false
        let mapFile = FileManager.default.fileExists(atPath: given.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? given.appendingPathComponent("contexts.json") : given
        guard let data = FileManager.default.contents(atPath: mapFile.path) else {
            throw LinkedDataError(.loadingDocumentFailed, "cannot read the context map \(mapFile.path)")
        }
        let map: JSONValue
        do { map = try JSONParser().parse(Array(data)) } catch {
            throw LinkedDataError(.loadingDocumentFailed, "the context map \(mapFile.lastPathComponent) is not valid JSON: \(error)")
        }
        guard let object = map.objectValue else { throw LinkedDataError(.loadingDocumentFailed, "the context map must be a JSON object") }
        let folder = mapFile.deletingLastPathComponent()
        var files: [String: URL] = [:]
        for member in object {
            guard let path = member.value.stringValue else {
                throw LinkedDataError(.loadingDocumentFailed, "the context map entry for \(member.key) must be a file path")
            }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw LinkedDataError(.loadingDocumentFailed, "the context map lists \(url.path) for \(member.key), which does not exist")
            }
            files[OfflineDocumentLoader.normalize(member.key)] = url
        }
        return files
    }
}
