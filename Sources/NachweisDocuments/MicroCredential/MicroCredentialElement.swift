/// The elements of an EU micro-credential (Council Recommendation 2022/C 243/02, Annex I).
public enum MicroCredentialElement: String, Sendable, CaseIterable, Codable {
    // Mandatory (Annex I, part I)
    case learner, title, issuerCountry, awardingBody, issueDate, learningOutcomes, workload, level
    case assessmentType, participationForm, qualityAssurance
    // Optional (Annex I, part II)
    case prerequisites, supervision, grade, stackability, furtherInformation

    public var isMandatory: Bool {
        switch self {
        case .prerequisites, .supervision, .grade, .stackability, .furtherInformation: false
        default: true
        }
    }

    /// The Annex's wording, for reports.
    public var label: String {
        switch self {
        case .learner: "Identification of the learner"
        case .title: "Title of the micro-credential"
        case .issuerCountry: "Country/Region of the issuer"
        case .awardingBody: "Awarding body(ies)"
        case .issueDate: "Date of issuing"
        case .learningOutcomes: "Learning outcomes"
        case .workload: "Notional workload (ECTS credits where possible)"
        case .level: "Level (EQF, NQF) of the learning experience"
        case .assessmentType: "Type of assessment"
        case .participationForm: "Form of participation in the learning activity"
        case .qualityAssurance: "Type of quality assurance"
        case .prerequisites: "Prerequisites needed to enrol"
        case .supervision: "Supervision and identity verification during assessment"
        case .grade: "Grade achieved"
        case .stackability: "Integration / stackability options"
        case .furtherInformation: "Further information"
        }
    }
}
