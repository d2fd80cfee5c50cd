import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData
import NachweisStatus

/// Credential status: each entry checked against its list, which must be had, be signed by the credential's issuer
/// and be current. A list that cannot be had, is not the issuer's, is tampered with or of an unknown kind makes the
/// step inconclusive — never passed.
extension OB3Pipeline {
    func statusSteps() async -> [Step] {
        let entries = credential["credentialStatus"].map { $0.arrayValue ?? [$0] } ?? []
        guard !entries.isEmpty else {
            return [Step(.status, .skipped, "status.none_declared", "the credential declares no status: it cannot be revoked")]
        }
        var steps: [Step] = []
        for entry in entries {
            switch entry["type"]?.stringValue {
            case "BitstringStatusListEntry", "StatusList2021Entry":
                steps.append(await bitstringStep(entry))
            case "1EdTechRevocationList":
                steps.append(await revocationListStep(entry))
            case let type:
                steps.append(Step(.status, .inconclusive, "status.unknown_type", "status type \(type ?? "(none)") is not known: the status cannot be told"))
            }
        }
        return steps
    }

    func bitstringStep(_ entry: JSONValue) async -> Step {
        let purpose = entry["statusPurpose"]?.stringValue ?? "revocation"
        let check: VerificationReport.Check = purpose == "suspension" ? .suspension : purpose == "revocation" ? .revocation : .status
        guard let listURL = entry["statusListCredential"]?.stringValue,
              let index = entry["statusListIndex"]?.stringValue.flatMap({ Int($0) }) ?? entry["statusListIndex"]?.numberValue?.intValue, index >= 0 else {
            return Step(check, .failed, "status.entry_malformed", "the status entry lacks statusListCredential or a statusListIndex")
        }
        let details: JSONObject = ["statusListCredential": .string(listURL), "statusListIndex": .number(JSONNumber(index)), "statusPurpose": .string(purpose)]
        let list: JSONValue
        switch await keys.fetchJSON(listURL) {
        case .success(let value): list = value
        case .failure(let error):
            return Step(check, .inconclusive, "status.list_unavailable", "the status list could not be had: \(error.message)", details: details)
        }
        // The list is a credential of the same issuer, with a valid proof, current at the validation time.
        let listIssuer = list["issuer"]?.stringValue ?? list["issuer"]?["id"]?.stringValue
        guard listIssuer == issuerID else {
            return Step(check, .inconclusive, "status.list_not_issuers", "the status list is issued by \(listIssuer ?? "nobody"), not \(issuerID ?? "(none)")",
                        details: details)
        }
        let types = FormatDetector.types(list)
        guard types.contains("BitstringStatusListCredential") || types.contains("StatusList2021Credential") else {
            return Step(check, .inconclusive, "status.list_malformed", "the document at \(listURL) is not a status list credential", details: details)
        }
        if let listPurpose = list["credentialSubject"]?["statusPurpose"]?.stringValue, listPurpose != purpose {
            return Step(check, .inconclusive, "status.purpose_mismatch", "the list is for \(listPurpose), the entry for \(purpose)", details: details)
        }
        if let until = Verifier.date(list["validUntil"]?.stringValue), until < options.at {
            return Step(check, .inconclusive, "status.list_expired", "the status list expired at \(list["validUntil"]?.stringValue ?? "")", details: details)
        }
        // A list already verified, byte for byte the same, is not verified again (batch verification, the server).
        let digest = keys.digest(listURL) ?? Hex.encode(DigestAlgorithm.sha256.hash(list.compactBytes))
        if let bits = verifier.statusLists.bits(url: listURL, digest: digest) {
            return bitStep(check, purpose, bits, index, details)
        }
        let proofs = list["proof"].map { $0.arrayValue ?? [$0] } ?? []
        guard !proofs.isEmpty else {
            return Step(check, .inconclusive, "status.list_unsigned", "the status list carries no proof: its bits are the host's word only", details: details)
        }
        for proof in proofs {
            guard let method = proof["verificationMethod"]?.stringValue else { continue }
            guard case .key = await keys.resolve(method) else {
                return Step(check, .inconclusive, "status.list_key_unavailable", "the status list's signing key could not be had (or not confirmed as the issuer's)",
                            details: details)
            }
            guard DocumentURL.withoutFragment(method) == issuerID else {
                return Step(check, .inconclusive, "status.list_not_issuers", "the status list is signed with \(method), not an issuer key", details: details)
            }
        }
        let integrity = DataIntegrity(processor: verifier.processor, resolver: PrefetchedKeys(keys: keys.keys))
        let results = integrity.verify(list, expecting: .init(at: options.at))
        guard results.allSatisfy(\.isValid) else {
            return Step(check, .inconclusive, "status.list_signature_invalid",
                        "the status list's proof does not verify (tampered?): \(results.first { !$0.isValid }?.error?.message ?? "")", details: details)
        }
        guard let encoded = list["credentialSubject"]?["encodedList"]?.stringValue else {
            return Step(check, .inconclusive, "status.list_malformed", "the status list has no encodedList", details: details)
        }
        // StatusList2021 writes base64url without the multibase prefix that Bitstring Status List v1.0 requires.
        let legacy = types.contains("StatusList2021Credential") && !encoded.hasPrefix("u")
        let bits: Bitstring
        do { bits = try Bitstring(encoded: encoded, multibase: !legacy) } catch {
            return Step(check, .inconclusive, "status.list_malformed", error.message, details: details)
        }
        verifier.statusLists.store(url: listURL, digest: digest, bits: bits)
        return bitStep(check, purpose, bits, index, details)
    }

    func bitStep(_ check: VerificationReport.Check, _ purpose: String, _ bits: Bitstring, _ index: Int, _ details: JSONObject) -> Step {
        var details = details
        guard index < bits.count else {
            return Step(check, .inconclusive, "status.index_out_of_range", "index \(index) is beyond the list's \(bits.count) entries", details: details)
        }
        details["bit"] = .bool(bits[index])
        if bits[index] {
            return Step(check, .failed, purpose == "suspension" ? "status.suspended" : purpose == "revocation" ? "status.revoked" : "status.\(purpose)",
                        purpose == "suspension" ? "the credential is suspended" : purpose == "revocation" ? "the credential is revoked" : "status \(purpose) is set",
                        details: details)
        }
        return Step(check, .passed, "status.not_set", purpose == "suspension" ? "not suspended" : "not revoked", details: details)
    }

    func revocationListStep(_ entry: JSONValue) async -> Step {
        guard let url = entry["id"]?.stringValue else { return Step(.revocation, .failed, "status.entry_malformed", "the revocation list entry has no id") }
        let details: JSONObject = ["revocationList": .string(url)]
        let list: JSONValue
        switch await keys.fetchJSON(url) {
        case .success(let value): list = value
        case .failure(let error): return Step(.revocation, .inconclusive, "status.list_unavailable", "the revocation list could not be had: \(error.message)", details: details)
        }
        guard let revoked = list["revokedCredentials"]?.arrayValue else {
            return Step(.revocation, .inconclusive, "status.list_malformed", "the revocation list has no revokedCredentials", details: details)
        }
        if let issuer = list["issuer"]?.stringValue ?? list["issuer"]?["id"]?.stringValue, issuer != issuerID {
            return Step(.revocation, .inconclusive, "status.list_not_issuers", "the revocation list is \(issuer)'s, not the issuer's", details: details)
        }
        let id = credential["id"]?.stringValue
        if let hit = revoked.first(where: { ($0["id"]?.stringValue ?? $0.stringValue) == id }), hit["revoked"] != false {
            let reason = hit["revocationReason"]?.stringValue.map { ": \($0)" } ?? ""
            return Step(.revocation, .failed, "status.revoked", "the credential is revoked\(reason) (1EdTechRevocationList; unsigned list, the host's word)", details: details)
        }
        return Step(.revocation, .passed, "status.not_listed", "not on the 1EdTechRevocationList (an unsigned list: the host's word)", details: details)
    }
}

/// Status lists whose proof and issuer were checked, by URL and the SHA-256 of their bytes (a changed list is
/// checked again).
final class VerifiedStatusLists: Sendable {
    private let entries = BoundedCache<(digest: String, bits: Bitstring)>(capacity: 256)

    func bits(url: String, digest: String) -> Bitstring? {
        entries.value(url).flatMap { $0.digest == digest ? $0.bits : nil }
    }

    func store(url: String, digest: String, bits: Bitstring) { entries.store(url, (digest, bits)) }
}
