import Foundation
import GRDB

/// The schema, as numbered migrations. Rules live in the schema (NOT NULL, CHECK, UNIQUE, foreign keys, one active
/// key per issuer), so that no code path — and no future second implementation — can store what they forbid.
/// Identifiers are UUIDs (16-byte blobs), times integer milliseconds since 1970 (UTC).
enum SQLiteMigrations {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-issuers-keys-tokens") { db in
            try db.execute(sql: """
                CREATE TABLE issuer (
                    id BLOB PRIMARY KEY NOT NULL,
                    slug TEXT NOT NULL UNIQUE
                        CHECK (length(slug) BETWEEN 1 AND 64 AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*'),
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    legalName TEXT,
                    country TEXT NOT NULL CHECK (length(country) = 2 AND country NOT GLOB '*[^A-Z]*'),
                    eidasIdentifier TEXT,
                    homepage TEXT NOT NULL CHECK (homepage GLOB 'https://?*' OR homepage GLOB 'http://?*'),
                    email TEXT CHECK (email IS NULL OR email GLOB '?*@?*'),
                    imageURL TEXT,
                    createdAt INTEGER NOT NULL
                );
                CREATE TABLE signingKey (
                    id BLOB PRIMARY KEY NOT NULL,
                    issuerID BLOB NOT NULL REFERENCES issuer(id) ON DELETE RESTRICT,
                    algorithm TEXT NOT NULL CHECK (algorithm IN ('EdDSA', 'ES256', 'ES384', 'RS256', 'PS256')),
                    publicJWK TEXT NOT NULL CHECK (json_valid(publicJWK)),
                    privateKeyPath TEXT NOT NULL,
                    active BOOLEAN NOT NULL,
                    createdAt INTEGER NOT NULL,
                    retiredAt INTEGER,
                    CHECK (NOT (active AND retiredAt IS NOT NULL))
                );
                CREATE UNIQUE INDEX signingKey_oneActivePerIssuer ON signingKey(issuerID) WHERE active;
                CREATE INDEX signingKey_issuer ON signingKey(issuerID);
                CREATE TABLE apiToken (
                    id BLOB PRIMARY KEY NOT NULL,
                    issuerID BLOB NOT NULL REFERENCES issuer(id) ON DELETE RESTRICT,
                    label TEXT NOT NULL,
                    secretHash TEXT NOT NULL UNIQUE CHECK (length(secretHash) = 64 AND secretHash NOT GLOB '*[^0-9a-f]*'),
                    createdAt INTEGER NOT NULL,
                    revokedAt INTEGER
                );
                CREATE INDEX apiToken_issuer ON apiToken(issuerID);
                """)
        }
        migrator.registerMigration("v2-achievements") { db in
            try db.execute(sql: """
                CREATE TABLE achievement (
                    id BLOB PRIMARY KEY NOT NULL,
                    issuerID BLOB NOT NULL REFERENCES issuer(id) ON DELETE RESTRICT,
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    description TEXT NOT NULL,
                    achievementType TEXT NOT NULL CHECK (length(achievementType) > 0),
                    criteriaNarrative TEXT NOT NULL,
                    criteriaURL TEXT CHECK (criteriaURL IS NULL OR criteriaURL GLOB 'http*://?*'),
                    imageURL TEXT CHECK (imageURL IS NULL OR imageURL GLOB 'http*://?*' OR imageURL GLOB 'data:image/*'),
                    tags TEXT NOT NULL CHECK (json_valid(tags) AND json_type(tags) = 'array'),
                    alignments TEXT NOT NULL CHECK (json_valid(alignments) AND json_type(alignments) = 'array'),
                    language TEXT,
                    learningOutcomes TEXT NOT NULL CHECK (json_valid(learningOutcomes) AND json_type(learningOutcomes) = 'array'),
                    eqfLevel INTEGER CHECK (eqfLevel IS NULL OR eqfLevel BETWEEN 1 AND 8),
                    ects REAL CHECK (ects IS NULL OR (ects >= 0 AND ects <= 360)),
                    workloadHours INTEGER CHECK (workloadHours IS NULL OR workloadHours >= 0),
                    assessmentType TEXT,
                    participation TEXT CHECK (participation IS NULL OR participation IN ('online', 'onsite', 'blended')),
                    qualityAssurance TEXT,
                    prerequisites TEXT,
                    stackability TEXT,
                    archived BOOLEAN NOT NULL,
                    createdAt INTEGER NOT NULL,
                    updatedAt INTEGER NOT NULL
                );
                CREATE INDEX achievement_issuer ON achievement(issuerID, createdAt);
                """)
        }
        migrator.registerMigration("v3-status-lists") { db in
            try db.execute(sql: """
                CREATE TABLE statusList (
                    id BLOB PRIMARY KEY NOT NULL,
                    issuerID BLOB NOT NULL REFERENCES issuer(id) ON DELETE RESTRICT,
                    purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
                    size INTEGER NOT NULL CHECK (size >= 8 AND size % 8 = 0),
                    bits BLOB NOT NULL,
                    used INTEGER NOT NULL CHECK (used >= 0 AND used <= size),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    updatedAt INTEGER NOT NULL,
                    CHECK (length(bits) * 8 = size)
                );
                CREATE INDEX statusList_issuer ON statusList(issuerID, purpose);
                CREATE TABLE statusEntry (
                    listID BLOB NOT NULL REFERENCES statusList(id) ON DELETE RESTRICT,
                    "index" INTEGER NOT NULL CHECK ("index" >= 0),
                    credentialID BLOB NOT NULL,
                    PRIMARY KEY (listID, "index"),
                    UNIQUE (listID, credentialID)
                );
                """)
        }
        migrator.registerMigration("v4-credentials") { db in
            try db.execute(sql: """
                CREATE TABLE credential (
                    id BLOB PRIMARY KEY NOT NULL,
                    issuerID BLOB NOT NULL REFERENCES issuer(id) ON DELETE RESTRICT,
                    achievementID BLOB NOT NULL REFERENCES achievement(id) ON DELETE RESTRICT,
                    format TEXT NOT NULL CHECK (format IN ('ob3-di')),
                    recipient TEXT NOT NULL CHECK (recipient GLOB 'email:sha256$*' OR recipient GLOB 'did:?*'),
                    idempotencyKey TEXT CHECK (idempotencyKey IS NULL OR length(idempotencyKey) BETWEEN 1 AND 255),
                    document TEXT NOT NULL CHECK (json_valid(document)),
                    revocationListID BLOB NOT NULL REFERENCES statusList(id),
                    revocationIndex INTEGER NOT NULL,
                    suspensionListID BLOB NOT NULL REFERENCES statusList(id),
                    suspensionIndex INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'revoked')),
                    revocationReason TEXT,
                    createdAt INTEGER NOT NULL,
                    UNIQUE (issuerID, idempotencyKey)
                );
                CREATE INDEX credential_issuer ON credential(issuerID, createdAt);
                """)
        }
        // Every format: keys per purpose and algorithm (an Ed25519 key for Data Integrity, RSA for OB 2.0, a seal
        // with its certificate for Europass), credentials that are not JSON (VC-JWT) and OB 2.0 credentials, which
        // have no Bitstring status entries (their RevocationList comes from the credential's state).
        migrator.registerMigration("v5-every-format") { db in
            try db.execute(sql: """
                ALTER TABLE signingKey ADD COLUMN purpose TEXT NOT NULL DEFAULT 'signing'
                    CHECK (purpose IN ('signing', 'sealing'));
                ALTER TABLE signingKey ADD COLUMN certificatePath TEXT
                    CHECK (certificatePath IS NOT NULL OR purpose = 'signing');
                DROP INDEX signingKey_oneActivePerIssuer;
                CREATE UNIQUE INDEX signingKey_oneActivePerPurposeAndAlgorithm ON signingKey(issuerID, purpose, algorithm) WHERE active;
                CREATE TABLE credential_v5 (
                    id BLOB PRIMARY KEY NOT NULL,
                    issuerID BLOB NOT NULL REFERENCES issuer(id) ON DELETE RESTRICT,
                    achievementID BLOB NOT NULL REFERENCES achievement(id) ON DELETE RESTRICT,
                    format TEXT NOT NULL CHECK (format IN ('ob3-di', 'ob3-jwt', 'ob2-signed', 'ob2-hosted', 'edc-jades')),
                    recipient TEXT NOT NULL CHECK (recipient GLOB 'email:sha256$*' OR recipient GLOB 'did:?*'),
                    idempotencyKey TEXT CHECK (idempotencyKey IS NULL OR length(idempotencyKey) BETWEEN 1 AND 255),
                    document TEXT NOT NULL CHECK (format IN ('ob3-jwt', 'ob2-signed') OR json_valid(document)),
                    revocationListID BLOB REFERENCES statusList(id),
                    revocationIndex INTEGER,
                    suspensionListID BLOB REFERENCES statusList(id),
                    suspensionIndex INTEGER,
                    state TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'revoked')),
                    revocationReason TEXT,
                    createdAt INTEGER NOT NULL,
                    UNIQUE (issuerID, idempotencyKey),
                    CHECK ((revocationListID IS NULL) = (revocationIndex IS NULL)),
                    CHECK ((suspensionListID IS NULL) = (suspensionIndex IS NULL)),
                    CHECK ((revocationListID IS NULL) = (format IN ('ob2-signed', 'ob2-hosted'))),
                    CHECK (suspensionListID IS NOT NULL OR state <> 'suspended')
                );
                INSERT INTO credential_v5 SELECT * FROM credential;
                DROP TABLE credential;
                ALTER TABLE credential_v5 RENAME TO credential;
                CREATE INDEX credential_issuer ON credential(issuerID, createdAt);
                """)
        }
        // Status entries are reserved in batches before credentials exist (credentialID NULL until a credential takes
        // the entry), and no credential can be stored for an archived achievement, whatever a cache believed.
        migrator.registerMigration("v6-reserved-entries") { db in
            try db.execute(sql: """
                CREATE TABLE statusEntry_v6 (
                    listID BLOB NOT NULL REFERENCES statusList(id) ON DELETE RESTRICT,
                    "index" INTEGER NOT NULL CHECK ("index" >= 0),
                    credentialID BLOB,
                    PRIMARY KEY (listID, "index"),
                    UNIQUE (listID, credentialID)
                );
                INSERT INTO statusEntry_v6 SELECT * FROM statusEntry;
                DROP TABLE statusEntry;
                ALTER TABLE statusEntry_v6 RENAME TO statusEntry;
                CREATE TRIGGER credential_needsLiveAchievement BEFORE INSERT ON credential
                WHEN (SELECT archived FROM achievement WHERE id = NEW.achievementID)
                BEGIN SELECT RAISE(ABORT, 'the achievement is archived'); END;
                """)
        }
        // Claiming an entry no longer writes a second index: `UNIQUE (listID, credentialID)` put every claim at a random
        // place of an index (two random pages per credential issued) while guarding nothing the credential row does not
        // (a credential has one revocation and one suspension column, each naming its list). An entry was still claimed
        // once: the primary key reserved it once and the claim checked it was unclaimed (until v9).
        migrator.registerMigration("v7-entry-claims-unindexed") { db in
            try db.execute(sql: """
                CREATE TABLE statusEntry_v7 (
                    listID BLOB NOT NULL REFERENCES statusList(id) ON DELETE RESTRICT,
                    "index" INTEGER NOT NULL CHECK ("index" >= 0),
                    credentialID BLOB,
                    PRIMARY KEY (listID, "index")
                );
                INSERT INTO statusEntry_v7 SELECT * FROM statusEntry;
                DROP TABLE statusEntry;
                ALTER TABLE statusEntry_v7 RENAME TO statusEntry;
                """)
        }
        // Taken entries as bitmaps in chunks of 2 048 (``StatusBitmaps``): a row per random entry put every reservation
        // and claim on a random page of a growing index. The rows of statusEntry become bits, and the table goes.
        migrator.registerMigration("v8-status-bitmaps") { db in
            try db.execute(sql: """
                CREATE TABLE statusBitmap (
                    listID BLOB NOT NULL REFERENCES statusList(id) ON DELETE RESTRICT,
                    chunk INTEGER NOT NULL CHECK (chunk >= 0),
                    reserved BLOB NOT NULL CHECK (length(reserved) = 256),
                    claimed BLOB NOT NULL CHECK (length(claimed) = 256),
                    PRIMARY KEY (listID, chunk)
                ) WITHOUT ROWID;
                """)
            // The rows written out here (``StatusBitmaps`` knows the latest form of the table only), the bits placed by its
            // layout, which v9 keeps.
            var chunks: [UUID: [Int: (reserved: [UInt8], claimed: [UInt8])]] = [:]
            for row in try Row.fetchAll(db, sql: #"SELECT listID, "index", credentialID FROM statusEntry"#) {
                let list: UUID = row[0], index: Int = row[1], claimed = row[2] != nil
                let (chunk, offset) = StatusBitmaps.locate(index)
                let empty = [UInt8](repeating: 0, count: StatusBitmaps.chunkBytes)
                var value = chunks[list, default: [:]][chunk] ?? (empty, empty)
                StatusBitmaps.set(&value.reserved, offset)
                if claimed { StatusBitmaps.set(&value.claimed, offset) }
                chunks[list, default: [:]][chunk] = value
            }
            for (list, byChunk) in chunks {
                for (chunk, value) in byChunk {
                    try db.execute(sql: "INSERT INTO statusBitmap (listID, chunk, reserved, claimed) VALUES (?, ?, ?, ?)",
                                   arguments: [list, chunk, Data(value.reserved), Data(value.claimed)])
                }
            }
            try db.execute(sql: "DROP TABLE statusEntry")
        }
        // An entry is taken by one credential through the store's own record of what it reserved (``ReservedEntries``),
        // not a claimed bit: writing that bit put a random bitmap page into every issuing commit. Reserved bits stay
        // (they keep reservations exclusive); entries reserved and not taken before this version stay unset for good.
        migrator.registerMigration("v9-reserved-bits-only") { db in
            try db.execute(sql: """
                CREATE TABLE statusBitmap_v9 (
                    listID BLOB NOT NULL REFERENCES statusList(id) ON DELETE RESTRICT,
                    chunk INTEGER NOT NULL CHECK (chunk >= 0),
                    reserved BLOB NOT NULL CHECK (length(reserved) = 256),
                    PRIMARY KEY (listID, chunk)
                ) WITHOUT ROWID;
                INSERT INTO statusBitmap_v9 SELECT listID, chunk, reserved FROM statusBitmap;
                DROP TABLE statusBitmap;
                ALTER TABLE statusBitmap_v9 RENAME TO statusBitmap;
                """)
        }
        // The learner wallet: accounts, sessions (token hashes only) and imported credentials with the bytes received.
        // A learner's deletion takes everything of theirs with it (ON DELETE CASCADE).
        migrator.registerMigration("v10-wallet") { db in
            try db.execute(sql: """
                CREATE TABLE learner (
                    id BLOB PRIMARY KEY NOT NULL,
                    email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email GLOB '?*@?*' AND length(email) <= 320),
                    passwordHash TEXT NOT NULL CHECK (passwordHash GLOB 'scrypt$*'),
                    createdAt INTEGER NOT NULL
                );
                CREATE TABLE learnerSession (
                    id BLOB PRIMARY KEY NOT NULL,
                    learnerID BLOB NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                    tokenHash TEXT NOT NULL UNIQUE CHECK (length(tokenHash) = 64),
                    createdAt INTEGER NOT NULL,
                    expiresAt INTEGER NOT NULL CHECK (expiresAt > createdAt),
                    revokedAt INTEGER
                );
                CREATE INDEX learnerSession_learner ON learnerSession(learnerID);
                CREATE TABLE walletCredential (
                    id BLOB PRIMARY KEY NOT NULL,
                    learnerID BLOB NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                    received BLOB NOT NULL CHECK (length(received) > 0),
                    mediaType TEXT NOT NULL,
                    digest TEXT NOT NULL CHECK (length(digest) = 64),
                    format TEXT NOT NULL CHECK (format IN ('ob2-hosted', 'ob2-signed', 'ob3-jsonld', 'ob3-jwt', 'edc-jades', 'edc-jsonld')),
                    container TEXT CHECK (container IN ('png', 'svg')),
                    credential TEXT CHECK (credential IS NULL OR json_valid(credential)),
                    title TEXT,
                    issuerName TEXT,
                    issuerID TEXT,
                    achievementType TEXT,
                    eqfLevel INTEGER CHECK (eqfLevel BETWEEN 1 AND 8),
                    ects REAL CHECK (ects >= 0),
                    issuedAt INTEGER,
                    sourceURL TEXT,
                    importedAt INTEGER NOT NULL,
                    report TEXT NOT NULL CHECK (json_valid(report)),
                    verdict TEXT NOT NULL CHECK (verdict IN ('valid', 'invalid', 'inconclusive')),
                    status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'suspended', 'unknown')),
                    verifiedAt INTEGER NOT NULL,
                    UNIQUE (learnerID, digest)
                );
                CREATE INDEX walletCredential_learner ON walletCredential(learnerID, importedAt);
                """)
        }
        // Share links: the credentials each shows are fixed when it is made; views counted and logged.
        migrator.registerMigration("v11-share-links") { db in
            try db.execute(sql: """
                CREATE TABLE shareLink (
                    id BLOB PRIMARY KEY NOT NULL,
                    learnerID BLOB NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                    tokenHash TEXT NOT NULL UNIQUE CHECK (length(tokenHash) = 64),
                    label TEXT CHECK (label IS NULL OR length(label) <= 200),
                    createdAt INTEGER NOT NULL,
                    expiresAt INTEGER NOT NULL CHECK (expiresAt > createdAt),
                    maxViews INTEGER CHECK (maxViews IS NULL OR maxViews > 0),
                    views INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0),
                    revokedAt INTEGER
                );
                CREATE INDEX shareLink_learner ON shareLink(learnerID, createdAt);
                CREATE TABLE shareLinkCredential (
                    linkID BLOB NOT NULL REFERENCES shareLink(id) ON DELETE CASCADE,
                    credentialID BLOB NOT NULL REFERENCES walletCredential(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (linkID, credentialID)
                ) WITHOUT ROWID;
                CREATE INDEX shareLinkCredential_credential ON shareLinkCredential(credentialID);
                CREATE TABLE shareAccess (
                    id INTEGER PRIMARY KEY,
                    linkID BLOB NOT NULL REFERENCES shareLink(id) ON DELETE CASCADE,
                    at INTEGER NOT NULL,
                    userAgent TEXT CHECK (userAgent IS NULL OR length(userAgent) <= 64),
                    address TEXT
                );
                CREATE INDEX shareAccess_link ON shareAccess(linkID, at);
                """)
        }
        // Collections, and the achievement's own id on wallet credentials (stackability rules name achievements).
        migrator.registerMigration("v12-collections") { db in
            try db.execute(sql: """
                ALTER TABLE walletCredential ADD COLUMN achievementID TEXT;
                CREATE TABLE collection (
                    id BLOB PRIMARY KEY NOT NULL,
                    learnerID BLOB NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    description TEXT CHECK (description IS NULL OR length(description) <= 2000),
                    createdAt INTEGER NOT NULL
                );
                CREATE INDEX collection_learner ON collection(learnerID, createdAt);
                CREATE TABLE collectionCredential (
                    collectionID BLOB NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
                    credentialID BLOB NOT NULL REFERENCES walletCredential(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (collectionID, credentialID)
                ) WITHOUT ROWID;
                CREATE INDEX collectionCredential_credential ON collectionCredential(credentialID);
                """)
        }
        // Listing and filtering a wallet from an index alone: a learner's rows are large (the bytes received, the
        // credential, the report), and a filter or an offset read every one of them; this index holds what listing
        // filters and sorts on, in listing order, so a page is found in it and only its rows are read.
        migrator.registerMigration("v13-wallet-listing-index") { db in
            try db.execute(sql: """
                DROP INDEX walletCredential_learner;
                CREATE INDEX walletCredential_listing ON walletCredential(learnerID, importedAt DESC, id DESC, eqfLevel, status, verdict,
                    achievementType, issuedAt, issuerName, issuerID, title);
                """)
        }
        // Issued documents packed (``DocumentPacking``): copies from a dictionary — an earlier document of the same
        // achievement and format, kept as a row of its own — and what is new. A credential holds its document as text
        // (rows from before) or packed with the dictionary it names, never both. The JSON check stays for text; a
        // packed document was checked by our schema before it was signed and is checked against its checksum when read.
        // (Measured and left as it was: the table in id order itself, WITHOUT ROWID, wrote more — ids of one
        // millisecond arrive in random order, and only a rowid table fills its last page to the brim when rows come at
        // the end —; a partial index of revoked credentials in place of credential_issuer measured no difference.)
        migrator.registerMigration("v14-packed-documents") { db in
            try db.execute(sql: """
                CREATE TABLE documentDictionary (
                    id INTEGER PRIMARY KEY,
                    achievementID BLOB NOT NULL REFERENCES achievement(id) ON DELETE RESTRICT,
                    format TEXT NOT NULL CHECK (format IN ('ob3-di', 'ob3-jwt', 'ob2-signed', 'ob2-hosted', 'edc-jades')),
                    bytes BLOB NOT NULL CHECK (length(bytes) <= 65536),
                    createdAt INTEGER NOT NULL
                );
                CREATE INDEX documentDictionary_achievement ON documentDictionary(achievementID, format, id);
                CREATE TABLE credential_v14 (
                    id BLOB PRIMARY KEY NOT NULL,
                    issuerID BLOB NOT NULL REFERENCES issuer(id) ON DELETE RESTRICT,
                    achievementID BLOB NOT NULL REFERENCES achievement(id) ON DELETE RESTRICT,
                    format TEXT NOT NULL CHECK (format IN ('ob3-di', 'ob3-jwt', 'ob2-signed', 'ob2-hosted', 'edc-jades')),
                    recipient TEXT NOT NULL CHECK (recipient GLOB 'email:sha256$*' OR recipient GLOB 'did:?*'),
                    idempotencyKey TEXT CHECK (idempotencyKey IS NULL OR length(idempotencyKey) BETWEEN 1 AND 255),
                    document TEXT CHECK (document IS NULL OR format IN ('ob3-jwt', 'ob2-signed') OR json_valid(document)),
                    packedDocument BLOB CHECK (packedDocument IS NULL OR length(packedDocument) > 2),
                    dictionaryID INTEGER REFERENCES documentDictionary(id) ON DELETE RESTRICT,
                    revocationListID BLOB REFERENCES statusList(id),
                    revocationIndex INTEGER,
                    suspensionListID BLOB REFERENCES statusList(id),
                    suspensionIndex INTEGER,
                    state TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'revoked')),
                    revocationReason TEXT,
                    createdAt INTEGER NOT NULL,
                    UNIQUE (issuerID, idempotencyKey),
                    CHECK ((document IS NULL) <> (packedDocument IS NULL)),
                    CHECK ((packedDocument IS NULL) = (dictionaryID IS NULL)),
                    CHECK ((revocationListID IS NULL) = (revocationIndex IS NULL)),
                    CHECK ((suspensionListID IS NULL) = (suspensionIndex IS NULL)),
                    CHECK ((revocationListID IS NULL) = (format IN ('ob2-signed', 'ob2-hosted'))),
                    CHECK (suspensionListID IS NOT NULL OR state <> 'suspended')
                );
                INSERT INTO credential_v14 (id, issuerID, achievementID, format, recipient, idempotencyKey, document, revocationListID,
                                            revocationIndex, suspensionListID, suspensionIndex, state, revocationReason, createdAt)
                    SELECT id, issuerID, achievementID, format, recipient, idempotencyKey, document, revocationListID,
                           revocationIndex, suspensionListID, suspensionIndex, state, revocationReason, createdAt FROM credential;
                DROP TABLE credential;
                ALTER TABLE credential_v14 RENAME TO credential;
                CREATE INDEX credential_issuer ON credential(issuerID, createdAt);
                CREATE TRIGGER credential_needsLiveAchievement BEFORE INSERT ON credential
                WHEN (SELECT archived FROM achievement WHERE id = NEW.achievementID)
                BEGIN SELECT RAISE(ABORT, 'the achievement is archived'); END;
                """)
        }
        // The same credential table, its CHECKs on `format` and `state` written as comparisons: SQLite evaluates a
        // CHECK's `IN (…)` of more than two values by building a temporary index of the list every time the insert
        // runs — for every credential stored, two of them, about 3 µs of the committing thread's time (a fifth of an
        // insert). What the table allows is unchanged.
        migrator.registerMigration("v15-credential-checks-without-lists") { db in
            try db.execute(sql: """
                CREATE TABLE credential_v15 (
                    id BLOB PRIMARY KEY NOT NULL,
                    issuerID BLOB NOT NULL REFERENCES issuer(id) ON DELETE RESTRICT,
                    achievementID BLOB NOT NULL REFERENCES achievement(id) ON DELETE RESTRICT,
                    format TEXT NOT NULL CHECK (format = 'ob3-di' OR format = 'ob3-jwt' OR format = 'ob2-signed' OR format = 'ob2-hosted'
                                                OR format = 'edc-jades'),
                    recipient TEXT NOT NULL CHECK (recipient GLOB 'email:sha256$*' OR recipient GLOB 'did:?*'),
                    idempotencyKey TEXT CHECK (idempotencyKey IS NULL OR length(idempotencyKey) BETWEEN 1 AND 255),
                    document TEXT CHECK (document IS NULL OR format = 'ob3-jwt' OR format = 'ob2-signed' OR json_valid(document)),
                    packedDocument BLOB CHECK (packedDocument IS NULL OR length(packedDocument) > 2),
                    dictionaryID INTEGER REFERENCES documentDictionary(id) ON DELETE RESTRICT,
                    revocationListID BLOB REFERENCES statusList(id),
                    revocationIndex INTEGER,
                    suspensionListID BLOB REFERENCES statusList(id),
                    suspensionIndex INTEGER,
                    state TEXT NOT NULL CHECK (state = 'active' OR state = 'suspended' OR state = 'revoked'),
                    revocationReason TEXT,
                    createdAt INTEGER NOT NULL,
                    UNIQUE (issuerID, idempotencyKey),
                    CHECK ((document IS NULL) <> (packedDocument IS NULL)),
                    CHECK ((packedDocument IS NULL) = (dictionaryID IS NULL)),
                    CHECK ((revocationListID IS NULL) = (revocationIndex IS NULL)),
                    CHECK ((suspensionListID IS NULL) = (suspensionIndex IS NULL)),
                    CHECK ((revocationListID IS NULL) = (format = 'ob2-signed' OR format = 'ob2-hosted')),
                    CHECK (suspensionListID IS NOT NULL OR state <> 'suspended')
                );
                INSERT INTO credential_v15 (id, issuerID, achievementID, format, recipient, idempotencyKey, document, packedDocument,
                                            dictionaryID, revocationListID, revocationIndex, suspensionListID, suspensionIndex, state,
                                            revocationReason, createdAt)
                    SELECT id, issuerID, achievementID, format, recipient, idempotencyKey, document, packedDocument, dictionaryID,
                           revocationListID, revocationIndex, suspensionListID, suspensionIndex, state, revocationReason, createdAt
                    FROM credential;
                DROP TABLE credential;
                ALTER TABLE credential_v15 RENAME TO credential;
                CREATE INDEX credential_issuer ON credential(issuerID, createdAt);
                CREATE TRIGGER credential_needsLiveAchievement BEFORE INSERT ON credential
                WHEN (SELECT archived FROM achievement WHERE id = NEW.achievementID)
                BEGIN SELECT RAISE(ABORT, 'the achievement is archived'); END;
                """)
        }
        return migrator
    }()
}
