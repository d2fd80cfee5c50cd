import Foundation
import NachweisStore
import NachweisTestSupport
import Testing

@Suite("Status list storage")
struct StatusListStoreTests {
    static func issuers(_ storage: SQLiteStorage) async throws -> (Issuer, Issuer) {
        let tu = Issuer(slug: "tu-berlin", name: "TU Berlin", country: "DE", homepage: "https://www.tu.berlin")
        let ihk = Issuer(slug: "ihk", name: "IHK", country: "DE", homepage: "https://www.ihk.de")
        try await storage.issuers.create(tu)
        try await storage.issuers.create(ihk)
        return (tu, ihk)
    }

    static func isSet(_ list: StatusList, _ index: Int) -> Bool { list.bits[index / 8] & (0x80 >> UInt8(index % 8)) != 0 }

    @Test("allocation: random unique indices; a new list once the current one is half used; purposes apart")
    func allocation() async throws {
        let storage = try SQLiteStorage.inMemory()
        let (tu, _) = try await Self.issuers(storage)
        var seen: Set<StatusAllocation> = []
        for _ in 0..<200 {
            seen.insert(try await storage.statusLists.allocate(issuerID: tu.id, purpose: .revocation, credentialID: UUID(), size: 256))
        }
        #expect(seen.count == 200)
        let lists = try await storage.statusLists.lists(issuerID: tu.id)
        #expect(lists.count == 2 && lists.map(\.used).sorted() == [72, 128])
        #expect(Set(seen.map(\.listID)) == Set(lists.map(\.id)))
        let indices = seen.filter { $0.listID == lists[0].id }.map(\.index)
        #expect(indices != Array(indices.sorted()) || indices.count < 3)  // not handed out in order
        let suspension = try await storage.statusLists.allocate(issuerID: tu.id, purpose: .suspension, credentialID: UUID(), size: 256)
        #expect(!lists.map(\.id).contains(suspension.listID))
    }

    @Test("bits change only for the list's issuer and only at handed-out indices; versions count changes")
    func setting() async throws {
        let storage = try SQLiteStorage.inMemory()
        let (tu, ihk) = try await Self.issuers(storage)
        let entry = try await storage.statusLists.allocate(issuerID: tu.id, purpose: .revocation, credentialID: UUID(), size: 1024)
        try await storage.statusLists.setStatus(true, at: entry, issuerID: tu.id)
        try await storage.statusLists.setStatus(true, at: entry, issuerID: tu.id)  // already set: same version
        var list = try await storage.statusLists.list(id: entry.listID)
        #expect(Self.isSet(list, entry.index) && list.version == 2)
        for (allocation, issuer) in [(entry, ihk.id), (StatusAllocation(listID: entry.listID, index: (entry.index + 1) % 1024), tu.id),
                                     (StatusAllocation(listID: UUID(), index: 0), tu.id)] {
            do {
                try await storage.statusLists.setStatus(false, at: allocation, issuerID: issuer)
                Issue.record("changed \(allocation)")
            } catch {
                let code = error.code
                #expect(code == .notFound)
            }
        }
        list = try await storage.statusLists.list(id: entry.listID)
        #expect(Self.isSet(list, entry.index) && list.bits.filter { $0 != 0 }.count == 1)
        try await storage.statusLists.setStatus(false, at: entry, issuerID: tu.id)  // reinstated (suspension lists)
        #expect(try await storage.statusLists.list(id: entry.listID).bits.allSatisfy { $0 == 0 })
    }

    @Test("concurrent changes to different entries of one list all land (file database, WAL)")
    func concurrency() async throws {
        let path = try TestEnvironment.temporaryDirectory().appendingPathComponent("nachweis.sqlite").path
        let storage = try SQLiteStorage.open(path: path)
        let (tu, _) = try await Self.issuers(storage)
        var entries: [StatusAllocation] = []
        for _ in 0..<64 { entries.append(try await storage.statusLists.allocate(issuerID: tu.id, purpose: .revocation, credentialID: UUID(), size: 131_072)) }
        let issuerID = tu.id
        try await withThrowingTaskGroup(of: Void.self) { group in
            for entry in entries { group.addTask { try await storage.statusLists.setStatus(true, at: entry, issuerID: issuerID) } }
            try await group.waitForAll()
        }
        let list = try await storage.statusLists.list(id: entries[0].listID)
        #expect(entries.allSatisfy { Self.isSet(list, $0.index) })
        #expect(list.bits.reduce(0) { $0 + $1.nonzeroBitCount } == 64 && list.version == 65)
    }
}
